"""The result as citizens see it, the staff's count and publication, and the record of the
political decision: what each person sees and may do, and every refusal shown, never a 500."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.budget import result_services, result_views
from torget.budget.models import Ballot, CountingMethod, Phase, Progress
from torget.budget.tests.factories import budget_dialogue, budget_round, project
from torget.organisation.tests.factories import BodyFactory


class World:
    def __init__(self, phase=Phase.COUNTING, **values):
        self.dialogue, self.people = budget_dialogue()
        values.setdefault("amount", 100_000)
        self.round = budget_round(self.dialogue, people=self.people, phase=phase, **values)
        self.gym = project(self.round, 60_000, title="Utegym vid skolan")
        self.benches = project(self.round, 50_000, title="Bänkar i parken")
        self.lights = project(self.round, 30_000, title="Belysning på gångvägen")
        for i, choices in enumerate([[1, 2], [1], [1, 3], [2, 3], [2], [3]]):
            Ballot.objects.create(round=self.round, chain=f"{i:064d}", choices=choices)

    def publish(self):
        self.round.phase = Phase.COUNTING
        result_services.result_publish(round=self.round, actor=self.people.official)
        self.round.refresh_from_db()


@pytest.fixture
def w(db):
    return World()


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestPublicResult:
    def test_no_result_page_before_publication(self, client, w):
        assert client.get(reverse("budget:result", args=[w.round.pk])).status_code == 404

    def test_no_result_page_of_a_draft(self, client, db):
        round = budget_round(phase=Phase.DRAFT)
        assert client.get(reverse("budget:result", args=[round.pk])).status_code == 404

    def test_the_table_shows_every_project_with_votes_cost_and_why(self, client, w):
        w.publish()
        response = client.get(reverse("budget:result", args=[w.round.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "<caption>Alla projekt på röstsedeln, i ordning efter röster</caption>" in page
        assert '<th scope="col">Röster</th>' in page and '<th scope="row">' in page
        for title in ("Utegym vid skolan", "Bänkar i parken", "Belysning på gångvägen"):
            assert title in page
        # Gym 3 votes (60 000), benches 3 (50 000, cheaper: first), lights 3 (30 000, first).
        result = w.round.result
        assert [row["number"] for row in result["projects"]] == [3, 2, 1]
        assert result["funded"] == [3, 2]
        assert "Fick inte plats: 20\u202f000 kr kvar när det var dess tur." in page
        assert "Flest röster först" in page
        assert "Om två projekt har lika många röster går det som kostar minst först" in page
        assert 'data-testid="result-ballots">6<' in page
        assert page.count("<h1") == 1

    def test_the_round_section_lists_the_winners_and_links_the_result(self, rf, w):
        w.publish()
        context = result_views.round_context(rf.get("/"), w.round)["result_part"]
        assert [row["number"] for row in context["result"]["winners"]] == [3, 2]
        assert context["url"] == reverse("budget:result", args=[w.round.pk])
        from django.template.loader import render_to_string

        html = render_to_string("budget/_round_result.html", {"result_part": context})
        assert "Belysning på gångvägen" in html and context["url"] in html

    def test_the_round_section_is_empty_before_publication(self, rf, w):
        assert result_views.round_context(rf.get("/"), w.round) == {"result_part": None}


class TestStaffCount:
    def test_anonymous_is_sent_to_sign_in_and_a_citizen_refused(self, client, w):
        url = reverse("budget:staff_count", args=[w.round.pk])
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403

    def test_both_methods_side_by_side_before_publishing(self, client, w):
        client.force_login(w.people.official)
        page = client.get(reverse("budget:staff_count", args=[w.round.pk])).content.decode()
        assert str(CountingMethod.GREEDY.label) in page
        assert str(CountingMethod.EQUAL_SHARES.label) in page
        assert "(omgångens metod)" in page
        assert "Publicera resultatet" in page

    def test_no_counts_while_voting(self, client, db):
        w = World(phase=Phase.VOTING)
        client.force_login(w.people.official)
        page = client.get(reverse("budget:staff_count", args=[w.round.pk])).content.decode()
        assert "Inga delresultat visas under omröstningen" in page
        assert "Utegym vid skolan" not in page
        response = client.post(reverse("budget:staff_count", args=[w.round.pk]))
        assert response.status_code == 302
        assert any("omröstning" in m for m in _messages(response))
        w.round.refresh_from_db()
        assert w.round.phase == Phase.VOTING and w.round.result == {}

    def test_publishing_stores_the_result_and_confirms(self, client, w):
        client.force_login(w.people.official)
        response = client.post(reverse("budget:staff_count", args=[w.round.pk]))
        assert response.status_code == 302
        assert any("Resultatet är publicerat" in m for m in _messages(response))
        w.round.refresh_from_db()
        assert w.round.phase == Phase.RESULT
        assert w.round.result["funded"] == [3, 2] and w.round.result_published_at
        assert AuditEntry.objects.filter(action="budget.publish_result").exists()
        assert client.get(reverse("budget:result", args=[w.round.pk])).status_code == 200

    def test_staff_section_offers_the_steps_of_the_phase(self, rf, w):
        request = rf.get("/")
        request.user = w.people.official
        part = result_views.staff_round_context(request, w.round)["result_part"]
        assert part["may_publish"] and not part["may_decide"]
        w.publish()
        part = result_views.staff_round_context(request, w.round)["result_part"]
        assert part["may_decide"] and part["published"] and not part["may_publish"]

    def test_staff_section_renders_its_links(self, rf, w):
        from django.template.loader import render_to_string

        request = rf.get("/")
        request.user = w.people.official
        html = render_to_string(
            "budget/staff/_round_result.html", result_views.staff_round_context(request, w.round)
        )
        assert reverse("budget:staff_count", args=[w.round.pk]) in html
        assert "Räkna rösterna och publicera resultatet" in html


class TestDecision:
    def _post(self, client, w, **values):
        data = {
            "body": w.people.body.pk,
            "decided_on": timezone.localdate().isoformat(),
            "reference": "KS 2027/12",
            "text": "Kommunstyrelsen beslutar att genomföra projekten enligt resultatet.",
            "funded_numbers": [3, 2],
        }
        data.update(values)
        return client.post(reverse("budget:staff_decision", args=[w.round.pk]), data)

    def test_not_before_the_result(self, client, w):
        client.force_login(w.people.official)
        page = client.get(reverse("budget:staff_decision", args=[w.round.pk])).content.decode()
        assert "Beslutet kan registreras när resultatet är publicerat." in page
        response = self._post(client, w)
        assert response.status_code == 302
        w.round.refresh_from_db()
        assert w.round.phase == Phase.COUNTING and not w.round.decided_on

    def test_a_citizen_is_refused(self, client, w):
        w.publish()
        client.force_login(CitizenFactory())
        assert self._post(client, w).status_code == 403

    def test_a_date_in_the_future_is_shown_as_an_error(self, client, w):
        w.publish()
        client.force_login(w.people.official)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self._post(client, w, decided_on=tomorrow.isoformat(), text="")
        assert response.status_code == 400
        page = response.content.decode()
        assert "error-summary" in page
        assert "Beslutet kan inte vara framåt i tiden." in page
        w.round.refresh_from_db()
        assert w.round.phase == Phase.RESULT

    def test_missing_and_bad_values_are_errors_not_500(self, client, w):
        w.publish()
        client.force_login(w.people.official)
        response = self._post(client, w, body="999999", decided_on="igår", funded_numbers=["x"])
        assert response.status_code == 400
        assert "error-summary" in response.content.decode()

    def test_recording_funds_the_winners_and_confirms(self, client, w):
        w.publish()
        client.force_login(w.people.official)
        response = self._post(client, w)
        assert response.status_code == 302
        assert any("Beslutet är registrerat" in m for m in _messages(response))
        w.round.refresh_from_db()
        assert w.round.phase == Phase.DECIDED
        assert w.round.decision_body == w.people.body and w.round.decision_reference == "KS 2027/12"
        funded = {i.number: (i.funded, i.progress) for i in w.round.ideas.all()}
        assert funded == {1: (False, ""), 2: (True, Progress.PLANNED), 3: (True, Progress.PLANNED)}
        entry = AuditEntry.objects.get(action="budget.record_decision")
        assert "deviates_from_result" not in entry.changes
        page = client.get(reverse("budget:result", args=[w.round.pk])).content.decode()
        assert "Politikernas beslut" in page and "KS 2027/12" in page

    def test_a_deviating_decision_is_recorded_as_such(self, w):
        w.publish()
        result_services.decision_record(
            round=w.round,
            actor=w.people.official,
            body=BodyFactory(),
            decided_on=timezone.localdate(),
            text="Beslutet avviker.",
            funded_numbers=[1],
        )
        assert AuditEntry.objects.get(action="budget.record_decision").changes[
            "deviates_from_result"
        ]
        assert list(w.round.ideas.filter(funded=True).values_list("number", flat=True)) == [1]

    def test_a_decision_over_budget_is_refused(self, client, w):
        w.publish()
        client.force_login(w.people.official)
        response = self._post(client, w, funded_numbers=[1, 2])
        assert response.status_code == 400
        assert "Projekten kostar mer än omgångens budget." in response.content.decode()
