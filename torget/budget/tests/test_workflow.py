"""The round's workflow as the services take it: each guard refuses with its reason, each
step is audited and announced to the followers of the round and of its dialogue, and the
worker's sweep closes the phases whose last day has passed."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.budget import services
from torget.budget.models import BudgetRound, IdeaStatus, Phase, Progress, VotingRule
from torget.budget.tests.factories import budget_dialogue, budget_round, idea, project
from torget.budget.workflow import BudgetError
from torget.notifications.models import Notification

DAY = datetime.timedelta(days=1)


@pytest.fixture
def w(db):
    dialogue, people = budget_dialogue()
    return dialogue, people


def _round(w, phase, **values):
    dialogue, people = w
    return budget_round(dialogue, people=people, phase=phase, **values)


def _messages(error: BudgetError) -> str:
    return " ".join(error.messages)


class TestGuards:
    def test_opening_for_ideas_needs_the_approval_first(self, w):
        round = _round(w, Phase.DRAFT)
        with pytest.raises(BudgetError, match="fasen utkast"):
            services.round_step(round=round, step="open_ideas", actor=w[1].official)
        round.refresh_from_db()
        assert round.phase == Phase.DRAFT

    def test_approval_step_without_the_presidium_recorded_is_refused(self, w):
        round = _round(w, Phase.DRAFT)
        with pytest.raises(BudgetError) as refused:
            services.round_step(round=round, step="approve", actor=w[1].official)
        assert "Presidiets godkännande är inte registrerat" in _messages(refused.value)

    def test_a_rule_other_than_knapsack_needs_votes_per_ballot_before_approval(self, w):
        round = _round(w, Phase.DRAFT, voting_rule=VotingRule.APPROVAL, votes_per_ballot=None)
        with pytest.raises(BudgetError) as refused:
            services.approval_record(
                round=round,
                actor=w[1].official,
                body=w[1].body,
                names="Ordföranden",
                approved_on=timezone.localdate(),
            )
        assert "hur många röster" in _messages(refused.value)
        round.refresh_from_db()
        assert round.phase == Phase.DRAFT and round.approved_on is None

    def test_voting_does_not_open_before_every_idea_is_reviewed(self, w):
        round = _round(w, Phase.REVIEW)
        project(round, cost=100_000)
        idea(round)  # still submitted
        with pytest.raises(BudgetError) as refused:
            services.round_step(round=round, step="open_voting", actor=w[1].official)
        assert "Alla idéer är inte granskade" in _messages(refused.value)
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.REVIEW

    def test_voting_does_not_open_without_projects(self, w):
        round = _round(w, Phase.REVIEW)
        idea(round, status=IdeaStatus.NOT_FEASIBLE, status_reason="Marken är inte kommunens.")
        with pytest.raises(BudgetError, match="inga genomförbara projekt"):
            services.round_step(round=round, step="open_voting", actor=w[1].official)

    def test_voting_opens_when_every_idea_is_reviewed_and_there_are_projects(self, w):
        round = _round(w, Phase.REVIEW)
        project(round, cost=100_000)
        idea(round, status=IdeaStatus.BREACHES, status_reason="Ligger utanför Berga.")
        services.round_step(round=round, step="open_voting", actor=w[1].official)
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.VOTING

    def test_the_result_is_not_published_before_it_is_counted(self, w):
        round = _round(w, Phase.COUNTING)
        with pytest.raises(BudgetError, match="inte räknade"):
            services.round_step(round=round, step="publish_result", actor=w[1].official)

    def test_the_decision_step_needs_the_body_and_the_date(self, w):
        round = _round(w, Phase.RESULT, result={"winners": [1]})
        with pytest.raises(BudgetError, match="vilket organ som fattade beslutet"):
            services.round_step(round=round, step="record_decision", actor=w[1].official)

    def test_the_decision_comes_before_the_round_can_finish(self, w):
        round = _round(w, Phase.RESULT, result={"winners": [1]})
        with pytest.raises(BudgetError, match="fasen resultatet publicerat"):
            services.round_step(round=round, step="finish", actor=w[1].official)

    def test_finishing_waits_for_every_funded_project(self, w):
        round = _round(w, Phase.DECIDED)
        project(round, cost=100_000, funded=True, progress=Progress.STARTED)
        with pytest.raises(BudgetError, match="inte klara"):
            services.round_step(round=round, step="finish", actor=w[1].official)

    def test_apply_sets_the_steps_fields_before_the_guards(self, w):
        round = _round(w, Phase.RESULT, result={"winners": [1]})

        def apply(locked):
            locked.decision_body = w[1].body
            locked.decided_on = timezone.localdate()

        services.round_step(round=round, step="record_decision", actor=w[1].official, apply=apply)
        round.refresh_from_db()
        assert round.phase == Phase.DECIDED and round.decision_body == w[1].body

    def test_an_unknown_step_is_refused(self, w):
        round = _round(w, Phase.IDEAS)
        with pytest.raises(BudgetError):
            services.round_step(round=round, step="skip_to_the_end", actor=w[1].official)


class TestWhoMayTakeSteps:
    @pytest.mark.parametrize("who", ["citizen", "elected"])
    def test_only_those_who_work_with_the_dialogue(self, w, who):
        round = _round(w, Phase.IDEAS)
        actor = CitizenFactory() if who == "citizen" else user_with_role(Role.ELECTED)
        with pytest.raises(PermissionDenied):
            services.round_step(round=round, step="start_review", actor=actor)
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.IDEAS
        assert not AuditEntry.objects.filter(action="budget.start_review").exists()

    def test_the_presidium_chair_may(self, w):
        round = _round(w, Phase.IDEAS)
        services.round_step(round=round, step="start_review", actor=w[1].chair)
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.REVIEW


def _audience(*objects):
    return [[ContentType.objects.get_for_model(o).pk, o.pk] for o in objects]


class TestEveryStepIsAuditedAndAnnounced:
    def test_a_round_from_draft_to_finished(self, w):
        dialogue, people = w
        actor = people.official
        round = _round(w, Phase.DRAFT)
        services.approval_record(
            round=round,
            actor=actor,
            body=people.body,
            names="Ordförande och vice ordförande",
            approved_on=timezone.localdate(),
            reference="KS 2027/3",
        )
        services.round_step(round=round, step="open_ideas", actor=actor)
        project(round, cost=200_000)
        services.round_step(round=round, step="start_review", actor=actor)
        services.round_step(round=round, step="open_voting", actor=actor)
        services.round_step(round=round, step="close_voting", actor=actor)

        def counted(locked):
            locked.result = {"winners": [1]}
            locked.result_published_at = timezone.now()

        services.round_step(round=round, step="publish_result", actor=actor, apply=counted)

        def decided(locked):
            locked.decision_body = people.body
            locked.decided_on = timezone.localdate()

        services.round_step(
            round=round,
            step="record_decision",
            actor=actor,
            apply=decided,
            changes={"reference": "KS 2027/40"},
        )
        services.round_step(round=round, step="finish", actor=actor)

        round.refresh_from_db()
        assert round.phase == Phase.FINISHED
        steps = [
            "approve",
            "open_ideas",
            "start_review",
            "open_voting",
            "close_voting",
            "publish_result",
            "record_decision",
            "finish",
        ]
        entries = list(
            AuditEntry.objects.filter(object_id=str(round.pk), action__startswith="budget.")
            .exclude(action="budget.created")
            .order_by("pk")
        )
        assert [e.action for e in entries] == [f"budget.{s}" for s in steps]
        assert all(e.actor == actor for e in entries)
        assert entries[0].changes["from"] == Phase.DRAFT
        assert entries[0].changes["to"] == Phase.APPROVED
        assert entries[0].changes["reference"] == "KS 2027/3"
        assert entries[6].changes["reference"] == "KS 2027/40"

        notices = list(Notification.objects.filter(template="budget.phase").order_by("pk"))
        assert len(notices) == len(steps)
        assert [n.context["phase"] for n in notices] == [
            str(Phase(p).label)
            for p in (
                Phase.APPROVED,
                Phase.IDEAS,
                Phase.REVIEW,
                Phase.VOTING,
                Phase.COUNTING,
                Phase.RESULT,
                Phase.DECIDED,
                Phase.FINISHED,
            )
        ]
        for notice in notices:
            assert notice.audience == _audience(round, dialogue)
            assert notice.context["url"] == f"/medborgarbudget/{round.pk}/"
            assert notice.context["title"] == round.title
            assert notice.context["dialogue"] == dialogue.title
            assert notice.context["what"]
        assert "rösta" in notices[3].context["what"]

    def test_a_refused_step_writes_nothing(self, w):
        round = _round(w, Phase.REVIEW)
        with pytest.raises(BudgetError):
            services.round_step(round=round, step="open_voting", actor=w[1].official)
        assert not AuditEntry.objects.filter(action="budget.open_voting").exists()
        assert not Notification.objects.filter(template="budget.phase").exists()


class TestSweep:
    def test_ideas_stop_and_voting_closes_after_their_last_day(self, w):
        today = timezone.localdate()
        ideas = _round(w, Phase.IDEAS, ideas_open_on=today - 9 * DAY, ideas_close_on=today - DAY)
        voting = _round(
            w, Phase.VOTING, voting_opens_on=today - 9 * DAY, voting_closes_on=today - DAY
        )
        ideas_today = _round(w, Phase.IDEAS, ideas_close_on=today)
        voting_today = _round(w, Phase.VOTING, voting_closes_on=today)

        report = apps.get_app_config("budget").on_tick()

        assert report == {"ideas_closed": 1, "voting_closed": 1}
        assert BudgetRound.objects.get(pk=ideas.pk).phase == Phase.REVIEW
        assert BudgetRound.objects.get(pk=voting.pk).phase == Phase.COUNTING
        assert BudgetRound.objects.get(pk=ideas_today.pk).phase == Phase.IDEAS
        assert BudgetRound.objects.get(pk=voting_today.pk).phase == Phase.VOTING
        entry = AuditEntry.objects.get(action="budget.close_voting")
        assert entry.actor is None and entry.actor_label == "system"
        assert entry.object_id == str(voting.pk)
        assert Notification.objects.filter(template="budget.phase").count() == 2

    def test_a_second_sweep_does_nothing(self, w):
        today = timezone.localdate()
        _round(w, Phase.VOTING, voting_opens_on=today - 9 * DAY, voting_closes_on=today - DAY)
        services.rounds_sweep()
        assert services.rounds_sweep() == {"ideas_closed": 0, "voting_closed": 0}
        assert AuditEntry.objects.filter(action="budget.close_voting").count() == 1
