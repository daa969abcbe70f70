"""Re-key what was stored before `personnummer.parse` had one canonical form (issue 15).

Until then a number typed in Arabic-Indic or full-width digits was hashed as typed: the year
came out in ASCII (it went through `int`), but month, day and the last four digits kept
their script. The same person so had one key per script, and could support a proposal once
per script.

Only keyed hashes are stored, never the number, so the numbers are found again the way an
attacker with the secret would: a verification keeps its birth date, which leaves two days
(with and without the samordningsnummer's 60) × 1,000 last four digits that pass the Luhn
check, i.e. 2,000 candidates per digit script. The ASCII spelling is tried first (almost
every record); a record that matches none of those is tried in every other script Unicode
has. A match in another script gives the old key → canonical key pair; a record that matches
nothing (digits of several scripts mixed in one number, or a key made with another
IDENTITY_HASH_KEY) is left as it is and counted.

Other apps that store person keys re-key theirs through an `on_person_keys_changed` hook on
their AppConfig (as with `on_account_closed`), given the old → new map; this module knows
none of them. The work runs with the models of whatever app registry it is given, so the
data migration can hand it its historical models.
"""

import hmac
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import models, transaction

from torget.identity.personnummer import luhn_ok

SYSTEM = "system"
_CHUNK = 500


@cache
def digit_zeros() -> tuple[str, ...]:
    """The zero of every decimal digit script Unicode has, ASCII first.

    Unicode guarantees that each script's decimal digits are ten consecutive code points,
    zero first, so the zero is all a script needs to be spelled in.
    """
    zeros = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Nd" and unicodedata.decimal(chr(c)) == 0
    ]
    return ("0", *(z for z in zeros if z != "0"))


def _in_script(ascii_digits: str, zero: str) -> str:
    if zero == "0":
        return ascii_digits
    base = ord(zero)
    return "".join(chr(base + ord(d) - 48) for d in ascii_digits)


def candidates(birth_date: Any) -> list[str]:
    """Every canonical twelve-digit number with this birth date that passes the Luhn check:
    personnummer and samordningsnummer, 1,000 of each."""
    year, month = f"{birth_date.year:04d}", f"{birth_date.month:02d}"
    numbers = []
    for day in (birth_date.day, birth_date.day + 60):
        date_part = f"{year[2:]}{month}{day:02d}"
        for serial in range(1000):
            nine = f"{date_part}{serial:03d}"
            check = next(d for d in "0123456789" if luhn_ok(nine + d))
            numbers.append(f"{year[:2]}{nine}{check}")
    return numbers


def old_spelling(canonical: str, zero: str) -> str:
    """How the old `parse` kept a number typed in one script: the year in ASCII, the rest in
    the script it was typed in."""
    return canonical[:4] + _in_script(canonical[4:], zero)


class _Matcher:
    """Old keys of one birth date, script by script, each script computed once at most."""

    def __init__(self, birth_date: Any, secret: bytes) -> None:
        self.birth_date = birth_date
        self.numbers = candidates(birth_date)
        self.secret = secret
        self.by_script: dict[str, dict[bytes, str]] = {}

    def keys(self, zero: str) -> dict[bytes, str]:
        if zero not in self.by_script:
            self.by_script[zero] = {
                hmac.digest(self.secret, old_spelling(n, zero).encode(), "sha256"): n
                for n in self.numbers
            }
        return self.by_script[zero]

    def find(self, key: bytes) -> tuple[str, str] | None:
        """(script's zero, canonical digits) of the spelling that gave this key, or None."""
        for zero in digit_zeros():
            number = self.keys(zero).get(key)
            if number is not None:
                return zero, number
        return None


def _digest(person_key: str) -> bytes | None:
    try:
        return bytes.fromhex(person_key)
    except ValueError:
        return None


def canonical_key(digits: str, secret: bytes) -> str:
    return hmac.digest(secret, digits.encode(), "sha256").hex()


@dataclass
class RepairReport:
    verifications_rekeyed: int = 0
    unrecoverable: int = 0
    residents_rekeyed: int = 0
    residents_merged: int = 0
    # What the other apps' hooks report (supports re-keyed, duplicates flagged, …).
    others: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        return {
            "verifications_rekeyed": self.verifications_rekeyed,
            "unrecoverable": self.unrecoverable,
            "residents_rekeyed": self.residents_rekeyed,
            "residents_merged": self.residents_merged,
            **self.others,
        }


AuditWriter = Callable[..., None]


