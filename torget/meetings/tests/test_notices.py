"""Kallelse: an utskott's members are called to its meetings by e-mail with the agenda and an
iCalendar invitation; changes and cancellations reach them too."""

import datetime

import icalendar
import pytest
from django.core import mail

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues.tests.factories import cast
from torget.meetings import services
from torget.meetings.tests.factories import meeting_for, published
from torget.organisation.models import BodyKind, MemberRole
from torget.organisation.tests.factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def utskott():
    body = BodyFactory(kind=BodyKind.DIALOGUE_COMMITTEE, name="Utskott för medborgardialog Söder")
    MembershipFactory(body=body, role=MemberRole.CHAIR, person__email="stina@example.se")
    MembershipFactory(body=body, person__email="olle@example.se")
    MembershipFactory(body=body, role=MemberRole.DEPUTY, person__email="ersattare@example.se")
    return body


@pytest.fixture
def people():
    return cast()


def _calendar(message):
    """The iCalendar attachment of an e-mail, parsed, with its Content-Type."""
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True)), part
    raise AssertionError("no text/calendar attachment")


def test_calling_utskott_meeting_mails_each_member_agenda_with_ical(utskott, people, drain):
    meeting = published(people, body=utskott, title="Utskottets höstmöte")
    drain()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ersattare@example.se",
        "olle@example.se",
        "stina@example.se",
    ]
    message = mail.outbox[0]
    assert "Kallelse: Utskottets höstmöte" in message.subject
    assert "1. Förslaget (60 min)" in message.body
    assert "2. Era frågor (30 min)" in message.body
    calendar, part = _calendar(message)
    assert part.get_param("method") == "REQUEST"
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert "mailto:" in str(event["organizer"])
    attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
    assert attendees == {"stina@example.se", "olle@example.se", "ersattare@example.se"}
    meeting.refresh_from_db()
    assert meeting.called_at is not None
    entry = AuditEntry.objects.get(action="meeting.notice_called")
    assert entry.changes["members"] == 3


def test_changing_a_called_utskott_meeting_sends_the_invitation_again_with_a_higher_sequence(
    utskott, people, drain
):
    meeting = published(people, body=utskott)
    drain()
    mail.outbox.clear()
    later = meeting.starts_at + datetime.timedelta(days=1)
    services.meeting_update(
        meeting=meeting,
        actor=people.official,
        starts_at=later,
        ends_at=later + datetime.timedelta(minutes=90),
    )
    drain()
    assert len(mail.outbox) == 3
    assert "Ändrad kallelse" in mail.outbox[0].subject
    calendar, part = _calendar(mail.outbox[0])
    assert part.get_param("method") == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == later.replace(microsecond=0)
    assert AuditEntry.objects.filter(action="meeting.notice_changed").count() == 1


def test_a_change_members_need_not_hear_of_sends_nothing(utskott, people, drain):
    meeting = published(people, body=utskott)
    drain()
    mail.outbox.clear()
    services.meeting_update(meeting=meeting, actor=people.official, accessibility="Hörslinga")
    drain()
    assert mail.outbox == []


