import csv
import datetime
import hashlib
from collections.abc import Collection
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import csvfile
from torget.identity import personnummer
from torget.identity.models import Residence, Resident, ResidentImport, Verification
from torget.identity.selectors import SESSION_KEY, residence_of, verification_token


def verification_complete(
    *,
    request: HttpRequest,
    method: str,
    pin: personnummer.PersonalNumber,
    residence: str | None = None,
) -> Verification:
    """Record a successful e-ID step and remember it in this browser session.

    `residence` is what the method itself knows (a broker may say); otherwise the residents'
    register answers.
    """
    user = request.user if request.user.is_authenticated else None
    verification = Verification.objects.create(
        user=user,
        person_key=pin.key,
        method=method,
        residence=residence or residence_of(pin.key),
        birth_date=pin.birth_date,
    )
    # A new identity in this browser: a fresh session key, so the step cannot be carried over.
    request.session.cycle_key()
    request.session[SESSION_KEY] = verification.pk
    remember_verification(request, verification)
    audit.record(
        actor=user, action="identity.verified", obj=verification, changes={"method": method}
    )
    return verification


def verification_forget(*, request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request._torget_eid_cookie = ""  # type: ignore[attr-defined]


def remember_verification(request: HttpRequest, verification: Verification) -> None:
    """Have the middleware set the signed e-ID cookie on this request's response."""
    request._torget_eid_cookie = verification_token(verification)  # type: ignore[attr-defined]


def verification_assisted(
    *, pin: personnummer.PersonalNumber, evidence: str, staff: Actor
) -> Verification:
    """Staff saw an ID document at a service desk or checked a signed paper form."""
    if not evidence.strip():
        raise ValidationError({"evidence": _("Skriv hur identiteten kontrollerades.")})
    verification = Verification.objects.create(
        person_key=pin.key,
        method="assisted",
        residence=residence_of(pin.key),
        birth_date=pin.birth_date,
        registered_by=user_or_none(staff),
        evidence=evidence.strip(),
    )
    audit.record(
        actor=staff,
        action="identity.verified_assisted",
        obj=verification,
        changes={"evidence": evidence.strip()},
    )
    return verification


class RegisterImportError(ValidationError):
    pass


@transaction.atomic
def resident_register_import(*, file: IO[bytes], actor: Actor) -> ResidentImport:
    """Replace the residents' register with the personal identity numbers in a CSV file.

    The first column of each row is read; a header row is allowed. The numbers are hashed
    as they are read and the file is not kept. Any invalid row stops the whole import, with
    its line number, so a half-read register never replaces a good one.
    """
    raw = file.read()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = csvfile.decode_text(raw)
    except csvfile.NotTextError as error:
        raise RegisterImportError(
            _(
                "Filen är ingen textfil. Spara registret som CSV (en rad per person) och försök igen."
            )
        ) from error
    keys: set[str] = set()
    errors: list[str] = []
    rows = csvfile.numbered_rows(text)
    while len(errors) < 10:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except csv.Error:
            errors.append(_("Filen går inte att läsa som CSV (en rad per person)."))
            break
        cell = (row[0] if row else "").strip()
        if not cell:
            continue
        try:
            keys.add(personnummer.parse(cell).key)
        except ValidationError as error:
            if line == 1 and not any(ch.isdigit() for ch in cell):
                continue  # a header row
            errors.append(_("Rad %(line)d: %(error)s") % {"line": line, "error": error.messages[0]})
    if errors:
        raise RegisterImportError(errors)
    if not keys:
        raise RegisterImportError(_("Filen innehåller inga personnummer."))
    ResidentImport.objects.filter(is_current=True).update(is_current=False)
    Resident.objects.all().delete()
    source = ResidentImport.objects.create(
        imported_by=user_or_none(actor), file_sha256=digest, row_count=len(keys)
    )
    Resident.objects.bulk_create(
        [Resident(person_key=key, source=source) for key in keys], batch_size=2000
    )
    audit.record(
        actor=actor,
        action="identity.register_imported",
        obj=source,
        changes={"rows": len(keys), "sha256": digest},
    )
    return source


__all__ = [
    "Residence",
    "RegisterImportError",
    "resident_register_import",
    "verification_assisted",
    "verification_complete",
    "verification_forget",
]


def verifications_remove(*, ids: Collection[int], verified_before: datetime.datetime) -> int:
    """Retention (gallring): remove the identity checks `ids` made before `verified_before`,
    once the app that relied on them no longer needs them (torget/proposals/retention.py).
    The number removed."""
    _total, removed = Verification.objects.filter(
        pk__in=list(ids), verified_at__lt=verified_before
    ).delete()
    return removed.get(Verification._meta.label, 0)
