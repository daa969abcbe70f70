"""Setting a round up: who may, on which dialogues, the rules of the set-up, changes while it
is a draft, and the presidium's approval."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.budget import services
from torget.budget.models import BudgetRound, CountingMethod, Phase, VotingRule
from torget.budget.tests.factories import budget_dialogue, budget_round
from torget.budget.workflow import BudgetError
from torget.dialogues.catalogue import CITIZEN_BUDGET
from torget.dialogues.models import LadderStep
from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Notification

DAY = datetime.timedelta(days=1)


@pytest.fixture
def w(db):
    return budget_dialogue()


def values(**changes):
    today = timezone.localdate()
    base = {
        "title": "Medborgarbudget för Berga 2027",
        "description": "Två miljoner till Berga.",
        "amount": 2_000_000,
        "criteria": "Idén ska gynna många och ligga i Berga.",
        "ideas_open_on": today + 10 * DAY,
        "ideas_close_on": today + 40 * DAY,
        "review_ends_on": today + 70 * DAY,
        "voting_opens_on": today + 75 * DAY,
        "voting_closes_on": today + 90 * DAY,
    }
    return base | changes


def _errors(error: BudgetError) -> dict:
    return error.message_dict


class TestCreate:
    def test_a_draft_in_the_dialogues_citizen_budget(self, w):
        dialogue, people = w
        area = AreaFactory()
        round = services.round_create(
            dialogue=dialogue, actor=people.official, areas=[area], **values()
        )
        assert round.phase == Phase.DRAFT
        assert round.min_age == 13
        assert round.voting_rule == VotingRule.KNAPSACK
        assert round.counting_method == CountingMethod.GREEDY
        assert round.planned_method.method.code == CITIZEN_BUDGET
        assert list(round.areas.all()) == [area]
        assert round.created_by == people.official
        entry = AuditEntry.objects.get(action="budget.created")
        assert entry.object_id == str(round.pk)
        assert entry.changes["amount"] == 2_000_000
        assert entry.changes["areas"] == [area.pk]
        assert entry.changes["dialogue"] == dialogue.pk
        # A draft is nobody's news yet.
        assert not Notification.objects.filter(template="budget.phase").exists()

    @pytest.mark.parametrize("who", ["citizen", "elected"])
    def test_only_those_who_work_with_the_dialogue(self, w, who):
        actor = CitizenFactory() if who == "citizen" else user_with_role(Role.ELECTED)
        with pytest.raises(PermissionDenied):
            services.round_create(dialogue=w[0], actor=actor, **values())
        assert not BudgetRound.objects.exists()

    def test_refused_below_ladder_step_5_with_a_clear_message(self, w):
        dialogue, people = w
        dialogue.ladder_step = LadderStep.INFLUENCE
        dialogue.save(update_fields=["ladder_step"])
        with pytest.raises(BudgetError, match="trappsteg 5"):
            services.round_create(dialogue=dialogue, actor=people.official, **values())

    def test_refused_without_the_citizen_budget_in_the_plan(self, w):
        dialogue, people = w
        dialogue.methods.filter(method__code=CITIZEN_BUDGET).delete()
        with pytest.raises(BudgetError, match="Dialogens plan har ingen medborgarbudget"):
            services.round_create(dialogue=dialogue, actor=people.official, **values())

    def test_the_method_must_be_the_dialogues_own(self, w):
        dialogue, people = w
        other, _ = budget_dialogue()
        method = other.methods.get(method__code=CITIZEN_BUDGET)
        with pytest.raises(BudgetError) as refused:
            services.round_create(
                dialogue=dialogue, actor=people.official, planned_method=method, **values()
            )
        assert "planned_method" in _errors(refused.value)

    @pytest.mark.parametrize(
        ("field", "changes"),
        [
            ("ideas_close_on", {"ideas_close_on": timezone.localdate()}),
            ("review_ends_on", {"review_ends_on": timezone.localdate() + 20 * DAY}),
            ("voting_opens_on", {"voting_opens_on": timezone.localdate() + 60 * DAY}),
            ("voting_closes_on", {"voting_closes_on": timezone.localdate() + 74 * DAY}),
            ("voting_closes_on", {"voting_closes_on": None}),
            ("amount", {"amount": 0}),
            ("title", {"title": "   "}),
            ("criteria", {"criteria": ""}),
            ("min_age", {"min_age": 200}),
            ("voting_rule", {"voting_rule": "lotteri"}),
            ("counting_method", {"counting_method": "slump"}),
            ("residence", {"residence": "planeten"}),
        ],
    )
    def test_broken_rules_are_reported_on_their_field(self, w, field, changes):
        with pytest.raises(BudgetError) as refused:
            services.round_create(dialogue=w[0], actor=w[1].official, **values(**changes))
        assert field in _errors(refused.value)
        assert not BudgetRound.objects.exists()

    @pytest.mark.parametrize("rule", [VotingRule.FIXED, VotingRule.APPROVAL, VotingRule.RANKING])
    def test_rules_other_than_knapsack_need_votes_per_ballot(self, w, rule):
        with pytest.raises(BudgetError) as refused:
            services.round_create(dialogue=w[0], actor=w[1].official, voting_rule=rule, **values())
        assert "votes_per_ballot" in _errors(refused.value)
        round = services.round_create(
            dialogue=w[0], actor=w[1].official, voting_rule=rule, votes_per_ballot=3, **values()
        )
        assert round.votes_per_ballot == 3

    def test_knapsack_keeps_no_number_of_votes(self, w):
        round = services.round_create(
            dialogue=w[0], actor=w[1].official, votes_per_ballot=5, **values()
        )
        assert round.votes_per_ballot is None


class TestUpdate:
    def test_a_draft_changes_with_the_diff_in_the_log(self, w):
        dialogue, people = w
        round = services.round_create(dialogue=dialogue, actor=people.official, **values())
        services.round_update(
            round=round, actor=people.official, amount=3_000_000, title="Berga 2027"
        )
        round.refresh_from_db()
        assert round.amount == 3_000_000 and round.title == "Berga 2027"
        entry = AuditEntry.objects.get(action="budget.updated")
        assert entry.changes == {
            "amount": [2_000_000, 3_000_000],
            "title": ["Medborgarbudget för Berga 2027", "Berga 2027"],
        }

    def test_not_after_the_presidiums_approval(self, w):
        round = budget_round(w[0], people=w[1], phase=Phase.APPROVED)
        with pytest.raises(BudgetError, match="kan inte ändras"):
            services.round_update(round=round, actor=w[1].official, amount=5)
        assert BudgetRound.objects.get(pk=round.pk).amount == 1_000_000

    def test_not_by_someone_who_does_not_work_with_the_dialogue(self, w):
        round = budget_round(w[0], people=w[1], phase=Phase.DRAFT)
        with pytest.raises(PermissionDenied):
            services.round_update(round=round, actor=user_with_role(Role.ELECTED), amount=5)

    def test_the_rules_hold_on_change(self, w):
        round = budget_round(w[0], people=w[1], phase=Phase.DRAFT)
        with pytest.raises(BudgetError) as refused:
            services.round_update(
                round=round, actor=w[1].official, voting_closes_on=round.ideas_open_on
            )
        assert "voting_closes_on" in _errors(refused.value)


class TestApproval:
    def test_recorded_with_body_names_date_and_reference(self, w):
        dialogue, people = w
        round = budget_round(dialogue, people=people, phase=Phase.DRAFT)
        services.approval_record(
            round=round,
            actor=people.official,
            body=people.body,
            names=" Ordförande och vice ordförande ",
            approved_on=timezone.localdate() - DAY,
            reference="KS 2027/3",
        )
        round.refresh_from_db()
        assert round.phase == Phase.APPROVED
        assert round.approved_by_body == people.body
        assert round.approved_by_names == "Ordförande och vice ordförande"
        assert round.approval_reference == "KS 2027/3"
        entry = AuditEntry.objects.get(action="budget.approve")
        assert entry.changes["names"] == "Ordförande och vice ordförande"
        notice = Notification.objects.get(template="budget.phase")
        assert "idéer" in notice.context["what"]

    def test_missing_fields_and_a_future_date_are_refused(self, w):
        round = budget_round(w[0], people=w[1], phase=Phase.DRAFT)
        with pytest.raises(BudgetError) as refused:
            services.approval_record(
                round=round, actor=w[1].official, body=None, names=" ", approved_on=None
            )
        assert set(_errors(refused.value)) == {"body", "names", "approved_on"}
        with pytest.raises(BudgetError) as refused:
            services.approval_record(
                round=round,
                actor=w[1].official,
                body=w[1].body,
                names="Presidiet",
                approved_on=timezone.localdate() + DAY,
            )
        assert "approved_on" in _errors(refused.value)
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.DRAFT

    def test_only_once(self, w):
        round = budget_round(w[0], people=w[1], phase=Phase.APPROVED)
        with pytest.raises(BudgetError):
            services.approval_record(
                round=round,
                actor=w[1].official,
                body=w[1].body,
                names="Presidiet",
                approved_on=timezone.localdate(),
            )
