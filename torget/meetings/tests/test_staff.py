"""The staff pages under /personal/moten/: permissions, the agenda builder, moderation,
cancelling, documentation and feedback point 1, and the utskott's minutes."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues.models import TargetGroup
from torget.dialogues.tests.factories import cast
from torget.meetings import minutes, services
from torget.meetings.models import Meeting, MeetingStatus
from torget.meetings.tests.factories import held, meeting_for, published
from torget.notifications.models import Notification, Subscription
from torget.organisation.models import BodyKind
from torget.organisation.tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def staff_urls(meeting):
    return [
        ("get", url("staff_detail", meeting)),
        ("get", url("staff_edit", meeting)),
        ("get", url("staff_registrations", meeting)),
        ("get", url("staff_cancel", meeting)),
        ("get", url("staff_documentation", meeting)),
        ("post", url("staff_agenda", meeting, "publish")),
        ("post", url("staff_mark_held", meeting)),
        ("post", url("staff_documentation_action", meeting, "godkann")),
        ("get", reverse("meetings:staff_create_for_dialogue", args=[meeting.dialogue_id])),
    ]


class TestPermissions:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, people):
        meeting = published(people)
        for method, address in staff_urls(meeting):
            response = getattr(client, method)(address)
            assert response.status_code == 302, address
            assert response["Location"].startswith(reverse("accounts:login")), address
        assert Meeting.objects.get().status == MeetingStatus.PUBLISHED

    def test_citizens_are_refused(self, client, people):
        meeting = published(people)
        client.force_login(CitizenFactory())
        for method, address in staff_urls(meeting):
            assert getattr(client, method)(address).status_code == 403, address

    def test_the_process_leader_of_another_dialogue_cannot_touch_this_meeting(self, client, people):
        meeting = published(people)
        other = cast()
        other_meeting = published(other)
        client.force_login(other.leader)
        assert client.get(url("staff_detail", other_meeting)).status_code == 200
        for method, address in staff_urls(meeting):
            assert getattr(client, method)(address).status_code == 403, address
        response = client.post(
            url("staff_agenda", meeting, "add"), {"title": "Intrång", "minutes": 5}
        )
        assert response.status_code == 403
        assert not meeting.agenda.filter(title="Intrång").exists()

    def test_staff_who_may_not_plan_see_no_links_to_the_meeting_pages(self, client, people):
        # The contact centre may read dialogues but not plan their meetings: the start page
        # and the dialogue's page must not offer links that answer it 403.
        BodyFactory(kind=BodyKind.DIALOGUE_COMMITTEE)
        meeting = published(people)
        dialogue_page = reverse("dialogues:staff_detail", args=[meeting.dialogue_id])
        index = f'href="{reverse("meetings:staff_index")}"'
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        assert index not in text(client.get(reverse("core:backoffice")))
        page = text(client.get(dialogue_page))
        assert meeting.title in page and meeting.staff_url() not in page
        client.force_login(people.official)
        assert index in text(client.get(reverse("core:backoffice")))
        assert client.get(reverse("meetings:staff_index")).status_code == 200
        assert meeting.staff_url() in text(client.get(dialogue_page))

    def test_a_missing_meeting_is_not_found(self, client, people):
        client.force_login(people.official)
        assert client.get(reverse("meetings:staff_detail", args=[999999])).status_code == 404


class TestPlanning:
    def test_the_dialogues_staff_page_lists_its_meetings_and_links_to_planning(
        self, client, people
    ):
        meeting = meeting_for(people)
        client.force_login(people.official)
        page = text(client.get(meeting.dialogue.staff_url()))
        assert meeting.title in page and meeting.staff_url() in page
        assert reverse("meetings:staff_create_for_dialogue", args=[meeting.dialogue_id]) in page

    def test_creating_a_meeting_through_the_form(self, client, people):
        dialogue = meeting_for(people).dialogue
        method = Meeting.objects.get().method
        client.force_login(people.official)
        address = reverse("meetings:staff_create_for_dialogue", args=[dialogue.pk])
        data = {
            "method": method.pk,
            "title": "Kvällsmöte",
            "purpose": "Höra de boende.",
            "starts_at": "2030-05-02T18:00",
            "ends_at": "2030-05-02T19:30",
            "place": "",
            "link": "",
        }
        refused = client.post(address, data)
        assert refused.status_code == 400
        assert "Skriv var mötet hålls" in text(refused)
        response = client.post(address, {**data, "place": "Folkets hus"}, follow=True)
        created = Meeting.objects.get(title="Kvällsmöte")
        assert response.redirect_chain[-1][0] == created.staff_url()
        assert "Mötet är sparat som utkast" in " ".join(messages_of(response))
        assert AuditEntry.objects.filter(action="meeting.created", object_id=created.pk).exists()


class TestAgendaBuilder:
    def test_publishing_is_refused_below_a_third_with_the_rule_shown(self, client, people):
        meeting = meeting_for(people, minutes=90)
        client.force_login(people.official)
        client.post(url("staff_agenda", meeting, "add"), {"title": "Förslaget", "minutes": 60})
        client.post(
            url("staff_agenda", meeting, "add"),
            {"title": "Era frågor", "minutes": 20, "citizens_time": "on"},
        )
        page = text(client.get(url("staff_detail", meeting)))
        assert "20 av 90 minuter (22 %) är till för invånarnas frågor" in page
        response = client.post(url("staff_agenda", meeting, "publish"))
        assert response.status_code == 400
        assert "Minst en tredjedel av mötestiden" in text(response)
        assert "30 av 90 minuter" in text(response)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.DRAFT

        client.post(
            url("staff_agenda", meeting, "add"),
            {"title": "Fler frågor", "minutes": 10, "citizens_time": "on"},
        )
        response = client.post(url("staff_agenda", meeting, "publish"), follow=True)
        assert "Agendan och mötet är publicerade." in messages_of(response)
        assert "30 av 90 minuter (33 %)" in text(response)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.PUBLISHED
        assert AuditEntry.objects.filter(action="meeting.published").count() == 1

    def test_items_move_and_are_removed(self, client, people):
        meeting = meeting_for(people)
        client.force_login(people.official)
        for title in ("Ett", "Två", "Tre"):
            client.post(url("staff_agenda", meeting, "add"), {"title": title, "minutes": 5})
        three = meeting.agenda.get(title="Tre")
        response = client.post(url("staff_agenda", meeting, "up"), {"item": three.pk}, follow=True)
        assert "Punkten är flyttad." in messages_of(response)
        assert list(meeting.agenda.values_list("title", flat=True)) == ["Ett", "Tre", "Två"]
        client.post(url("staff_agenda", meeting, "remove"), {"item": three.pk})
        assert list(meeting.agenda.values_list("title", flat=True)) == ["Ett", "Två"]
        assert AuditEntry.objects.filter(action="meeting.agenda_item_removed").exists()

    def test_removing_the_citizens_time_from_a_published_agenda_is_refused(self, client, people):
        meeting = published(people)
        client.force_login(people.official)
        citizens = meeting.agenda.get(citizens_time=True)
        response = client.post(url("staff_agenda", meeting, "remove"), {"item": citizens.pk})
        assert response.status_code == 400 and "en tredjedel" in text(response)
        assert meeting.agenda.filter(pk=citizens.pk).exists()


class TestModeration:
    def test_accepting_a_question_shows_it_on_the_meeting_page(self, client, people):
        meeting = published(people)
        question = services.question_submit(meeting=meeting, text="Blir det gungor?")
        client.force_login(people.official)
        assert "Blir det gungor?" in text(client.get(url("staff_detail", meeting)))
        response = client.post(url("staff_moderate", meeting, question.pk, "godkann"), follow=True)
        assert "Frågan är godkänd och visas på mötessidan." in messages_of(response)
        client.logout()
        assert "Blir det gungor?" in text(client.get(meeting.get_absolute_url()))

    def test_a_rejected_question_stays_hidden(self, client, people):
        meeting = published(people)
        question = services.question_submit(meeting=meeting, text="Reklam här")
        client.force_login(people.official)
        client.post(url("staff_moderate", meeting, question.pk, "avvisa"))
        client.logout()
        assert "Reklam här" not in text(client.get(meeting.get_absolute_url()))


class TestRegistrationsAndCancelling:
    def test_the_registration_list_shows_people_and_counts(self, client, people):
        meeting = published(people, capacity=1)
        group = TargetGroup.objects.get(code="barn")
        services.registration_create(
            meeting=meeting, name="Anna", email="anna@ex.se", target_group=group, needs="Tolk"
        )
        services.registration_create(meeting=meeting, name="Bo", email="bo@ex.se")
        client.force_login(people.official)
        page = text(client.get(url("staff_registrations", meeting)))
        for shown in ("Anna", "anna@ex.se", "Barn", "Tolk", "Bo", "På reservlistan"):
            assert shown in page
        assert "1 anmälda, 1 på reservlistan, 0 avanmälda." in page

    def test_cancelling_tells_the_registered_by_email(self, client, people):
        meeting = published(people, capacity=1)
        services.registration_create(meeting=meeting, name="Anna", email="anna@ex.se")
        services.registration_create(meeting=meeting, name="Bo", email="bo@ex.se")
        client.force_login(people.official)
        refused = client.post(url("staff_cancel", meeting), {"reason": "Sjukdom"})
        assert refused.status_code == 400 and "Kryssa i rutan" in text(refused)
        response = client.post(
            url("staff_cancel", meeting), {"reason": "Sjukdom", "confirm": "on"}, follow=True
        )
        assert "Mötet är inställt och de anmälda får besked." in messages_of(response)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CANCELLED
        note = Notification.objects.get(template="meetings.cancelled")
        assert sorted(note.deliveries.values_list("to", flat=True)) == ["anna@ex.se", "bo@ex.se"]
        assert AuditEntry.objects.filter(action="meeting.cancelled").exists()


def pdf_upload(name="anteckningar.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def jpeg_with_gps():
    image = Image.new("RGB", (40, 30), (200, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "Telefonmärke"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_1.jpg", buffer.getvalue(), content_type="image/jpeg")


class TestDocumentation:
    def test_documentation_is_public_only_once_approved(self, client, people):
        meeting = held(people)
        group = TargetGroup.objects.get(code="barn")
        client.force_login(people.official)
        action = url("staff_documentation_action", meeting, "spara")
        response = client.post(
            action,
            {"notes": "Vi pratade om gungor.", "participants_total": 25, f"group_{group.pk}": 9},
            follow=True,
        )
        assert "Dokumentationen är sparad" in " ".join(messages_of(response))
        client.post(
            url("staff_documentation_action", meeting, "bilaga"),
            {"title": "Presentationen", "file": pdf_upload()},
        )
        attachment = meeting.attachments.get()
        client.logout()
        assert "Vi pratade om gungor." not in text(client.get(meeting.get_absolute_url()))
        assert "Vi pratade om gungor." not in text(client.get(meeting.dialogue.get_absolute_url()))
        assert client.get(url("attachment", meeting, attachment.pk)).status_code == 404

        client.force_login(people.official)
        response = client.post(url("staff_documentation_action", meeting, "godkann"), follow=True)
        assert "Dokumentationen är godkänd" in " ".join(messages_of(response))
        documentation = meeting.documentation
        documentation.refresh_from_db()
        assert documentation.approved_by == people.official
        assert documentation.approved_at is not None
        client.logout()
        page = text(client.get(meeting.get_absolute_url()))
        assert "Vi pratade om gungor." in page
        assert "25 deltagare totalt" in page and "Barn: 9" in page and "Presentationen" in page
        assert "Vi pratade om gungor." in text(client.get(meeting.dialogue.get_absolute_url()))
        download = client.get(url("attachment", meeting, attachment.pk))
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    def test_a_change_after_approval_needs_a_new_approval(self, people):
        meeting = held(people)
        services.documentation_update(
            meeting=meeting, actor=people.official, notes="Först", participants_total=3, counts={}
        )
        services.documentation_approve(meeting=meeting, actor=people.official)
        services.documentation_update(
            meeting=meeting, actor=people.official, notes="Sedan", participants_total=3, counts={}
        )
        meeting.documentation.refresh_from_db()
        assert meeting.documentation.approved_at is None

    def test_an_attachment_is_checked_by_its_content_not_its_name(self, client, people):
        meeting = held(people)
        client.force_login(people.official)
        fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf at all")
        response = client.post(
            url("staff_documentation_action", meeting, "bilaga"),
            {"title": "Rapport", "file": fake},
        )
        assert response.status_code == 400
        assert "Filen är inte ett dokument som går att publicera" in text(response)
        assert not meeting.attachments.exists()

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("rapport.pdf", b"<html><script>alert(1)</script></html>"),
            ("karta.docx", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
            ("bild.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ],
    )
    def test_a_page_or_drawing_with_a_harmless_name_is_refused(self, people, name, content):
        meeting = held(people)
        with pytest.raises(services.MeetingError) as refused:
            services.attachment_add(
                meeting=meeting,
                actor=people.official,
                upload=SimpleUploadedFile(name, content),
                title="Rapport",
            )
        assert "file" in refused.value.message_dict
        with pytest.raises(services.MeetingError) as refused:
            services.photo_add(
                meeting=meeting,
                actor=people.official,
                upload=SimpleUploadedFile(name, content),
                alt_text="Karta",
            )
        assert "image" in refused.value.message_dict
        assert not meeting.attachments.exists() and not meeting.photos.exists()

    def test_a_photo_is_stripped_of_metadata_and_needs_a_text(self, client, people):
        meeting = held(people)
        client.force_login(people.official)
        action = url("staff_documentation_action", meeting, "foto")
        missing = client.post(action, {"image": jpeg_with_gps(), "alt_text": ""})
        assert missing.status_code == 400 and not meeting.photos.exists()
        client.post(action, {"image": jpeg_with_gps(), "alt_text": "Deltagare vid kartan"})
        photo = meeting.photos.get()
        with photo.image.open("rb") as stored:
            data = stored.read()
        assert b"Telefonm" not in data and not Image.open(io.BytesIO(data)).getexif()

    def test_a_meeting_not_yet_held_cannot_be_documented(self, client, people):
        meeting = published(people)
        client.force_login(people.official)
        response = client.post(
            url("staff_documentation_action", meeting, "spara"), {"notes": "För tidigt"}
        )
        assert response.status_code == 400
        assert "markerat som genomfört" in text(response)


class TestFeedbackPointOne:
    def test_feedback_goes_once_to_the_registered_and_the_followers(
        self, client, people, citizen, drain
    ):
        meeting = published(people, capacity=2)
        for name in ("anna", "bo", "cia"):
            services.registration_create(meeting=meeting, name=name, email=f"{name}@ex.se")
        Subscription.objects.create(
            user=citizen,
            target_type=ContentType.objects.get_for_model(meeting.dialogue),
            target_id=meeting.dialogue.pk,
            confirmed_at=timezone.now(),
        )
        start = timezone.now() - datetime.timedelta(hours=3)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=start, ends_at=start + datetime.timedelta(minutes=90)
        )
        client.force_login(people.official)
        client.post(url("staff_mark_held", meeting))
        next_on = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
        data = {
            "questions": "Gungorna går till tekniska nämnden.",
            "notes_where": "På dialogens sida inom en vecka",
            "next_on": next_on,
        }
        action = url("staff_documentation_action", meeting, "aterkoppling")
        response = client.post(action, data, follow=True)
        assert "Återkopplingen är sparad" in " ".join(messages_of(response))
        drain()
        note = Notification.objects.get(template="meetings.feedback")
        recipients = set(note.deliveries.values_list("to", flat=True))
        assert {"anna@ex.se", "bo@ex.se", citizen.email} <= recipients
        assert "cia@ex.se" not in recipients  # on the waiting list, not registered

        again = client.post(action, data)
        assert again.status_code == 400 and "Återkopplingen är redan skickad." in text(again)
        assert Notification.objects.filter(template="meetings.feedback").count() == 1
        meeting.documentation.refresh_from_db()
        assert meeting.documentation.feedback_sent_at is not None

        client.logout()
        page = text(client.get(meeting.get_absolute_url()))
        assert "Gungorna går till tekniska nämnden." in page
        assert "På dialogens sida inom en vecka" in page

    def test_feedback_needs_a_date_in_the_future(self, client, people):
        meeting = held(people)
        client.force_login(people.official)
        response = client.post(
            url("staff_documentation_action", meeting, "aterkoppling"),
            {"questions": "x", "notes_where": "y", "next_on": "2001-01-01"},
        )
        assert response.status_code == 400 and "Datumet har redan varit." in text(response)
        assert not Notification.objects.filter(template="meetings.feedback").exists()


class TestUtskottMinutes:
    def test_the_agenda_lists_the_minutes_received_since_the_last_meeting(self, client, people):
        utskott = BodyFactory(kind=BodyKind.DIALOGUE_COMMITTEE)
        now = timezone.now()
        earlier = published(
            people, body=utskott, starts=now + datetime.timedelta(days=2), title="Förra mötet"
        )
        meeting = published(
            people, body=utskott, starts=now + datetime.timedelta(days=20), title="Utskottsmöte"
        )
        calls = []

        def source(body, since, until):
            calls.append((body, since, until))
            return [
                ("Trygghetsrådet Berga, protokoll 3", datetime.date(2030, 1, 5), "/p/3/"),
                minutes.MinutesEntry("Trygghetsrådet Öster", datetime.date(2030, 1, 2), "/p/1/"),
            ]

        minutes.register_minutes_source(source)
        try:
            client.force_login(people.official)
            staff_page = text(client.get(meeting.staff_url()))
            client.logout()
            public_page = text(client.get(meeting.get_absolute_url()))
        finally:
            minutes.unregister_minutes_source(source)
        for page in (staff_page, public_page):
            assert "Trygghetsrådet Berga, protokoll 3" in page and 'href="/p/3/"' in page
            assert page.index("Trygghetsrådet Öster") < page.index("Trygghetsrådet Berga")
        assert calls[0] == (utskott, earlier.starts_at, meeting.starts_at)
        assert minutes.minutes_for(meeting_for(people)) == []  # a dialogue's meeting
