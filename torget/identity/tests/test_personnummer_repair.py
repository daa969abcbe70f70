"""Re-keying what the old `parse` stored from other digit scripts (issue 15)."""

import datetime
import hmac
import unicodedata

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from torget.audit.models import AuditEntry
from torget.identity.models import Resident, ResidentImport, Verification
from torget.identity.personnummer import luhn_ok, pin_key, with_check_digit
from torget.identity.personnummer_repair import (
    candidates,
    digit_zeros,
    legacy_key,
    old_spelling,
    person_keys_repair,
)
from torget.identity.tests.factories import VerificationFactory

ARABIC_INDIC = "\u0660"
FULL_WIDTH = "\uff10"
BORN = datetime.date(1981, 12, 18)
DIGITS = "198112189876"


def verification_keyed(digits: str, zero: str, born: datetime.date = BORN) -> Verification:
    """A verification as the old `parse` stored it for a number typed in one script."""
    return VerificationFactory(person_key=legacy_key(digits, zero), birth_date=born)


class TestSpellings:
    def test_every_decimal_digit_script_is_tried_ascii_first(self):
        zeros = digit_zeros()
        assert zeros[0] == "0"
        assert {ARABIC_INDIC, "\u06f0", FULL_WIDTH, "\u0966", "\u09e6"} <= set(zeros)
        assert all(unicodedata.decimal(zero) == 0 for zero in zeros)
        assert len(zeros) == len(set(zeros)) > 60

    def test_a_birth_date_has_two_thousand_luhn_valid_numbers(self):
        numbers = candidates(BORN)
        assert len(set(numbers)) == 2000
        assert DIGITS in numbers
        assert all(luhn_ok(n[2:]) for n in numbers)
        coordination = [n for n in numbers if n[6:8] == "78"]
        assert len(coordination) == 1000

    def test_the_old_spelling_kept_the_year_in_ascii(self):
        assert old_spelling(DIGITS, ARABIC_INDIC) == "1981١٢١٨٩٨٧٦"
        assert legacy_key(DIGITS, "0") == pin_key(DIGITS)


@pytest.mark.django_db
class TestVerifications:
    def test_a_verification_keyed_from_arabic_indic_digits_gets_the_canonical_key(self):
        verification = verification_keyed(DIGITS, ARABIC_INDIC)
        report = person_keys_repair()
        verification.refresh_from_db()
        assert verification.person_key == pin_key(DIGITS)
        assert report.verifications_rekeyed == 1
        assert report.unrecoverable == 0

    def test_a_coordination_number_in_full_width_digits_is_recovered(self):
        born = datetime.date(1970, 10, 3)
        digits = "19" + with_check_digit("701063239")
        verification = verification_keyed(digits, FULL_WIDTH, born)
        person_keys_repair()
        verification.refresh_from_db()
        assert verification.person_key == pin_key(digits)

    def test_a_verification_typed_in_ascii_is_left_alone(self):
        verification = verification_keyed(DIGITS, "0")
        report = person_keys_repair()
        verification.refresh_from_db()
        assert verification.person_key == pin_key(DIGITS)
        assert report.verifications_rekeyed == 0
        assert not AuditEntry.objects.exists()

    def test_a_number_in_mixed_scripts_is_left_as_it_is_and_counted(self):
        # What the old `parse` hashed for "1981١٢１８9876": each digit kept its own script.
        mixed = "1981" + "١٢" + "１８" + "9876"
        old = hmac.new(settings.IDENTITY_HASH_KEY.encode(), mixed.encode(), "sha256").hexdigest()
        verification = VerificationFactory(person_key=old, birth_date=BORN)
        report = person_keys_repair()
        verification.refresh_from_db()
        assert verification.person_key == old
        assert report.unrecoverable == 1
        assert report.verifications_rekeyed == 0

    def test_each_rekeyed_verification_has_its_own_audit_entry_by_the_system(self):
        first = verification_keyed(DIGITS, ARABIC_INDIC)
        second = verification_keyed(DIGITS, ARABIC_INDIC)
        person_keys_repair()
        entries = AuditEntry.objects.filter(action="identity.person_key_canonicalised")
        assert sorted(int(e.object_id) for e in entries) == sorted([first.pk, second.pk])
        assert all(e.actor is None and e.actor_label == "system" for e in entries)
        assert entries.first().changes["script"] == "arabic-indic"
        # The entries say what happened, never the number or a key.
        assert not any(DIGITS in str(e.changes) for e in entries)

    def test_running_it_again_changes_nothing(self):
        verification_keyed(DIGITS, FULL_WIDTH)
        person_keys_repair()
        again = person_keys_repair()
        assert again.as_dict()["verifications_rekeyed"] == 0
        assert again.unrecoverable == 0


@pytest.mark.django_db
class TestResidentRegister:
    def register(self, *keys: str) -> None:
        source = ResidentImport.objects.create(file_sha256="0" * 64, row_count=len(keys))
        Resident.objects.bulk_create([Resident(person_key=k, source=source) for k in keys])

    def test_a_register_row_follows_its_persons_new_key(self):
        verification_keyed(DIGITS, FULL_WIDTH)
        self.register(legacy_key(DIGITS, FULL_WIDTH))
        report = person_keys_repair()
        assert list(Resident.objects.values_list("person_key", flat=True)) == [pin_key(DIGITS)]
        assert report.residents_rekeyed == 1

    def test_one_person_twice_in_the_register_becomes_one_row(self):
        verification_keyed(DIGITS, FULL_WIDTH)
        self.register(legacy_key(DIGITS, FULL_WIDTH), pin_key(DIGITS))
        report = person_keys_repair()
        assert list(Resident.objects.values_list("person_key", flat=True)) == [pin_key(DIGITS)]
        assert report.residents_merged == 1
        assert AuditEntry.objects.filter(action="identity.resident_merged").count() == 1


@pytest.mark.django_db
class TestInTheMigration:
    def test_the_repair_works_with_the_migrations_historical_models(self):
        verification = verification_keyed(DIGITS, ARABIC_INDIC)
        state = MigrationLoader(connection).project_state(
            ("identity", "0002_canonical_person_keys")
        )
        report = person_keys_repair(state.apps)
        verification.refresh_from_db()
        assert verification.person_key == pin_key(DIGITS)
        assert report.verifications_rekeyed == 1
        entry = AuditEntry.objects.get(action="identity.person_key_canonicalised")
        assert entry.object_repr == f"identitetskontroll {verification.pk}"
