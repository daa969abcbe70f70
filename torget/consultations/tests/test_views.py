import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.consultations import services
from torget.consultations.models import Choice, Eligibility, Status
from torget.consultations.tests.factories import approve, draft, ids, open_, ranked, world
from torget.identity.tests.factories import make_pin

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def _identify(client, next_url="/"):
    pin = make_pin()
    response = client.post(
        reverse("identity:demo"), {"pin": str(pin), "residence": "ja", "next": next_url}
    )
    assert response.status_code == 302, response.content
    return pin


class TestPublicPage:
    def test_a_draft_is_not_public(self, client, w):
        consultation = draft(w)
        assert client.get(consultation.get_absolute_url()).status_code == 404

    def test_under_another_dialogues_address_is_404(self, client, w):
        consultation = open_(w)
        url = reverse(
            "consultations:detail", args=[consultation.dialogue_id + 999, consultation.pk]
        )
        assert client.get(url).status_code == 404

    def test_anonymous_visitors_see_the_alternatives_and_the_rule(self, client, w):
        consultation = open_(w)
        response = client.get(consultation.get_absolute_url())
        page = response.content.decode()
        assert response.status_code == 200
        assert "Förslag A" in page and "Förslag B" in page
        assert "Identifiera dig med e-legitimation för att välja." in page
        assert "En röst per person, som i ett val." in page
        assert 'type="radio"' not in page

    def test_the_dialogue_page_links_the_consultation(self, client, w):
        consultation = open_(w)
        page = client.get(w.dialogue.get_absolute_url()).content.decode()
        assert consultation.get_absolute_url() in page

    def test_an_anonymous_post_is_sent_to_identify(self, client, w):
        consultation = open_(w)
        response = client.post(
            consultation.get_absolute_url(), {"alternative": ids(consultation)[0]}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:choose"))
        assert not Choice.objects.exists()

    def test_a_verified_citizen_chooses_and_sees_the_choice_on_return(self, client, w):
        consultation = open_(w)
        url = consultation.get_absolute_url()
        _identify(client, url)
        a, b = ids(consultation)
        response = client.post(url, {"alternative": b, "area": w.area.pk, "age_band": "30-44"})
        assert response.status_code == 302
        page = client.get(url).content.decode()
        closes = timezone.localtime(consultation.closes_at)
        assert "Ditt val är registrerat. Du kan ändra det till och med" in page
        assert str(closes.year) in page
        assert "Ditt nuvarande val:" in page
        # Changing it keeps one row.
        client.post(url, {"alternative": a})
        assert Choice.objects.get().alternative_id == a

    def test_a_choice_without_an_alternative_keeps_the_form_with_an_error(self, client, w):
        consultation = open_(w)
        url = consultation.get_absolute_url()
        _identify(client, url)
        response = client.post(url, {"comment": "Jag vet inte"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Välj ett av alternativen." in page
        assert "Jag vet inte" in page

    def test_ranking_works_with_selects(self, client, w):
        consultation = ranked(w)
        url = consultation.get_absolute_url()
        _identify(client, url)
        a, b, c = ids(consultation)
        response = client.post(url, {f"place_{a}": 2, f"place_{b}": 1, f"place_{c}": 3})
        assert response.status_code == 302
        assert Choice.objects.get().ranking == [b, a, c]
        response = client.post(url, {f"place_{a}": 1, f"place_{b}": 1, f"place_{c}": 3})
        assert response.status_code == 400
        assert "Ge varje alternativ en egen plats." in response.content.decode()

    def test_email_mode_takes_a_verified_address_only(self, client, w):
        consultation = open_(w, eligibility=Eligibility.EMAIL)
        url = consultation.get_absolute_url()
        unverified = CitizenFactory(email_verified_at=None)
        client.force_login(unverified)
        response = client.post(url, {"alternative": ids(consultation)[0]})
        assert response.status_code == 302
        assert not Choice.objects.exists()
        verified = CitizenFactory(email_verified_at=timezone.now())
        client.force_login(verified)
        assert client.post(url, {"alternative": ids(consultation)[0]}).status_code == 302
        assert Choice.objects.count() == 1
        assert verified.email not in Choice.objects.get().person_hash

    def test_outside_the_period_the_dates_are_shown(self, client, w):
        now = timezone.now()
        consultation = open_(
            w,
            opens_at=now + datetime.timedelta(days=3),
            closes_at=now + datetime.timedelta(days=5),
        )
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "Samrådet tar emot val från" in page

    def test_the_result_shows_when_closed(self, client, w):
        consultation = open_(w)
        services.choice_make(
            consultation=consultation,
            person_key="x",
            alternative_id=ids(consultation)[0],
            comment="Fin lekplats",
        )
        services.consultation_close(consultation=consultation, actor=w.people.official)
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "Resultat per alternativ" in page
        assert "Fin lekplats" in page
        assert "Per område" in page


def test_the_public_page_costs_the_same_queries_for_more_alternatives(client, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(consultation):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(consultation.get_absolute_url()).status_code == 200
        return len(captured)

    few, many = open_(w, alternatives=2), open_(w, alternatives=6)
    queries(few)  # caches warmed (the municipality, the session)
    assert queries(many) == queries(few)


class TestStaffPages:
    def test_the_whole_preparation_through_the_pages(self, client, w):
        client.force_login(w.people.official)
        url = reverse("consultations:staff_new", args=[w.dialogue.pk])
        now = timezone.localtime()
        response = client.post(
            url,
            {
                "title": "Ny park",
                "question": "Vilken park?",
                "mode": "valj",
                "eligibility": "e-legitimation",
                "eligibility_reason": "En per person.",
                "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "ask_area": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()
        consultation = w.dialogue.alternative_consultations.get()
        for title in ("Park A", "Park B"):
            response = client.post(
                reverse("consultations:alternative_new", args=[consultation.pk]),
                {"title": title, "lat": "58.41", "lon": "15.62"},
            )
            assert response.status_code == 302
        detail = client.get(consultation.staff_url())
        assert detail.status_code == 200
        assert "Park A" in detail.content.decode()
        action = reverse("consultations:staff_action", args=[consultation.pk, "oppna"])
        response = client.post(action, {})
        assert response.status_code == 302  # refused: not approved yet, message shown
        consultation.refresh_from_db()
        assert consultation.status == Status.DRAFT
        response = client.post(
            reverse("consultations:staff_action", args=[consultation.pk, "godkann"]),
            {
                "godkann-body": w.people.body.pk,
                "godkann-names": "Presidiet",
                "godkann-approved_on": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 302
        assert client.post(action, {}).status_code == 302
        consultation.refresh_from_db()
        assert consultation.status == Status.OPEN

    def test_an_approval_without_names_shows_the_error(self, client, w):
        consultation = draft(w)
        client.force_login(w.people.official)
        response = client.post(
            reverse("consultations:staff_action", args=[consultation.pk, "godkann"]),
            {"godkann-body": w.people.body.pk, "godkann-approved_on": "2026-01-01"},
        )
        assert response.status_code == 400

    def test_citizens_get_403_on_staff_pages(self, client, w):
        consultation = draft(w)
        client.force_login(user_with_role(Role.CITIZEN))
        assert client.get(consultation.staff_url()).status_code == 403
        url = reverse("consultations:staff_new", args=[w.dialogue.pk])
        assert client.get(url).status_code == 403
        action = reverse("consultations:staff_action", args=[consultation.pk, "oppna"])
        assert client.post(action).status_code == 403

    def test_every_action_form_carries_the_csrf_token(self, client, w):
        # A browser's POST without the token is refused (403): the forms must carry it.
        consultation = approve(w, draft(w))
        client.force_login(w.people.official)
        page = client.get(consultation.staff_url()).content.decode()
        forms = page.split('<form method="post"')[1:]
        assert forms
        assert all("csrfmiddlewaretoken" in form.split("</form>")[0] for form in forms)

    def test_an_unknown_action_is_404(self, client, w):
        consultation = approve(w, draft(w))
        client.force_login(w.people.official)
        url = reverse("consultations:staff_action", args=[consultation.pk, "nonsens"])
        assert client.post(url).status_code == 404

    def test_publishing_through_the_page(self, client, w):
        consultation = open_(w)
        services.consultation_close(consultation=consultation, actor=w.people.official)
        client.force_login(w.people.official)
        page = client.get(consultation.staff_url()).content.decode()
        assert "personer deltog" in page  # the draft summary
        response = client.post(
            reverse("consultations:staff_action", args=[consultation.pk, "publicera"]),
            {"publicera-text": "Ingen valde, men så blev det."},
        )
        assert response.status_code == 302
        consultation.refresh_from_db()
        assert consultation.status == Status.PUBLISHED
        public = client.get(w.dialogue.get_absolute_url()).content.decode()
        assert "resultatet är publicerat" in public
