"""What people see on the results pages."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.feedback import services as feedback
from torget.feedback.models import CaseStatus
from torget.feedback.tests.factories import OpinionCategoryFactory
from torget.organisation.tests.factories import MembershipFactory
from torget.results import services
from torget.results.models import ItemStatus, Kind, RaisedVia
from torget.results.tests.factories import item, to_compiling, to_decision_made, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def item_url(it):
    return f"/personal/resultat/{it.pk}/"


class TestAccess:
    def test_anonymous_and_citizens_cannot_reach_staff_or_utskott_pages(self, client, w):
        it = item(w, Kind.COMMITTEE)
        urls = [
            item_url(it),
            f"/personal/utskott/{w.utskott.slug}/resultat/",
            f"/personal/dialoger/{w.dialogue.pk}/resultat/ny/",
            f"/personal/dialoger/{w.dialogue.pk}/sammanstallning/",
            f"/personal/dialoger/{w.dialogue.pk}/beslutsforslag/",
        ]
        for url in urls:
            assert client.get(url).status_code == 302  # to the login page
        client.force_login(user_with_role(Role.CITIZEN))
        for url in urls:
            assert client.get(url).status_code == 403, url

    def test_the_utskott_page_is_for_its_members_and_dialogue_staff(self, client, w):
        url = f"/personal/utskott/{w.utskott.slug}/resultat/"
        client.force_login(MembershipFactory().person)  # elected, another body
        assert client.get(url).status_code == 403
        client.force_login(w.members[0])
        assert client.get(url).status_code == 200
        client.force_login(w.people.official)
        assert client.get(url).status_code == 200

    def test_the_item_links_its_utskott_only_for_those_who_may_open_it(self, client, w):
        it = item(w, Kind.COMMITTEE)
        link = f'href="/personal/utskott/{w.utskott.slug}/resultat/"'
        client.force_login(user_with_role(Role.CONTACT_CENTRE))  # sees items, not utskott
        page = client.get(item_url(it))
        assert page.status_code == 200 and link not in page.content.decode()
        client.force_login(w.members[0])
        assert link in client.get(item_url(it)).content.decode()

    def test_a_member_cannot_act_on_items(self, client, w):
        it = item(w, Kind.SIMPLE)
        client.force_login(w.members[0])
        page = client.get(item_url(it))
        assert page.status_code == 200 and "Skicka till kontaktcenter" not in text(page)
        response = client.post(f"{item_url(it)}kontaktcenter/", {})
        assert response.status_code == 403


class TestStaffPages:
    def test_the_dialogue_page_lists_the_items(self, client, w):
        item(w, Kind.SIMPLE, title="När töms soptunnorna?")
        client.force_login(w.people.official)
        page = text(client.get(f"/personal/dialoger/{w.dialogue.pk}/"))
        assert "Resultat" in page and "När töms soptunnorna?" in page
        assert "Enkel fråga" in page and "Utskott Syd" in page

    def test_recording_and_classifying_through_the_pages(self, client, w):
        client.force_login(w.people.official)
        response = client.post(
            f"/personal/dialoger/{w.dialogue.pk}/resultat/ny/",
            {"title": "Belysning i parken", "description": "", "kind": ""},
        )
        assert response.status_code == 302
        it = w.dialogue.result_items.get()
        page = client.get(response["Location"], follow=True)
        assert "Punkten är registrerad." in text(page)
        response = client.post(f"{item_url(it)}klassificera/", {"klassificera-kind": "enkel"})
        assert response.status_code == 302
        it.refresh_from_db()
        assert it.kind == Kind.SIMPLE

    def test_a_new_item_without_a_title_shows_the_error_summary(self, client, w):
        client.force_login(w.people.official)
        response = client.post(f"/personal/dialoger/{w.dialogue.pk}/resultat/ny/", {"title": ""})
        assert response.status_code == 400
        assert "Det finns fel i formuläret" in text(response)

    def test_a_held_item_offers_no_handling_and_says_why(self, client, w):
        it = item(w, Kind.PARTY_POLITICAL)
        client.force_login(w.people.official)
        page = text(client.get(item_url(it)))
        assert "Väntar på politiken" in page
        assert "Skicka till kontaktcenter" not in page and "Stäng punkten" not in page
        response = client.post(f"{item_url(it)}stang/", {})
        assert response.status_code == 400
        assert "hanteras inte av förvaltningen" in text(response)
        # The politician sees the raise form and closes it with the note.
        client.force_login(w.politician)
        assert "Registrera att frågan är lyft politiskt" in text(client.get(item_url(it)))
        response = client.post(
            f"{item_url(it)}lyft/", {"lyft-raised_how": "motion", "lyft-note": "Motion 12/3."}
        )
        assert response.status_code == 302
        page = text(client.get(item_url(it)))
        assert "Stängd" in page and "Motion 12/3." in page

    def test_the_item_page_follows_the_contact_centre_case(self, client, w):
        it = item(w, Kind.SIMPLE, title="När töms soptunnorna?")
        client.force_login(w.people.official)
        category = OpinionCategoryFactory()
        response = client.post(
            f"{item_url(it)}kontaktcenter/",
            {"kontaktcenter-category": category.pk, "kontaktcenter-case_kind": "fraga"},
            follow=True,
        )
        assert "Frågan är skickad till kontaktcenter som ett ärende." in text(response)
        it.refresh_from_db()
        assert it.case is not None
        assert f"{it.case.number}: Mottaget" in text(client.get(item_url(it)))
        handler = user_with_role(Role.CONTACT_CENTRE)
        feedback.case_reply(
            case=it.case,
            actor=handler,
            text="Soptunnorna töms varje måndag.",
            status=CaseStatus.objects.get(slug="atgardat"),
        )
        page = text(client.get(item_url(it)))
        assert f"{it.case.number}: Åtgärdat" in page
        assert "Soptunnorna töms varje måndag." in page

    def test_timeline_is_shown_to_members_with_overdue_flagged(self, client, w):
        it = item(w, Kind.COMMITTEE, title="Ny förskola i Berga")
        official = w.people.official
        services.assign_to_namnd(item=it, actor=official, body=w.namnd, raised_via=RaisedVia.PARTY)
        today = timezone.localdate()
        services.timeline_add(
            item=it,
            actor=official,
            text="Förvaltningen utreder behovet.",
            date=today - datetime.timedelta(days=20),
            due_on=today - datetime.timedelta(days=5),
        )
        client.force_login(w.members[1])
        page = text(client.get(f"/personal/utskott/{w.utskott.slug}/resultat/"))
        assert "Ny förskola i Berga" in page and "Förvaltningen utreder behovet." in page
        assert "Under beredning" in page and "Försenad" in page
        assert "Försenad" in text(client.get(item_url(it)))

    def test_close_is_refused_on_the_page_without_feedback(self, client, w):
        it = item(w, Kind.COMMITTEE)
        services.assign_to_namnd(
            item=it, actor=w.people.official, body=w.namnd, raised_via=RaisedVia.PRESIDIUM
        )
        client.force_login(w.people.official)
        response = client.post(f"{item_url(it)}stang/", {})
        assert response.status_code == 400
        it.refresh_from_db()
        assert it.status == ItemStatus.PREPARING


class TestPublicSection:
    def test_nothing_is_public_before_publishing(self, client, w):
        item(w, Kind.SIMPLE, title="Soptunnorna")
        to_compiling(w)
        page = text(client.get(f"/dialoger/{w.dialogue.pk}/"))
        assert "Sammanställning" not in page and "Soptunnorna" not in page

    def test_the_published_summary_shows_counts_and_titles_but_no_notes(self, client, w):
        held = item(w, Kind.PARTY_POLITICAL, title="Sänk skatten")
        services.mark_raised_politically(
            item=held, actor=w.politician, raised_how="motion", note="Hemlig anteckning"
        )
        item(w, Kind.SIMPLE, title="Soptunnorna")
        to_decision_made(w)
        client.force_login(w.people.official)
        form = client.get(f"/personal/dialoger/{w.dialogue.pk}/sammanstallning/")
        assert "Soptunnorna" in text(form) and "Enkel fråga: 1" in text(form)
        response = client.post(
            f"/personal/dialoger/{w.dialogue.pk}/sammanstallning/",
            {"text": "Tack till alla som deltog!"},
            follow=True,
        )
        assert "Sammanställningen är publicerad" in text(response)
        client.logout()
        page = text(client.get(f"/dialoger/{w.dialogue.pk}/"))
        assert "Tack till alla som deltog!" in page
        assert "Partipolitisk: 1" in page and "Enkel fråga: 1" in page
        assert "Sänk skatten" in page and "Soptunnorna" in page
        assert "Hemlig anteckning" not in page
        assert w.politician.get_full_name() not in page

    def test_the_decision_proposal_with_its_pdf(self, client, w, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        to_compiling(w)
        client.force_login(w.people.official)
        url = f"/personal/dialoger/{w.dialogue.pk}/beslutsforslag/"
        not_pdf = SimpleUploadedFile("forslag.pdf", b"GIF89a", "application/pdf")
        data = {
            "text": "Förvaltningen föreslår en ny skolgård.",
            "deciding_body": w.namnd.pk,
            "expected_on": "2027-03-15",
        }
        response = client.post(url, data | {"document": not_pdf})
        assert response.status_code == 400
        assert "Dokumentet måste vara en PDF-fil." in text(response)
        pdf = SimpleUploadedFile("forslag.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        response = client.post(url, data | {"document": pdf}, follow=True)
        assert "Beslutsförslaget är publicerat" in text(response)
        client.logout()
        html = client.get(f"/dialoger/{w.dialogue.pk}/").content.decode()
        assert "Förvaltningen föreslår en ny skolgård." in html
        assert w.namnd.name in html and "15 mars 2027" in html
        assert "Beslutsförslaget som PDF" in html
