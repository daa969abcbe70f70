"""The database keeps the round's invariants, whatever the services do."""

import pytest
from django.db import IntegrityError, transaction

from torget.budget.models import Ballot, Phase, VoteMark
from torget.budget.tests.factories import budget_round, project


@pytest.mark.django_db
class TestInvariants:
    def test_one_current_ballot_per_chain_and_round(self):
        round = budget_round(phase=Phase.VOTING)
        Ballot.objects.create(round=round, chain="a" * 64, choices=[1])
        Ballot.objects.create(round=round, chain="a" * 64, choices=[1], superseded=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            Ballot.objects.create(round=round, chain="a" * 64, choices=[2])

    def test_one_mark_per_person_and_round(self):
        round = budget_round(phase=Phase.VOTING)
        VoteMark.objects.create(round=round, person_key="k" * 64)
        with pytest.raises(IntegrityError), transaction.atomic():
            VoteMark.objects.create(round=round, person_key="k" * 64)

    def test_a_project_on_the_ballot_has_a_cost(self):
        round = budget_round(phase=Phase.REVIEW)
        with pytest.raises(IntegrityError), transaction.atomic():
            project(round, cost=None)

    def test_no_implementation_before_the_decision(self):
        round = budget_round(phase=Phase.RESULT)
        round.phase = Phase.DECIDED
        with pytest.raises(IntegrityError), transaction.atomic():
            round.save()
