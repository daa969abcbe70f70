"""Corrections (004 §9): a published summary, decision proposal or result item corrected
afterwards keeps its earlier version, is shown as a correction (date, what changed), and the
participants and followers are told; a result item moved to another kind says why."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from torget.audit.models import AuditEntry
from torget.notifications import sms
from torget.notifications.models import Notification, Subscription
from torget.results import services
from torget.results.models import Correction, CorrectionKind, ItemStatus, Kind
from torget.results.tests.factories import (
    item,
    meeting,
    register,
    to_compiling,
    to_decision_made,
    world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


@pytest.fixture
def follower(w, citizen):
    """A citizen who follows the dialogue by e-mail and SMS."""
    Subscription.objects.create(
        user=citizen,
        target_type=ContentType.objects.get_for_model(w.dialogue),
        target_id=w.dialogue.pk,
        phone="+46701234567",
        by_email=True,
        by_sms=True,
        confirmed_at=timezone.now(),
        phone_confirmed_at=timezone.now(),
    )
    return citizen


def text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def public_page(client, w):
    client.logout()
    return text(client.get(f"/dialoger/{w.dialogue.pk}/"))


def publish_summary(w):
    return services.summary_publish(dialogue=w.dialogue, actor=w.people.official, text="Tack!")


class TestResultItems:
    def test_corrected_result_item_keeps_earlier_version_and_tells_followers(
        self, w, follower, drain, client
    ):
        register(meeting(w.dialogue), "anna@example.se")
        it = item(w, Kind.SIMPLE, title="Fler cykelstall vid skolan")
        to_compiling(w)
        publish_summary(w)
        correction = services.item_correct(
            item=it,
            actor=w.people.official,
            title="Fler cykelställ vid skolan",
            description="Vid den norra entrén.",
            reason="Stavfel i rubriken.",
        )
        it.refresh_from_db()
        assert it.title == "Fler cykelställ vid skolan"
        assert correction.earlier["title"] == "Fler cykelstall vid skolan"
        assert correction.later["title"] == "Fler cykelställ vid skolan"
        assert correction.is_public and correction.recipients == 1
        assert AuditEntry.objects.filter(action="result.corrected", object_id=str(it.pk)).exists()
        # The published summary's list follows the item.
        summary = w.dialogue.feedback_points.get(kind="sammanstallning")
        assert [row["title"] for row in summary.items] == ["Fler cykelställ vid skolan"]
        # Participants and followers are told, each by the channels they chose.
        drain()
        notification = Notification.objects.get(template="results.correction")
        sent = set(notification.deliveries.values_list("channel", "to"))
        assert ("email", "anna@example.se") in sent
        assert ("email", follower.email) in sent and ("sms", "+46701234567") in sent
        message = next(m.message for m in sms.outbox if m.to == "+46701234567")
        assert f"/dialoger/{w.dialogue.pk}/" in message
        # Shown publicly as a correction: its date and what changed, with the earlier title.
        page = public_page(client, w)
        assert "Rättelser" in page and "Stavfel i rubriken." in page
        assert "Tidigare: Fler cykelstall vid skolan. Nu: Fler cykelställ vid skolan." in page
        assert "Vid den norra entrén." not in page  # an item's description is for staff

    def test_an_item_corrected_before_the_summary_is_kept_but_not_sent(self, w, follower):
        it = item(w, Kind.SIMPLE)
        correction = services.item_correct(
            item=it, actor=w.people.official, title="Ny rubrik", description="", reason="Bättre."
        )
        assert not correction.is_public
        assert correction.earlier["title"] == "Fler cykelställ vid skolan"
        assert not Notification.objects.filter(template="results.correction").exists()

    def test_a_correction_must_change_something_and_say_why(self, w):
        it = item(w, Kind.SIMPLE)
        with pytest.raises(services.ResultError) as no_reason:
            services.item_correct(
                item=it, actor=w.people.official, title="Ny", description="", reason=""
            )
        assert "Skriv vad som ändrades och varför." in str(no_reason.value)
        with pytest.raises(services.ResultError) as unchanged:
            services.item_correct(
                item=it, actor=w.people.official, title=it.title, description="", reason="Ingen"
            )
        assert "Ingenting är ändrat" in str(unchanged.value)
        assert not Correction.objects.exists()

    def test_result_item_is_reclassified_with_a_reason_audited_and_shown(
        self, w, follower, drain, client
    ):
        it = item(w, Kind.COMMITTEE, title="Ny förskola")
        services.assign_to_namnd(
            item=it, actor=w.people.official, body=w.namnd, raised_via="presidiet"
        )
        to_compiling(w)
        publish_summary(w)
        correction = services.item_reclassify(
            item=it,
            actor=w.people.official,
            kind=Kind.SIMPLE,
            reason="Förskolan finns redan i planen; frågan gäller bara öppettiderna.",
        )
        it.refresh_from_db()
        # Handled anew as its new kind.
        assert (it.kind, it.status) == (Kind.SIMPLE, ItemStatus.NEW)
        assert correction.kind == CorrectionKind.RECLASSIFIED
        assert correction.earlier["kind"] == Kind.COMMITTEE
        assert AuditEntry.objects.filter(
            action="result.reclassified", object_id=str(it.pk)
        ).exists()
        summary = w.dialogue.feedback_points.get(kind="sammanstallning")
        assert summary.counts["namnd"] == 0 and summary.counts["enkel"] == 1
        drain()
        assert Notification.objects.filter(template="results.correction").exists()
        page = public_page(client, w)
        assert "Omklassificering" in page
        assert "Tidigare: Behöver beredas i en nämnd. Nu: Enkel fråga." in page
        assert "frågan gäller bara öppettiderna" in page
        # The staff see it on the item's page.
        client.force_login(w.people.official)
        item_page = text(client.get(f"/personal/resultat/{it.pk}/"))
        assert "Rättelser och omklassificeringar" in item_page

    def test_reclassifying_as_party_political_holds_it_for_the_elected_official(self, w):
        it = item(w, Kind.SIMPLE)
        with pytest.raises(services.ResultError) as refused:
            services.item_reclassify(
                item=it, actor=w.people.official, kind=Kind.PARTY_POLITICAL, reason="Politik."
            )
        assert "förtroendevalda" in str(refused.value)
        services.item_reclassify(
            item=it,
            actor=w.people.official,
            kind=Kind.PARTY_POLITICAL,
            politician=w.politician,
            reason="Det är en fråga för partierna.",
        )
        it.refresh_from_db()
        assert (it.status, it.politician) == (ItemStatus.HELD, w.politician)
        assert Notification.objects.filter(template="results.to_raise").exists()

    def test_a_closed_item_cannot_be_reclassified_but_can_be_corrected(self, w):
        it = item(w, Kind.PARTY_POLITICAL)
        services.mark_raised_politically(
            item=it, actor=w.politician, raised_how="motion", note="Motion i KF."
        )
        with pytest.raises(services.ResultError) as refused:
            services.item_reclassify(
                item=it, actor=w.people.official, kind=Kind.SIMPLE, reason="Fel typ."
            )
        assert "Punkten är stängd." in str(refused.value)
        services.item_correct(
            item=it, actor=w.people.official, title="Rättad rubrik", description="", reason="Fel"
        )

    def test_the_item_page_offers_correction_and_reclassification(self, w, client):
        it = item(w, Kind.SIMPLE)
        client.force_login(w.people.official)
        response = client.post(
            f"/personal/resultat/{it.pk}/klassificera-om/",
            {"klassificera-om-kind": Kind.COMMITTEE, "klassificera-om-reason": ""},
        )
        assert response.status_code == 400
        response = client.post(
            f"/personal/resultat/{it.pk}/klassificera-om/",
            {"klassificera-om-kind": Kind.COMMITTEE, "klassificera-om-reason": "Behöver beredas."},
            follow=True,
        )
        assert "Punkten är klassificerad om" in text(response)
        response = client.post(
            f"/personal/resultat/{it.pk}/ratta/",
            {"ratta-title": "Ny rubrik", "ratta-description": "", "ratta-reason": "Tydligare."},
            follow=True,
        )
        assert "Punkten är rättad" in text(response)
        it.refresh_from_db()
        assert (it.title, it.kind) == ("Ny rubrik", Kind.COMMITTEE)


class TestFeedbackPoints:
    def test_corrected_summary_keeps_earlier_text_and_tells_followers(
        self, w, follower, drain, client
    ):
        to_compiling(w)
        publish_summary(w)
        client.force_login(w.people.official)
        url = f"/personal/dialoger/{w.dialogue.pk}/sammanstallning/rattelse/"
        assert client.post(url, {"text": "Tack till alla!", "reason": ""}).status_code == 400
        response = client.post(
            url,
            {"text": "Tack till alla 120 deltagare!", "reason": "Antalet saknades."},
            follow=True,
        )
        assert "Rättelsen är sparad" in text(response)
        correction = Correction.objects.get()
        assert correction.earlier == {"text": "Tack!"}
        assert correction.later == {"text": "Tack till alla 120 deltagare!"}
        drain()
        assert Notification.objects.filter(template="results.correction").count() == 1
        page = public_page(client, w)
        assert "Tack till alla 120 deltagare!" in page
        assert "Rättad, se rättelserna nedan" in page and "Antalet saknades." in page
        assert f"{timezone.localdate():%-d}" in page

    def test_corrected_decision_proposal_keeps_earlier_version(self, w, follower, client):
        to_decision_made(w)
        correction = services.decision_proposal_correct(
            dialogue=w.dialogue,
            actor=w.people.official,
            text="Förvaltningen föreslår en ny skolgård.",
            deciding_body=w.namnd,
            expected_on=datetime.date(2027, 4, 12),
            reason="Sammanträdet flyttades till april.",
        )
        assert correction.earlier["expected_on"] == "2027-03-15"
        assert correction.later["expected_on"] == "2027-04-12"
        page = public_page(client, w)
        assert "Sammanträdet flyttades till april." in page
        assert "Tidigare: 2027-03-15. Nu: 2027-04-12." in page

    def test_nothing_to_correct_before_publishing(self, w, client):
        to_compiling(w)
        with pytest.raises(services.ResultError):
            services.summary_correct(
                dialogue=w.dialogue, actor=w.people.official, text="x", reason="y"
            )
        client.force_login(w.people.official)
        url = f"/personal/dialoger/{w.dialogue.pk}/beslutsforslag/rattelse/"
        assert client.get(url).status_code == 404
