"""The demo citizen budget: one round open for voting today and one decided round whose
projects are in every state, loaded twice without a duplicate."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from torget.budget.demo import DIALOGUE, ROUND_DONE, ROUND_VOTING
from torget.budget.models import (
    Ballot,
    BudgetRound,
    Channel,
    Comment,
    Idea,
    IdeaStatus,
    Interest,
    Phase,
    Progress,
    ProgressUpdate,
    VoteMark,
)
from torget.dialogues.catalogue import CITIZEN_BUDGET
from torget.dialogues.models import Dialogue, LadderStep

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Dialogue,
            BudgetRound,
            Idea,
            Comment,
            Interest,
            Ballot,
            VoteMark,
            ProgressUpdate,
        )
    }


def test_the_demo_loads_twice_without_duplicates(demo):
    before = _counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert Dialogue.objects.filter(title=DIALOGUE).count() == 1
    assert BudgetRound.objects.filter(title__in=[ROUND_DONE, ROUND_VOTING]).count() == 2


def test_a_co_decision_dialogue_in_berga_with_the_citizen_budget(demo):
    dialogue = Dialogue.objects.get(title=DIALOGUE)
    assert dialogue.ladder_step == LadderStep.CO_DECISION
    assert dialogue.methods.filter(method__code=CITIZEN_BUDGET).exists()
    assert list(dialogue.areas.values_list("name", flat=True)) == ["Berga"]
    for round in dialogue.budget_rounds.all():
        assert round.areas.get().name == "Berga"
        assert round.planned_method.method.code == CITIZEN_BUDGET


def test_one_round_takes_votes_today_with_ideas_of_every_status(demo):
    round = BudgetRound.objects.get(title=ROUND_VOTING)
    assert round.phase == Phase.VOTING and round.takes_votes()
    statuses = set(round.ideas.values_list("status", flat=True))
    assert statuses == {
        IdeaStatus.FEASIBLE,
        IdeaStatus.NOT_FEASIBLE,
        IdeaStatus.BREACHES,
        IdeaStatus.MERGED,
    }
    for idea in round.ideas.exclude(status=IdeaStatus.FEASIBLE):
        assert idea.status_reason
    merged = round.ideas.get(status=IdeaStatus.MERGED)
    assert merged.merged_into.status == IdeaStatus.FEASIBLE
    assert merged.merges_out.get().done_at is not None
    assert Comment.objects.filter(idea__round=round).exists()
    assert Interest.objects.filter(idea__round=round).exists()
    ballots = round.ballots.all()
    assert ballots.exists() and ballots.count() == round.vote_marks.count()
    costs = dict(round.ideas.values_list("number", "cost"))
    for ballot in ballots:
        assert ballot.total_cost == sum(costs[n] for n in ballot.choices) <= round.amount
        assert all(costs[n] is not None for n in ballot.choices)
    for mark in round.vote_marks.all():
        assert round.voting_opens_on <= mark.marked_on <= timezone.localdate()
    assert round.vote_marks.filter(channel=Channel.ASSISTED).count() == 1


def test_one_round_is_decided_with_projects_in_every_state(demo):
    round = BudgetRound.objects.get(title=ROUND_DONE)
    assert round.phase == Phase.DECIDED
    assert round.voting_closes_on < timezone.localdate() - datetime.timedelta(days=60)
    assert round.result_published_at is not None
    assert round.decided_on and round.decision_body and round.decision_reference
    assert round.result_published_at.date() <= round.decided_on
    funded = round.ideas.filter(funded=True)
    assert set(funded.values_list("progress", flat=True)) == {
        Progress.PLANNED,
        Progress.STARTED,
        Progress.DONE,
    }
    assert sum(funded.values_list("cost", flat=True)) <= round.amount
    assert round.ideas.filter(status=IdeaStatus.FEASIBLE, funded=False).exists()
    for idea in funded.filter(progress=Progress.DONE):
        assert idea.done_on and idea.money_spent is not None
    assert ProgressUpdate.objects.filter(idea__round=round).exclude(photo="").exists()
    assert all(idea.updates.exists() for idea in funded)
    assert round.ballots.count() == round.vote_marks.count() > 0


def test_the_demo_pages_of_the_decided_round_answer(client, demo):
    round = BudgetRound.objects.get(title=ROUND_DONE)
    response = client.get(reverse("budget:projects", args=[round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Läge: Planerad", "Läge: Påbörjad", "Läge: Klar"):
        assert label in page
    photo = ProgressUpdate.objects.filter(idea__round=round).exclude(photo="").get()
    assert client.get(reverse("budget:update_photo", args=[photo.pk])).status_code == 200
