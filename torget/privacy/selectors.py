"""Reads for the register of personal data and the rights tool."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from torget.accounts.models import User, normalize_email
from torget.core import personal_data as pd
from torget.identity.models import Verification
from torget.identity.personnummer import parse, pin_key
from torget.notifications.phones import normalize_mobile
from torget.privacy.models import SearchedBy

SUBJECT_SALT = "torget.privacy.subject"
# A search result's forms (export, erasure) work for an hour; then the search is made again.
SUBJECT_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class RegisterRow:
    """One record kind of the register, as the privacy page shows it."""

    kind: str
    label: str
    fields: list[tuple[str, str]]
    purpose: str
    basis: str
    retention: str
    erasure: str
    keep_reason: str
    public_record: bool


def register() -> list[RegisterRow]:
    """The register of personal data, one row per record kind, in the apps' order."""
    return [
        RegisterRow(
            kind=str(declaration.kind),
            label=declaration.label,
            fields=[(name, str(what)) for name, what in declaration.fields.items()],
            purpose=str(declaration.purpose),
            basis=str(declaration.basis.label),
            retention=str(declaration.retention),
            erasure=str(declaration.erasure.label),
            keep_reason=str(declaration.keep_reason),
            public_record=declaration.public_record,
        )
        for declaration in pd.declarations()
    ]


def subject_for(*, searched_by: str, value: str) -> pd.Subject:
    """The person named by one e-mail address, mobile number or personnummer, with the
    accounts that are theirs (and those accounts' addresses and numbers). A personnummer is
    turned into the identity app's keyed hash at once and goes no further.

    Raises ValidationError (in Swedish) for a value that isn't one of its kind."""
    emails: set[str] = set()
    phones: set[str] = set()
    keys: set[str] = set()
    users = User.objects.none()
    if searched_by == SearchedBy.EMAIL:
        email = normalize_email(value)
        if "@" not in email:
            raise ValidationError(_("Skriv en hel e-postadress, till exempel namn@exempel.se."))
        emails.add(email)
        users = User.objects.filter(email__iexact=email)
    elif searched_by == SearchedBy.PHONE:
        phone = normalize_mobile(value)
        phones.add(phone)
        users = User.objects.filter(phone=phone)
    elif searched_by == SearchedBy.PIN:
        key = pin_key(parse(value).digits)
        keys.add(key)
        users = User.objects.filter(
            pk__in=Verification.objects.filter(person_key=key, user__isnull=False).values("user_id")
        )
    else:
        raise ValidationError(_("Välj vad du söker på."))
    user_ids = set()
    for user in users.only("pk", "email", "phone", "closed_at"):
        user_ids.add(user.pk)
        if user.closed_at is None:
            emails.add(normalize_email(user.email))
            if user.phone:
                phones.add(user.phone)
    if user_ids:
        keys |= set(
            Verification.objects.filter(user_id__in=user_ids).values_list("person_key", flat=True)
        )
    return pd.Subject(
        user_ids=frozenset(user_ids),
        emails=frozenset(emails),
        phones=frozenset(phones),
        person_keys=frozenset(keys),
    )


def subject_token(subject: pd.Subject, *, searched_by: str) -> str:
    """The search result carried by the result page's forms (signed: it cannot be altered)."""
    return signing.dumps(
        {
            "by": searched_by,
            "u": sorted(subject.user_ids),
            "e": sorted(subject.emails),
            "p": sorted(subject.phones),
            "k": sorted(subject.person_keys),
        },
        salt=SUBJECT_SALT,
        compress=True,
    )


def subject_from_token(token: str) -> tuple[pd.Subject, str]:
    """The subject and what it was searched by, or signing.BadSignature (also when expired)."""
    data = signing.loads(token, salt=SUBJECT_SALT, max_age=SUBJECT_MAX_AGE)
    subject = pd.Subject(
        user_ids=frozenset(int(pk) for pk in data["u"]),
        emails=frozenset(data["e"]),
        phones=frozenset(data["p"]),
        person_keys=frozenset(data["k"]),
    )
    return subject, str(data["by"])


@dataclass(frozen=True)
class Found:
    """A person's rows of one record kind."""

    declaration: pd.Declaration
    rows: list[dict[str, Any]]

    @property
    def kind(self) -> str:
        return str(self.declaration.kind)

    @property
    def label(self) -> str:
        return self.declaration.label

    @property
    def columns(self) -> list[str]:
        return self.declaration.export_fields()

    def headings(self) -> list[str]:
        model = self.declaration.model
        names = []
        for name in self.columns:
            if name == "pk":
                names.append(_("Nummer"))
            else:
                field = model._meta.get_field(name)
                names.append(str(getattr(field, "verbose_name", name)))
        return names

    def table(self) -> list[list[Any]]:
        return [[row[name] for name in self.columns] for row in self.rows]

    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        headings = self.headings()
        return [list(zip(headings, values, strict=True)) for values in self.table()]


def _value(obj: models.Model, name: str) -> Any:
    if name == "pk":
        return obj.pk if isinstance(obj.pk, int) else str(obj.pk)
    field = obj._meta.get_field(name)
    if field.is_relation:
        related = getattr(obj, name)
        if related is None:
            return None
        # Another account is named by number only, never by its name or address.
        if isinstance(related, User):
            return _("konto %(number)s") % {"number": related.pk}
        return str(related)
    value = getattr(obj, name)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def found_for(subject: pd.Subject) -> list[Found]:
    """Everything the declarations find about the person, kind by kind (kinds without rows
    left out)."""
    if subject.is_empty():
        return []
    found = []
    for declaration in pd.declarations():
        if declaration.find is None:
            continue
        rows = [
            {name: _value(obj, name) for name in declaration.export_fields()}
            for obj in declaration.find(subject).order_by("pk")
        ]
        if rows:
            found.append(Found(declaration=declaration, rows=rows))
    return found


def export_document(found: list[Found], *, reference: str, at: datetime.datetime) -> dict[str, Any]:
    """The export as JSON-ready data: per record kind, what and why, and the rows."""
    return {
        "reference": reference,
        "exported_at": at.isoformat(),
        "kinds": [
            {
                "kind": item.kind,
                "model": item.label,
                "purpose": str(item.declaration.purpose),
                "legal_basis": str(item.declaration.basis.label),
                "retention": str(item.declaration.retention),
                "rows": item.rows,
            }
            for item in found
        ],
    }


@dataclass(frozen=True)
class PlannedErasure:
    """What an erasure will do to the person's rows of one kind (the confirmation step)."""

    kind: str
    label: str
    count: int
    erasure: pd.Erasure
    fields: list[str]
    keep_reason: str
    public_record: bool


def erasure_plan(found: list[Found]) -> list[PlannedErasure]:
    plan = []
    for item in found:
        declaration = item.declaration
        if declaration.erasure == pd.Erasure.ANONYMISE and declaration.anonymise:
            fields = [str(declaration.fields.get(name, name)) for name in declaration.anonymise]
        else:
            fields = [str(what) for what in declaration.fields.values()]
        plan.append(
            PlannedErasure(
                kind=item.kind,
                label=item.label,
                count=len(item.rows),
                erasure=declaration.erasure,
                fields=fields,
                keep_reason=str(declaration.keep_reason),
                public_record=declaration.public_record,
            )
        )
    return plan
