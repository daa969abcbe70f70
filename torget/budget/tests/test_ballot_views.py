"""The ballot as a citizen meets it, without JavaScript: the form, the confirmation page with
the total, the vote and the page after it; and staff registering a vote for a citizen."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES
from tests.fuzz.strategies import hostile
from torget.accounts.tests.factories import UserFactory
from torget.audit.models import AuditEntry
from torget.budget import vote_views, voting
from torget.budget.models import Ballot, Channel, Phase, ResidenceRule, VoteMark, VotingRule
from torget.budget.tests.factories import budget_round, project, verification
from torget.dialogues.tests.factories import cast
from torget.identity.models import Resident, ResidentImport
from torget.identity.tests.factories import make_pin
from torget.testing.identity import verified_session

pytestmark = pytest.mark.django_db


def voter(client, **values):
    """This browser has just passed an e-ID step."""
    person = verification(**values)
    client.cookies["sessionid"] = verified_session(person)
    return person


def knapsack_round(**values):
    round = budget_round(phase=Phase.VOTING, amount=1_000_000, **values)
    project(round, 400_000, title="Utegym i parken")
    project(round, 500_000, title="Belysning längs ån")
    project(round, 300_000, title="Lekplats vid skolan")
    return round


def urls(round):
    return (
        reverse("budget:ballot", args=[round.pk]),
        reverse("budget:ballot_confirm", args=[round.pk]),
        reverse("budget:ballot_done", args=[round.pk]),
    )


def checked(html: str) -> list[str]:
    """The values of the ticked project checkboxes on a page."""
    return re.findall(r'<input type="checkbox" name="projects" value="(\d+)"[^>]*checked', html)


class TestBallotWithoutJavaScript:
    def test_the_whole_flow_from_form_to_done(self, client):
        round = knapsack_round()
        ballot_url, confirm_url, done_url = urls(round)
        voter(client)
        page = client.get(ballot_url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="projects" value="1"' in html and "Utegym i parken" in html
        assert "400\u202f000 kr" in html
        assert reverse("budget:idea", args=[round.pk, 1]) in html
        assert "<meter" in html and "budget/meter.js" in html

        page = client.post(ballot_url, {"projects": ["1", "3"]})
        assert page.status_code == 200
        html = page.content.decode()
        assert "Bekräfta din röst" in html
        assert "700\u202f000 kr" in html  # the total
        assert "Kvar: 300\u202f000 kr" in html
        assert re.findall(r'type="hidden" name="choices" value="(\d+)"', html) == ["1", "3"]
        assert not Ballot.objects.exists()  # nothing counts before the confirmation

        response = client.post(confirm_url, {"choices": ["1", "3"]})
        assert response.status_code == 302 and response.url == done_url
        ballot = Ballot.objects.get()
        assert ballot.choices == [1, 3] and ballot.total_cost == 700_000
        page = client.get(done_url)
        html = page.content.decode()
        assert "Tack! Din röst är registrerad." in html
        assert "hemlig" in html and "ändra din röst" in html.lower()

    def test_without_a_fresh_e_id_step_the_page_sends_you_to_identify(self, client):
        round = knapsack_round()
        ballot_url, confirm_url, _done = urls(round)
        html = client.get(ballot_url).content.decode()
        identify = reverse("identity:choose") + "?next=" + ballot_url.replace("/", "%2F")
        assert identify in html
        assert 'name="projects"' not in html
        response = client.post(confirm_url, {"choices": ["1"]})
        assert response.status_code == 302
        assert response.url.startswith(reverse("identity:choose"))
        assert not Ballot.objects.exists()

    def test_over_the_budget_shows_the_error_and_keeps_the_choices(self, client):
        round = knapsack_round()
        ballot_url, *_ = urls(round)
        voter(client)
        page = client.post(ballot_url, {"projects": ["1", "2", "3"]})
        html = page.content.decode()
        assert 'class="error-summary"' in html
        assert "1\u202f200\u202f000 kr" in html and "Ta bort projekt" in html
        assert checked(html) == ["1", "2", "3"]
        assert not Ballot.objects.exists()

    def test_a_tampered_confirmation_is_refused_with_the_reason(self, client):
        round = knapsack_round()
        _ballot, confirm_url, _done = urls(round)
        voter(client)
        page = client.post(confirm_url, {"choices": ["1", "2", "3"]})
        assert page.status_code == 200
        assert 'class="error-summary"' in page.content.decode()
        assert not Ballot.objects.exists()
        response = client.post(confirm_url, {"choices": ["77"]})
        assert response.status_code == 302
        assert not Ballot.objects.exists()

    def test_a_voter_who_voted_sees_their_ballot_ticked_and_can_change_it(self, client):
        round = knapsack_round()
        ballot_url, confirm_url, _done = urls(round)
        person = voter(client)
        voting.vote_cast(round=round, verification=person, choices=[2])
        html = client.get(ballot_url).content.decode()
        assert "Du har redan röstat" in html
        assert checked(html) == ["2"]
        client.post(confirm_url, {"choices": ["1", "3"]})
        follow = client.get(reverse("budget:ballot_done", args=[round.pk]))
        assert "Din röst är ändrad" in follow.content.decode()
        assert Ballot.objects.filter(round=round).count() == 2
        assert Ballot.objects.get(superseded=False).choices == [1, 3]

    def test_change_from_the_confirmation_page_goes_back_with_the_choices(self, client):
        round = knapsack_round()
        ballot_url, *_ = urls(round)
        voter(client)
        html = client.post(ballot_url, {"choices": ["3", "1"], "change": "1"}).content.decode()
        assert checked(html) == ["1", "3"]
        assert 'class="error-summary"' not in html

    def test_ranking_by_places(self, client):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.RANKING, votes_per_ballot=2)
        for title in ("A-projekt", "B-projekt", "C-projekt"):
            project(round, 100, title=title)
        ballot_url, confirm_url, _done = urls(round)
        voter(client)
        html = client.get(ballot_url).content.decode()
        assert 'name="plats-1"' in html and "<meter" not in html
        html = client.post(ballot_url, {"plats-1": "2", "plats-3": "1"}).content.decode()
        assert re.findall(r'name="choices" value="(\d+)"', html) == ["3", "1"]
        same = client.post(ballot_url, {"plats-1": "1", "plats-3": "1"}).content.decode()
        assert "samma plats" in same
        client.post(confirm_url, {"choices": ["3", "1"]})
        assert Ballot.objects.get().choices == [3, 1]

    def test_fixed_number_is_checked_on_the_form(self, client):
        round = budget_round(phase=Phase.VOTING, voting_rule=VotingRule.FIXED, votes_per_ballot=2)
        for _ in range(3):
            project(round, 100)
        ballot_url, *_ = urls(round)
        voter(client)
        html = client.post(ballot_url, {"projects": ["1"]}).content.decode()
        assert "Välj exakt 2 projekt" in html

    def test_an_area_round_asks_for_the_statement(self, client):
        round = knapsack_round(residence=ResidenceRule.AREA)
        ballot_url, confirm_url, _done = urls(round)
        voter(client)
        html = client.post(ballot_url, {"projects": ["1"]}).content.decode()
        assert 'name="lives_in_area"' in html and "Intyga att du bor där" in html
        html = client.post(ballot_url, {"projects": ["1"], "lives_in_area": "on"}).content.decode()
        assert 'name="lives_in_area" value="True"' in html
        client.post(confirm_url, {"choices": ["1"], "lives_in_area": "True"})
        assert Ballot.objects.count() == 1

    def test_a_voter_too_young_is_told_why(self, client):
        round = knapsack_round(min_age=16)
        ballot_url, *_ = urls(round)
        voter(client, born=datetime.date(2020, 1, 1))
        html = client.get(ballot_url).content.decode()
        assert "fyllt 16 år" in html and 'name="projects"' not in html

    def test_outside_the_voting_phase_the_page_says_so(self, client):
        round = budget_round(phase=Phase.REVIEW)
        project(round, 100)
        ballot_url, confirm_url, _done = urls(round)
        voter(client)
        assert "Omröstningen är inte öppen" in client.get(ballot_url).content.decode()
        client.post(confirm_url, {"choices": ["1"]})
        assert not Ballot.objects.exists()

    def test_a_draft_round_is_not_found(self, client):
        round = budget_round(phase=Phase.DRAFT)
        assert client.get(reverse("budget:ballot", args=[round.pk])).status_code == 404


class TestAssistedVotePage:
    def test_staff_register_a_vote_and_get_an_empty_form_back(self, client):
        people = cast()
        round = knapsack_round(people=people, residence=ResidenceRule.NONE)
        url = reverse("budget:staff_assisted", args=[round.pk])
        client.force_login(people.official)
        assert client.get(url).status_code == 200
        pin = make_pin()
        response = client.post(
            url, {"pin": str(pin), "evidence": "id", "projects": ["2"]}, follow=True
        )
        assert response.redirect_chain[-1][0] == url
        assert "Rösten är registrerad" in response.content.decode()
        ballot = Ballot.objects.get()
        assert ballot.choices == [2]
        mark = VoteMark.objects.get()
        assert mark.person_key == pin.key and mark.channel == Channel.ASSISTED
        entry = AuditEntry.objects.get(action="budget.assisted_vote")
        assert entry.actor == people.official and entry.changes == {}

    def test_errors_are_shown_and_nothing_is_stored(self, client):
        people = cast()
        round = knapsack_round(people=people, residence=ResidenceRule.MUNICIPALITY)
        source = ResidentImport.objects.create(file_sha256="0" * 64, row_count=1)
        Resident.objects.create(person_key="x" * 64, source=source)
        url = reverse("budget:staff_assisted", args=[round.pk])
        client.force_login(people.official)
        html = client.post(
            url, {"pin": str(make_pin()), "evidence": "id", "projects": ["1", "2", "3"]}
        ).content.decode()
        assert 'class="error-summary"' in html and "Ta bort projekt" in html
        html = client.post(
            url, {"pin": str(make_pin()), "evidence": "id", "projects": ["1"]}
        ).content.decode()
        assert "folkbokförd" in html
        assert not Ballot.objects.exists() and not VoteMark.objects.exists()

    def test_a_citizen_may_not(self, client):
        round = knapsack_round()
        client.force_login(UserFactory())
        url = reverse("budget:staff_assisted", args=[round.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"pin": str(make_pin()), "evidence": "id"}).status_code == 403


class TestRoundSections:
    def test_the_public_section_while_voting_is_open(self, client):
        round = knapsack_round()
        voting.vote_cast(round=round, verification=verification(), choices=[1])
        voting.vote_cast(round=round, verification=verification(), choices=[2])
        request = RequestFactory().get("/")
        request.user = UserFactory()
        context = {"round": round, **vote_views.round_context(request, round)}
        html = render_to_string("budget/_round_voting.html", context)
        assert reverse("budget:ballot", args=[round.pk]) in html
        assert "2 personer har röstat" in html
        assert "Vem får rösta" in html

    def test_no_section_before_the_vote(self):
        round = budget_round(phase=Phase.IDEAS)
        request = RequestFactory().get("/")
        assert vote_views.round_context(request, round) == {}

    def test_the_staff_section_counts_and_links_to_the_assisted_vote(self):
        people = cast()
        round = knapsack_round(people=people)
        voting.vote_cast(round=round, verification=verification(), choices=[1])
        request = RequestFactory().get("/")
        request.user = people.official
        context = {"round": round, **vote_views.staff_round_context(request, round)}
        html = render_to_string("budget/staff/_round_voting.html", context)
        assert reverse("budget:staff_assisted", args=[round.pk]) in html
        assert "1 person" in html


@pytest.mark.parametrize("rule", [VotingRule.KNAPSACK, VotingRule.RANKING])
def test_hostile_ballots_never_break_the_pages_or_the_budget(client, rule):
    round = knapsack_round(voting_rule=rule, votes_per_ballot=2)
    ballot_url, confirm_url, _done = urls(round)
    voter(client)
    names = ["projects", "choices", "plats-1", "plats-2", "plats-9", "lives_in_area", "change"]
    values = st.one_of(hostile, st.lists(hostile, max_size=3), st.sampled_from(["1", "2", "3"]))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)))
    def run(body):
        for url in (ballot_url, confirm_url):
            response = client.post(url, body)
            assert response.status_code in (200, 302), response.status_code
        assert Ballot.objects.filter(round=round, superseded=False).count() <= 1
        for ballot in Ballot.objects.filter(round=round):
            if rule == VotingRule.KNAPSACK:
                assert ballot.total_cost <= round.amount
            else:
                assert 1 <= len(ballot.choices) <= 2

    run()


def test_hostile_assisted_votes_never_break_the_page(client):
    people = cast()
    round = knapsack_round(people=people, residence=ResidenceRule.NONE)
    url = reverse("budget:staff_assisted", args=[round.pk])
    client.force_login(people.official)
    names = ["pin", "evidence", "evidence_detail", "projects", "lives_in_area"]
    values = st.one_of(hostile, st.lists(hostile, max_size=3), st.sampled_from(["1", "id"]))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)))
    def run(body):
        response = client.post(url, body)
        assert response.status_code in (200, 302), response.status_code
        for ballot in Ballot.objects.filter(round=round):
            assert ballot.total_cost <= round.amount

    run()


class TestAgeBandOnTheBallotPage:
    def test_the_optional_age_band_is_carried_to_the_mark_and_not_the_ballot(self, client):
        round = knapsack_round()
        ballot_url, confirm_url, _done = urls(round)
        voter(client)
        html = client.get(ballot_url).content.decode()
        assert 'name="age_band"' in html and "Hur gammal är du? (frivilligt)" in html
        html = client.post(ballot_url, {"projects": ["1"], "age_band": "65-79"}).content.decode()
        assert 'type="hidden" name="age_band" value="65-79"' in html
        client.post(confirm_url, {"choices": ["1"], "age_band": "65-79"})
        assert VoteMark.objects.get(round=round).age_band == "65-79"
        assert Ballot.objects.get().choices == [1]

    def test_no_answer_is_fine_and_a_made_up_band_is_refused_on_the_form(self, client):
        round = knapsack_round()
        ballot_url, confirm_url, _done = urls(round)
        voter(client)
        client.post(confirm_url, {"choices": ["1"]})
        assert VoteMark.objects.get(round=round).age_band == ""
        html = client.post(ballot_url, {"projects": ["1"], "age_band": "200"}).content.decode()
        assert "Bekräfta din röst" not in html
