import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from torget.identity.models import Residence, Resident, ResidentImport, Verification

SESSION_KEY = "torget_identity"


def residence_of(person_key: str) -> str:
    """Yes or no from the residents' register; unknown when none has been uploaded."""
    if not ResidentImport.objects.filter(is_current=True).exists():
        return Residence.UNKNOWN
    if Resident.objects.filter(person_key=person_key).exists():
        return Residence.YES
    return Residence.NO


def fresh_verification(
    request: HttpRequest, *, max_age: datetime.timedelta | None = None
) -> Verification | None:
    """The verification made in this browser session, if it is fresh enough to count.

    BankID forbids "ID-växling": something that counts (a support, a vote) needs an e-ID
    step of its own, at most IDENTITY_FRESH_SECONDS old, never a password log-in alone.
    """
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    max_age = max_age or datetime.timedelta(seconds=settings.IDENTITY_FRESH_SECONDS)
    verification = (
        Verification.objects.filter(pk=stored, verified_at__gte=timezone.now() - max_age)
        .only("pk", "person_key", "residence", "birth_date", "verified_at", "user_id", "method")
        .first()
    )
    if verification is None:
        return None
    user = getattr(request, "user", None)
    # A verification made while logged in belongs to that account only.
    if verification.user_id and (not user or verification.user_id != user.pk):
        return None
    return verification