def audit_writer(apps: Apps) -> tuple[AuditWriter, Callable[[], int]]:
    """Write audit entries with this registry's models, as `audit.services.record` does for
    an actor-less change ("system"), and a function that saves those collected so far.

    A migration's historical models have no `audit_repr`, so the caller names the object.
    """
    entry_model = apps.get_model("audit", "AuditEntry")
    content_types = apps.get_model("contenttypes", "ContentType")
    type_ids: dict[tuple[str, str], int] = {}
    pending: list[models.Model] = []

    def write(*, action: str, obj: models.Model, object_repr: str, changes: dict[str, Any]) -> None:
        meta = obj._meta
        label = (meta.app_label, meta.model_name or "")
        if label not in type_ids:
            type_ids[label] = content_types.objects.get_or_create(
                app_label=label[0], model=label[1]
            )[0].pk
        pending.append(
            entry_model(
                actor=None,
                actor_label=SYSTEM,
                action=action,
                content_type_id=type_ids[label],
                object_id=str(obj.pk),
                object_repr=object_repr[:200],
                changes=changes,
            )
        )

    def flush() -> int:
        entry_model.objects.bulk_create(pending, batch_size=1000)
        saved = len(pending)
        pending.clear()
        return saved

    return write, flush


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _script_name(zero: str) -> str:
    return unicodedata.name(zero, "").removesuffix(" DIGIT ZERO").lower() or hex(ord(zero))


def recover_verification_keys(
    apps: Apps, *, secret: bytes, audit: AuditWriter, report: RepairReport
) -> dict[str, str]:
    """Re-key the verifications whose key came from a non-ASCII spelling; the old → new map."""
    verification_model = apps.get_model("identity", "Verification")
    changes: dict[str, str] = {}
    scripts: dict[str, str] = {}
    rows = verification_model.objects.order_by("birth_date", "pk").values_list(
        "pk", "person_key", "birth_date"
    )
    matcher: _Matcher | None = None
    for pk, person_key, birth_date in rows.iterator(chunk_size=2000):
        if person_key not in changes:  # else: the same person, verified again
            if matcher is None or matcher.birth_date != birth_date:
                matcher = _Matcher(birth_date, secret)
            digest = _digest(person_key)
            found = matcher.find(digest) if digest is not None else None
            if found is None:
                report.unrecoverable += 1
                continue
            zero, digits = found
            if zero == "0":
                continue  # typed in ASCII: already canonical
            changes[person_key] = canonical_key(digits, secret)
            scripts[person_key] = _script_name(zero)
        verification_model.objects.filter(pk=pk).update(person_key=changes[person_key])
        report.verifications_rekeyed += 1
        audit(
            action="identity.person_key_canonicalised",
            obj=verification_model(pk=pk),
            object_repr=f"identitetskontroll {pk}",
            changes={"reason": "personnummer i annan skrift", "script": scripts[person_key]},
        )
    return changes


def rekey_residents(
    apps: Apps, changes: dict[str, str], *, audit: AuditWriter, report: RepairReport
) -> None:
    """The residents' register has no birth dates: its rows are re-keyed by the map only.

    A person found twice in the register (once per spelling) is one resident: the row with
    the old key goes, as the import would have made one row of them had it known.
    """
    resident_model = apps.get_model("identity", "Resident")
    for batch in _chunks(changes):
        for resident in resident_model.objects.filter(person_key__in=batch):
            new = changes[resident.person_key]
            if resident_model.objects.filter(person_key=new).exists():
                audit(
                    action="identity.resident_merged",
                    obj=resident,
                    object_repr=f"folkbokförd {resident.pk}",
                    changes={"reason": "samma personnummer i annan skrift"},
                )
                resident.delete()
                report.residents_merged += 1
            else:
                resident_model.objects.filter(pk=resident.pk).update(person_key=new)
                audit(
                    action="identity.person_key_canonicalised",
                    obj=resident,
                    object_repr=f"folkbokförd {resident.pk}",
                    changes={"reason": "personnummer i annan skrift"},
                )
                report.residents_rekeyed += 1


def person_keys_repair(apps: Apps | None = None, *, secret: str | None = None) -> RepairReport:
    """Recover canonical keys for verifications and the residents' register, then let every
    app with an `on_person_keys_changed(apps=, changes=, audit=)` hook re-key its own rows.

    `apps` is the registry whose models are used (a migration's historical ones, or the
    installed apps by default). One audit entry per change; nothing is deleted but a
    register row that merges into the same person's.
    """
    apps = apps or installed_apps
    key = (secret if secret is not None else settings.IDENTITY_HASH_KEY).encode()
    report = RepairReport()
    with transaction.atomic():
        audit, flush = audit_writer(apps)
        changes = recover_verification_keys(apps, secret=key, audit=audit, report=report)
        rekey_residents(apps, changes, audit=audit, report=report)
        # The hooks are looked up on the installed apps (a historical registry has no
        # AppConfig methods); they work on the models of `apps`. Called with an empty map
        # too, so every report has the same counts.
        for config in installed_apps.get_app_configs():
            hook = getattr(config, "on_person_keys_changed", None)
            if hook is not None:
                for name, count in hook(apps=apps, changes=changes, audit=audit).items():
                    report.others[name] = report.others.get(name, 0) + count
        flush()
    return report


def legacy_key(digits: str, zero: str, *, secret: str | None = None) -> str:
    """The key the old `parse` stored for these canonical digits typed in the script whose
    zero is `zero` (for tests, and to reproduce what an affected database holds)."""
    key = (secret if secret is not None else settings.IDENTITY_HASH_KEY).encode()
    return hmac.digest(key, old_spelling(digits, zero).encode(), "sha256").hex()
