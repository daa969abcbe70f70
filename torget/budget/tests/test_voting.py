"""Casting a ballot: each voting rule, who may vote, changing one's ballot, the assisted
channel, and the budget that no ballot may exceed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torget.accounts.tests.factories import UserFactory
from torget.audit.models import AuditEntry
from torget.budget import counting, voting
from torget.budget.models import (
    Ballot,
    Channel,
    IdeaStatus,
    Phase,
    ResidenceRule,
    VoteMark,
    VotingRule,
)
from torget.budget.selectors import ballot_chain
from torget.budget.tests.factories import budget_round, idea, project, verification
from torget.dialogues.tests.factories import cast
from torget.identity.models import Residence, Resident, ResidentImport, Verification
from torget.identity.tests.factories import make_pin

pytestmark = pytest.mark.django_db


def _code(error: ValidationError) -> str | None:
    return error.error_list[0].code


def _refused(code: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        voting.vote_cast(**kwargs)
    assert _code(caught.value) == code, caught.value.messages
    return caught.value.messages[0]


def born_years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=days)


class TestKnapsack:
    def test_projects_within_the_budget_are_stored_in_the_voters_order(self):
        round = budget_round(phase=Phase.VOTING, amount=1_000)
        project(round, 400)
        project(round, 500)
        project(round, 300)
        ballot = voting.vote_cast(round=round, verification=verification(), choices=[3, 1])
        assert ballot.choices == [3, 1]
        assert ballot.total_cost == 700
        assert VoteMark.objects.get(round=round).channel == Channel.EID
        assert not ballot.superseded

    def test_exactly_the_budget_is_allowed(self):
        round = budget_round(phase=Phase.VOTING, amount=900)
        project(round, 400)
        project(round, 500)
        ballot = voting.vote_cast(round=round, verification=verification(), choices=[1, 2])
        assert ballot.total_cost == 900

    def test_a_ballot_over_the_budget_is_refused_and_nothing_is_stored(self):
        round = budget_round(phase=Phase.VOTING, amount=800)
        project(round, 400)
        project(round, 500)
        message = _refused("over_budget", round=round, verification=verification(), choices=[1, 2])
        assert "900" in message and "800" in message
        assert not Ballot.objects.exists()
        assert not VoteMark.objects.exists()

    def test_an_empty_ballot_is_refused(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        _refused("empty", round=round, verification=verification(), choices=[])

    def test_the_same_project_twice_is_refused(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        _refused("duplicate", round=round, verification=verification(), choices=[1, 1])

    def test_unknown_and_not_feasible_ideas_are_refused(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        idea(round, status=IdeaStatus.NOT_FEASIBLE, status_reason="För dyrt.")
        message = _refused("unknown", round=round, verification=verification(), choices=[1, 2])
        assert "2" in message
        _refused("unknown", round=round, verification=verification(), choices=[99])

    def test_a_ballot_that_is_not_numbers_is_refused(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        _refused("unknown", round=round, verification=verification(), choices=["x"])

    def test_a_project_of_another_round_is_refused(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        other = budget_round(round.dialogue, phase=Phase.VOTING)
        project(other, 100)
        project(other, 100)
        _refused("unknown", round=round, verification=verification(), choices=[2])


class TestFixedNumber:
    def test_exactly_the_number_of_votes(self):
        round = budget_round(
            phase=Phase.VOTING, voting_rule=VotingRule.FIXED, votes_per_ballot=2, amount=10
        )
        for _ in range(3):
            project(round, 100)  # the budget does not limit this rule
        assert voting.vote_cast(round=round, verification=verification(), choices=[1, 3])

    @pytest.mark.parametrize("choices", [[1], [1, 2, 3]])
    def test_fewer_or_more_votes_are_refused(self, choices):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.FIXED, votes_per_ballot=2)
        for _ in range(3):
            project(round, 100)
        _refused("count", round=round, verification=verification(), choices=choices)

    def test_with_fewer_projects_than_votes_a_vote_on_each_is_enough(self):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.FIXED, votes_per_ballot=5)
        project(round, 100)
        project(round, 100)
        _refused("count", round=round, verification=verification(), choices=[1])
        assert voting.vote_cast(round=round, verification=verification(), choices=[1, 2])

    def test_two_votes_on_one_project_are_refused(self):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.FIXED, votes_per_ballot=2)
        project(round, 100)
        project(round, 100)
        _refused("duplicate", round=round, verification=verification(), choices=[1, 1])


class TestApproval:
    def test_up_to_the_number_of_projects(self):
        round = budget_round(
            phase=Phase.VOTING, voting_rule=VotingRule.APPROVAL, votes_per_ballot=2
        )
        for _ in range(3):
            project(round, 100)
        assert voting.vote_cast(round=round, verification=verification(), choices=[2])
        assert voting.vote_cast(round=round, verification=verification(), choices=[2, 3])

    def test_more_projects_are_refused(self):
        round = budget_round(
            phase=Phase.VOTING, voting_rule=VotingRule.APPROVAL, votes_per_ballot=2
        )
        for _ in range(3):
            project(round, 100)
        _refused("too_many", round=round, verification=verification(), choices=[1, 2, 3])


class TestRanking:
    def test_the_ranking_is_stored_in_order(self):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.RANKING, votes_per_ballot=3)
        for _ in range(4):
            project(round, 100)
        ballot = voting.vote_cast(round=round, verification=verification(), choices=[4, 1, 2])
        ballot.refresh_from_db()
        assert ballot.choices == [4, 1, 2]

    def test_ranking_more_than_allowed_is_refused(self):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.RANKING, votes_per_ballot=2)
        for _ in range(3):
            project(round, 100)
        _refused("too_many", round=round, verification=verification(), choices=[3, 2, 1])


class TestOpenAndEligible:
    @pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.COUNTING])
    def test_no_vote_outside_the_voting_phase(self, phase):
        round = budget_round(phase=phase)
        project(round, 100)
        _refused("closed", round=round, verification=verification(), choices=[1])

    def test_no_vote_after_the_closing_day(self):
        today = timezone.localdate()
        day = datetime.timedelta(days=1)
        round = budget_round(
            phase=Phase.VOTING,
            ideas_open_on=today - 60 * day,
            ideas_close_on=today - 50 * day,
            review_ends_on=today - 40 * day,
            voting_opens_on=today - 10 * day,
            voting_closes_on=today - day,
        )
        project(round, 100)
        _refused("closed", round=round, verification=verification(), choices=[1])

    def test_too_young_on_the_day_is_refused_and_old_enough_is_not(self):
        round = budget_round(phase=Phase.VOTING, min_age=13)
        project(round, 100)
        young = verification(born=born_years_ago(13, days=1))  # 13 tomorrow
        message = _refused("age", round=round, verification=young, choices=[1])
        assert "13" in message
        assert voting.vote_cast(
            round=round, verification=verification(born=born_years_ago(13)), choices=[1]
        )

    def test_not_resident_is_refused_when_the_round_is_for_the_municipality(self):
        round = budget_round(phase=Phase.VOTING, residence=ResidenceRule.MUNICIPALITY)
        project(round, 100)
        outsider = verification(residence=Residence.NO)
        assert voting.eligibility_refusal(round, outsider, lives_in_area=False)
        _refused("residence", round=round, verification=outsider, choices=[1])

    def test_unknown_residence_is_refused_with_whom_to_ask(self):
        # As for supports: without a residents' register nobody is let through unchecked.
        round = budget_round(phase=Phase.VOTING, residence=ResidenceRule.MUNICIPALITY)
        project(round, 100)
        message = _refused(
            "residence_unknown",
            round=round,
            verification=verification(residence=Residence.UNKNOWN),
            choices=[1],
        )
        assert "Kontakta kommunen" in message

    def test_without_a_residence_rule_anyone_may_vote(self):
        round = budget_round(phase=Phase.VOTING, residence=ResidenceRule.NONE)
        project(round, 100)
        outsider = verification(residence=Residence.NO)
        assert voting.eligibility_refusal(round, outsider, lives_in_area=False) is None
        assert voting.vote_cast(round=round, verification=outsider, choices=[1])

    def test_an_area_round_needs_the_voters_statement(self):
        round = budget_round(phase=Phase.VOTING, residence=ResidenceRule.AREA)
        project(round, 100)
        outsider = verification(residence=Residence.NO)
        _refused("area", round=round, verification=outsider, choices=[1])
        ballot = voting.vote_cast(
            round=round, verification=outsider, choices=[1], lives_in_area=True
        )
        assert ballot.pk


class TestChangingTheBallot:
    def test_a_changed_ballot_is_a_new_row_and_the_first_is_superseded(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        project(round, 200)
        person = verification()
        first = voting.vote_cast(round=round, verification=person, choices=[1])
        second = voting.vote_cast(round=round, verification=person, choices=[2, 1])
        assert Ballot.objects.filter(round=round).count() == 2
        first.refresh_from_db()
        assert first.superseded and first.choices == [1]  # never edited in place
        assert not second.superseded and second.choices == [2, 1]
        assert list(Ballot.objects.filter(round=round, superseded=False)) == [second]
        assert VoteMark.objects.filter(round=round).count() == 1
        assert voting.current_ballot(round, person.person_key) == second

    def test_a_new_e_id_step_of_the_same_person_changes_the_same_ballot(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        project(round, 200)
        first = verification()
        again = verification(key=first.person_key)
        voting.vote_cast(round=round, verification=first, choices=[1])
        voting.vote_cast(round=round, verification=again, choices=[2])
        assert Ballot.objects.filter(round=round, superseded=False).count() == 1
        assert voting.voter_count(round) == 1

    def test_a_refused_change_keeps_the_earlier_ballot(self):
        round = budget_round(phase=Phase.VOTING, amount=300)
        project(round, 200)
        project(round, 200)
        person = verification()
        first = voting.vote_cast(round=round, verification=person, choices=[1])
        _refused("over_budget", round=round, verification=person, choices=[1, 2])
        assert voting.current_ballot(round, person.person_key) == first

    def test_has_voted_and_the_chain_is_per_round(self):
        round = budget_round(phase=Phase.VOTING)
        other = budget_round(round.dialogue, phase=Phase.VOTING)
        project(round, 100)
        person = verification()
        assert not voting.has_voted(round, person.person_key)
        voting.vote_cast(round=round, verification=person, choices=[1])
        assert voting.has_voted(round, person.person_key)
        assert not voting.has_voted(other, person.person_key)
        assert ballot_chain(round, person.person_key) != ballot_chain(other, person.person_key)


def resident(pin) -> None:
    """The residents' register, read in, with this person in it."""
    source = ResidentImport.objects.create(file_sha256="0" * 64, row_count=1)
    Resident.objects.create(person_key=pin.key, source=source)


