"""Ballot secrecy: nobody reading the tables can join a ballot to a person or to the mark
that says the person voted. Checked on the models' fields, on the database's columns, and
on the values the votes actually wrote."""

import uuid

import pytest
from django.db import connection, models
from django.test import override_settings

from torget.audit.models import AuditEntry
from torget.budget import voting
from torget.budget.models import Ballot, Phase, VoteMark
from torget.budget.selectors import ballot_chain
from torget.budget.tests.factories import budget_round, project, verification
from torget.dialogues.tests.factories import cast
from torget.identity.models import Resident, ResidentImport, Verification
from torget.identity.tests.factories import make_pin

pytestmark = pytest.mark.django_db

# What a ballot and a mark may have in common: the round, which every voter shares.
SHARED_BY_EVERYONE = {"round"}


def _columns(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
        }


class TestTheModelsHaveNoJoin:
    @pytest.mark.parametrize("model", [Ballot, VoteMark])
    def test_random_keys_and_no_relation_but_the_round(self, model):
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4
        relations = [field for field in model._meta.get_fields() if field.is_relation]
        assert [(field.name, field.related_model) for field in relations] == [
            ("round", voting.BudgetRound)
        ]

    @pytest.mark.parametrize("model", [Ballot, VoteMark])
    def test_no_time_finer_than_the_day(self, model):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), field.name
            assert not isinstance(field, models.TimeField), field.name

    def test_a_ballot_has_no_time_and_no_channel(self):
        # On a quiet day the day alone, or the day and "assisted", could point at the one
        # verification of that day in identity's log, and so at the person.
        for field in Ballot._meta.concrete_fields:
            assert not isinstance(field, models.DateField), field.name
        assert "channel" not in {field.name for field in Ballot._meta.concrete_fields}

    def test_the_tables_hold_only_these_columns(self):
        # Nothing added behind the models' back (a user id, a timestamp, a serial number).
        assert _columns(Ballot) == {
            "id",
            "round_id",
            "chain",
            "choices",
            "total_cost",
            "superseded",
        }
        # The age band a voter may give (representativeness) is on the mark, never the ballot.
        assert _columns(VoteMark) == {
            "id",
            "round_id",
            "person_key",
            "marked_on",
            "channel",
            "age_band",
        }

    def test_no_column_name_in_common_but_the_round_and_key(self):
        ballot = {field.name for field in Ballot._meta.concrete_fields}
        mark = {field.name for field in VoteMark._meta.concrete_fields}
        assert ballot & mark == {"id", "round"}


def _values(row: models.Model) -> dict[str, object]:
    return {
        field.name: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        # An empty value (an age band not given) says nothing and is "in" every string.
        if field.name not in SHARED_BY_EVERYONE and getattr(row, field.attname) != ""
    }


def _text(value: object) -> str:
    return str(value)


class TestTheStoredValuesHaveNoJoin:
    @pytest.fixture
    def voted(self):
        """A round where several people voted, one changed the ballot, one was assisted."""
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING)
        for cost in (100, 200, 300):
            project(round, cost)
        voters = [verification() for _ in range(4)]
        for number, person in enumerate(voters):
            voting.vote_cast(
                round=round,
                verification=person,
                choices=[number % 3 + 1],
                age_band="30-44" if number % 2 else "",
            )
        voting.vote_cast(round=round, verification=voters[0], choices=[3, 2])
        pin = make_pin()
        source = ResidentImport.objects.create(file_sha256="0" * 64, row_count=1)
        Resident.objects.create(person_key=pin.key, source=source)
        voting.assisted_vote(
            round=round, actor=people.official, pin=pin, evidence="Telefon", choices=[1]
        )
        return round

    def test_no_value_of_a_mark_is_in_a_ballot_and_back(self, voted):
        marks = list(VoteMark.objects.filter(round=voted))
        ballots = list(Ballot.objects.filter(round=voted))
        assert len(marks) == 5 and len(ballots) == 6
        for mark in marks:
            for ballot in ballots:
                for mark_field, mark_value in _values(mark).items():
                    for ballot_field, ballot_value in _values(ballot).items():
                        pair = (mark_field, ballot_field)
                        assert mark_value != ballot_value, pair
                        if isinstance(mark_value, str | uuid.UUID) and isinstance(
                            ballot_value, str | uuid.UUID
                        ):
                            assert _text(mark_value) not in _text(ballot_value), pair
                            assert _text(ballot_value) not in _text(mark_value), pair

    def test_no_value_of_a_ballot_is_in_a_verification_or_the_audit_log(self, voted):
        secrets = set()
        for ballot in Ballot.objects.filter(round=voted):
            secrets |= {str(ballot.pk), ballot.chain}
        for checked in Verification.objects.all():
            row = " ".join(str(value) for value in _values(checked).values())
            assert not any(secret in row for secret in secrets)
        for entry in AuditEntry.objects.all():
            row = f"{entry.object_id} {entry.object_repr} {entry.changes}"
            assert not any(secret in row for secret in secrets)

    def test_the_chain_needs_the_servers_secret(self, voted):
        # Someone with the tables (and the person's key) but not the server's secret cannot
        # compute a person's chain and so cannot find their ballot.
        mark = VoteMark.objects.filter(round=voted).first()
        chains = set(Ballot.objects.filter(round=voted).values_list("chain", flat=True))
        assert ballot_chain(voted, mark.person_key) in chains
        with override_settings(SECRET_KEY="someone else's secret, not the server's"):
            assert ballot_chain(voted, mark.person_key) not in chains

    def test_rows_carry_random_keys(self, voted):
        for row in [*VoteMark.objects.filter(round=voted), *Ballot.objects.filter(round=voted)]:
            assert row.pk.version == 4