def test_cancelling_utskott_meeting_sends_ical_cancel(utskott, people, drain):
    meeting = published(people, body=utskott)
    drain()
    mail.outbox.clear()
    services.meeting_cancel(meeting=meeting, actor=people.official, reason="Lokalen är stängd.")
    drain()
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert "Inställt möte" in message.subject and "Lokalen är stängd." in message.body
    calendar, part = _calendar(message)
    assert part.get_param("method") == "CANCEL"
    assert calendar["method"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 1
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_a_draft_utskott_meeting_cancelled_before_it_was_called_sends_nothing(
    utskott, people, drain
):
    meeting = meeting_for(people, body=utskott)
    services.meeting_cancel(meeting=meeting, actor=people.official)
    drain()
    assert mail.outbox == []


def test_a_dialogue_meeting_calls_no_members(people, drain):
    published(people)
    drain()
    assert mail.outbox == []


def test_utskott_coordinator_can_prepare_agenda(utskott, drain):
    coordinator = user_with_role(Role.UTSKOTT_COORDINATOR)
    people = cast()
    people.official = coordinator
    meeting = published(people, body=utskott, title="Utskottets vintermöte")
    assert meeting.agenda.count() == 2
    assert meeting.status == "publicerat"
    drain()
    assert len(mail.outbox) == 3


def test_an_official_without_the_role_cannot_prepare_an_utskott_agenda(utskott):
    from django.core.exceptions import PermissionDenied

    people = cast()
    people.official = user_with_role(Role.CONTACT_CENTRE)
    with pytest.raises(PermissionDenied):
        meeting_for(people, body=utskott)


def test_utskott_public_page_lists_meetings_agendas_and_published_minutes(client, utskott, people):
    from torget.meetings.tests.factories import held

    coming = published(people, body=utskott, title="Utskottets höstmöte")
    past = held(people, body=utskott, title="Utskottets vårmöte")
    services.documentation_update(
        meeting=past,
        actor=people.official,
        notes="Vi talade om parken.",
        participants_total=12,
        counts={},
    )
    services.documentation_approve(meeting=past, actor=people.official)
    draft = meeting_for(people, body=utskott, title="Ett utkast till möte")

    html = client.get(utskott.get_absolute_url()).content.decode()

    assert coming.get_absolute_url() in html and "Utskottets höstmöte" in html
    assert "Förslaget" in html and "Era frågor" in html  # the published agenda
    assert "Utskottets vårmöte" in html
    assert f"{past.get_absolute_url()}#dokumentation" in html  # the approved minutes
    assert draft.title not in html


class TestForwardedDocuments:
    """The coordinator forwards documents to the utskott: each member gets a link by e-mail;
    only the members and those who prepare its meetings can fetch the file."""

    @pytest.fixture(autouse=True)
    def media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""

    @staticmethod
    def pdf():
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(
            "rapport.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        )

    def test_utskott_coordinator_can_forward_documents_to_the_utskott(self, client, utskott, drain):
        coordinator = user_with_role(Role.UTSKOTT_COORDINATOR)
        people = cast()
        people.official = coordinator
        meeting = published(people, body=utskott)
        drain()
        mail.outbox.clear()
        client.force_login(coordinator)
        response = client.post(
            f"/personal/moten/{meeting.pk}/handlingar/",
            {"title": "Trygghetsrådets rapport", "note": "Inför punkt 2.", "file": self.pdf()},
            follow=True,
        )
        assert response.status_code == 200
        assert "Handlingen är skickad till ledamöterna" in response.content.decode()
        document = meeting.forwarded_documents.get()
        drain()
        assert len(mail.outbox) == 3
        assert document.get_absolute_url() in mail.outbox[0].body
        assert "Inför punkt 2." in mail.outbox[0].body
        assert AuditEntry.objects.filter(action="meeting.document_forwarded").count() == 1
        # A member fetches it; someone outside the utskott is told there is no such file.
        member = utskott.memberships.get(role=MemberRole.CHAIR).person
        client.force_login(member)
        fetched = client.get(document.get_absolute_url())
        assert fetched.status_code == 200 and fetched["Content-Type"] == "application/pdf"
        assert "no-store" in fetched["Cache-Control"]
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        assert client.get(document.get_absolute_url()).status_code == 404

    def test_a_document_that_is_no_document_is_refused_with_a_reason(self, client, utskott):
        from django.core.files.uploadedfile import SimpleUploadedFile

        coordinator = user_with_role(Role.UTSKOTT_COORDINATOR)
        people = cast()
        people.official = coordinator
        meeting = published(people, body=utskott)
        client.force_login(coordinator)
        response = client.post(
            f"/personal/moten/{meeting.pk}/handlingar/",
            {"title": "Skript", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho hej\n")},
        )
        assert response.status_code == 400
        assert "Ladda upp en PDF" in response.content.decode()
        assert not meeting.forwarded_documents.exists()

    def test_documents_are_forwarded_only_to_an_utskott(self, client, people):
        meeting = published(people)
        client.force_login(people.official)
        assert client.get(f"/personal/moten/{meeting.pk}/handlingar/").status_code == 404