class TestAssistedVote:
    def test_staff_register_a_vote_with_the_assisted_channel(self):
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING)
        project(round, 100)
        project(round, 200)
        pin = make_pin()
        resident(pin)
        ballot = voting.assisted_vote(
            round=round,
            actor=people.official,
            pin=pin,
            evidence="ID-handling visad i servicedisk",
            choices=[2],
        )
        assert ballot.choices == [2]
        assert VoteMark.objects.get(round=round, person_key=pin.key).channel == Channel.ASSISTED
        assert voting.has_voted(round, pin.key)
        checked = Verification.objects.get(person_key=pin.key)
        assert checked.method == "assisted" and checked.registered_by == people.official

    def test_the_mark_says_how_the_current_ballot_was_given(self):
        # Assisted first, then the person changes the ballot with e-ID: only the current
        # ballot's channel is counted, and it is read from the mark.
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING)
        project(round, 100)
        pin = make_pin()
        resident(pin)
        voting.assisted_vote(
            round=round, actor=people.official, pin=pin, evidence="Telefon", choices=[1]
        )
        assert counting.count(round)["assisted"] == 1
        voting.vote_cast(round=round, verification=verification(key=pin.key), choices=[1])
        assert VoteMark.objects.get(round=round).channel == Channel.EID
        assert counting.count(round)["assisted"] == 0

    def test_the_audit_entry_names_staff_and_round_but_not_the_choices(self):
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING)
        project(round, 100, title="Utegym vid skolan")
        pin = make_pin()
        resident(pin)
        ballot = voting.assisted_vote(
            round=round, actor=people.official, pin=pin, evidence="Telefon", choices=[1]
        )
        entry = AuditEntry.objects.get(action="budget.assisted_vote")
        assert entry.actor == people.official
        assert entry.object_id == str(round.pk)
        written = str(entry.changes) + entry.object_repr
        assert "Utegym" not in written and "[1]" not in written
        assert str(ballot.pk) not in written and ballot.chain not in written
        # No entry anywhere carries the ballot.
        for any_entry in AuditEntry.objects.all():
            text = f"{any_entry.changes} {any_entry.object_repr} {any_entry.object_id}"
            assert str(ballot.pk) not in text and ballot.chain not in text
            assert "Utegym" not in text

    def test_someone_without_the_permission_is_refused(self):
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING)
        project(round, 100)
        pin = make_pin()
        with pytest.raises(PermissionDenied):
            voting.assisted_vote(
                round=round, actor=UserFactory(), pin=pin, evidence="Telefon", choices=[1]
            )
        assert not Verification.objects.filter(person_key=pin.key).exists()

    def test_a_refused_assisted_vote_leaves_no_verification_or_mark(self):
        people = cast()
        round = budget_round(people=people, phase=Phase.VOTING, amount=50)
        project(round, 100)
        pin = make_pin()
        with pytest.raises(ValidationError):
            voting.assisted_vote(
                round=round, actor=people.official, pin=pin, evidence="Telefon", choices=[1]
            )
        assert not Verification.objects.filter(person_key=pin.key).exists()
        assert not VoteMark.objects.exists()
        assert not AuditEntry.objects.filter(action="budget.assisted_vote").exists()

    def test_an_e_id_vote_writes_no_audit_entry(self):
        round = budget_round(phase=Phase.VOTING)
        project(round, 100)
        before = AuditEntry.objects.count()
        voting.vote_cast(round=round, verification=verification(), choices=[1])
        assert AuditEntry.objects.count() == before


