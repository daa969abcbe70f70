import datetime

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from torget.identity.models import Residence, Resident, ResidentImport, Verification

SESSION_KEY = "torget_identity"
COOKIE_NAME = "torget_eid"
COOKIE_SALT = "torget.identity.fresh-verification"


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
    """The verification made in this browser, if it is fresh enough to count.

    BankID forbids "ID-växling": something that counts (a support, a vote) needs an e-ID
    step of its own, at most IDENTITY_FRESH_SECONDS old, never a password log-in alone.
    The step travels in a signed, short-lived cookie, so checking it costs no database
    query; the session is the fallback.
    """
    max_age = max_age or datetime.timedelta(seconds=settings.IDENTITY_FRESH_SECONDS)
    verification = _from_cookie(request, max_age) or _from_session(request, max_age)
    if verification is None:
        return None
    # A verification made while logged in belongs to that account only.
    if verification.user_id:
        user = getattr(request, "user", None)
        if not user or verification.user_id != user.pk:
            return None
    return verification


def _from_cookie(request: HttpRequest, max_age: datetime.timedelta) -> Verification | None:
    token = request.COOKIES.get(COOKIE_NAME)
    if not token:
        return None
    try:
        data = signing.loads(token, salt=COOKIE_SALT, max_age=max_age)
        return Verification(
            pk=data["id"],
            user_id=data["u"],
            person_key=data["k"],
            method=data["m"],
            residence=data["r"],
            birth_date=datetime.date.fromisoformat(data["b"]),
            verified_at=datetime.datetime.fromisoformat(data["t"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _from_session(request: HttpRequest, max_age: datetime.timedelta) -> Verification | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return (
        Verification.objects.filter(pk=stored, verified_at__gte=timezone.now() - max_age)
        .only("pk", "person_key", "residence", "birth_date", "verified_at", "user_id", "method")
        .first()
    )


def verification_token(verification: Verification) -> str:
    """The signed cookie value that carries a verification (see fresh_verification)."""
    return signing.dumps(
        {
            "id": verification.pk,
            "u": verification.user_id,
            "k": verification.person_key,
            "m": verification.method,
            "r": verification.residence,
            "b": verification.birth_date.isoformat(),
            "t": verification.verified_at.isoformat(),
        },
        salt=COOKIE_SALT,
        compress=True,
    )
