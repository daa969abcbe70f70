"""Text files sent with every e-mail of a notification (the utskott's calendar invitations)."""

import pytest
from django.core import mail

from torget.accounts.tests.factories import UserFactory
from torget.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_attachments_go_with_every_email_with_their_content_type_parameters(drain):
    people = [UserFactory(email="a@example.se"), UserFactory(email="b@example.se")]
    notify(
        template="meetings.utskott_called",
        context={"title": "Möte", "when": "1 december 2026 kl. 18:00–19:30", "url": "/moten/1/"},
        users=people,
        attachments=[
            {
                "filename": "kallelse.ics",
                "content": "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
                "mimetype": "text/calendar",
                "params": {"method": "REQUEST"},
            }
        ],
    )
    drain()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]
    for message in mail.outbox:
        parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1
        assert parts[0].get_param("method") == "REQUEST"
        assert parts[0].get_filename() == "kallelse.ics"
        assert b"METHOD:REQUEST" in parts[0].get_payload(decode=True)


def test_a_notification_without_attachments_sends_none(drain):
    notify(
        template="meetings.utskott_called",
        context={"title": "Möte", "when": "i morgon", "url": "/moten/1/"},
        emails=["c@example.se"],
    )
    drain()
    assert [p.get_content_type() for p in mail.outbox[0].message().walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