def test_the_budget_can_never_be_exceeded():
    """Whatever the costs and the picks (unknown numbers and repeats included), a knapsack
    ballot is either refused or stored with a total within the budget, matching its
    projects' costs."""
    dialogue = budget_round(phase=Phase.VOTING).dialogue

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        amount=st.integers(min_value=1, max_value=2_000_000),
        costs=st.lists(st.integers(min_value=0, max_value=1_500_000), min_size=1, max_size=8),
        picks=st.lists(st.integers(min_value=1, max_value=10), max_size=10),
    )
    def run(amount, costs, picks):
        round = budget_round(dialogue, phase=Phase.VOTING, amount=amount)
        for cost in costs:
            project(round, cost)
        try:
            ballot = voting.vote_cast(round=round, verification=verification(), choices=picks)
        except ValidationError:
            assert not Ballot.objects.filter(round=round).exists()
            return
        assert ballot.total_cost <= amount
        assert ballot.total_cost == sum(costs[number - 1] for number in ballot.choices)
        assert len(set(ballot.choices)) == len(ballot.choices)
        assert sorted(ballot.choices) == sorted(set(picks))

    run()


class TestAgeBand:
    """The voter's optional age band (representativeness) is kept on the has-voted mark."""

    def test_the_band_goes_on_the_mark_never_on_the_ballot(self):
        round = budget_round(phase=Phase.VOTING, amount=1_000)
        project(round, 400)
        person = verification()
        ballot = voting.vote_cast(round=round, verification=person, choices=[1], age_band="30-44")
        assert VoteMark.objects.get(round=round).age_band == "30-44"
        assert "age_band" not in {f.name for f in Ballot._meta.get_fields()}
        assert "30-44" not in str(ballot.choices)
        # A changed ballot without an answer keeps the band given before; a bad one is ignored.
        voting.vote_cast(round=round, verification=person, choices=[1], age_band="")
        voting.vote_cast(round=round, verification=person, choices=[1], age_band="x")
        assert VoteMark.objects.get(round=round).age_band == "30-44"

    def test_without_an_answer_the_band_is_empty(self):
        round = budget_round(phase=Phase.VOTING, amount=1_000)
        project(round, 400)
        voting.vote_cast(round=round, verification=verification(), choices=[1])
        assert VoteMark.objects.get(round=round).age_band == ""
