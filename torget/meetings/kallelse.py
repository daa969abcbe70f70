"""Kallelse: an utskott's members are called to its meetings by e-mail, with the agenda and an
iCalendar invitation (RFC 5546) their calendar can take in. A change to a called meeting sends
the invitation again with a higher SEQUENCE, and a cancellation sends METHOD:CANCEL, so the
entry in each member's calendar moves or goes away.

The services call `notice_send` inside their transaction: the e-mails go through the outbox,
and the audit entry is written with them.
"""

import datetime
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.mail.message import sanitize_address
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.meetings.models import ForwardedDocument, Meeting
from torget.notifications.services import notify
from torget.organisation.models import BodyKind
from torget.organisation.selectors import elected_members, municipality_get

CALLED = "called"
CHANGED = "changed"
CANCELLED = "cancelled"
TEMPLATES = {
    CALLED: "meetings.utskott_called",
    CHANGED: "meetings.utskott_changed",
    CANCELLED: "meetings.utskott_cancelled",
}
DOCUMENT_TEMPLATE = "meetings.utskott_document"
# What a member's calendar must hear about: a change to anything else sends nothing.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "link")


def is_utskott_meeting(meeting: Meeting) -> bool:
    return meeting.body is not None and meeting.body.kind == BodyKind.DIALOGUE_COMMITTEE


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "torget.invalid"


def _organizer() -> tuple[str, str]:
    """The sender's address and the municipality's name, as the invitation's ORGANIZER."""
    name, address = "", settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        name, address = address.rsplit("<", 1)
        address = address.rstrip(">").strip()
    return municipality_get().name or name.strip(), address


def invitation(meeting: Meeting, members: list[Any], *, method: str) -> str:
    """The meeting as an iCalendar invitation (METHOD:REQUEST) or cancellation (CANCEL). Its
    UID is the one the public calendar feed gives the meeting, so it is one event."""
    zone = timezone.get_current_timezone()
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Torget//Kallelse {_host()}//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{_host()}")
    event.add("sequence", meeting.notice_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))  # type: ignore[arg-type]
    event.add("dtend", meeting.ends_at.astimezone(zone))  # type: ignore[arg-type]
    event.add("summary", meeting.title)
    event.add("description", _agenda_text(meeting))
    if meeting.place or meeting.link:
        event.add("location", meeting.place or meeting.link)
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    name, address = _organizer()
    event.add("organizer", f"mailto:{address}", parameters={"CN": name})
    for member in members:
        event.add(
            "attendee",
            f"mailto:{sanitize_address(member.email, 'utf-8')}",
            parameters={
                "CN": member.full_name or member.email,
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            },
        )
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def _agenda(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        {"title": item.title, "minutes": item.minutes, "citizens_time": item.citizens_time}
        for item in meeting.agenda.all()
    ]


def _agenda_text(meeting: Meeting) -> str:
    lines = [meeting.purpose, "", _("Agenda:")]
    lines += [
        f"{number}. {item['title']} ({item['minutes']} min)"
        for number, item in enumerate(_agenda(meeting), start=1)
    ]
    return "\n".join(lines)


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return _("%(date)s kl. %(start)s–%(end)s") % {
        "date": date_format(start, "j F Y"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def notice_send(*, meeting: Meeting, actor: Actor, kind: str) -> int:
    """Send the kallelse (or its change or cancellation) to each current member of the
    utskott; returns how many were told. A change or cancellation counts up the SEQUENCE
    first, so calendars take it as newer than what they hold."""
    if kind not in TEMPLATES:
        raise ValueError(kind)
    if kind != CALLED:
        meeting.notice_sequence += 1
    if kind == CALLED or meeting.called_at is None:
        meeting.called_at = timezone.now()
    meeting.save(update_fields=["notice_sequence", "called_at", "updated_at"])
    members = [m for m in elected_members(body=meeting.body) if m.email]
    method = "CANCEL" if kind == CANCELLED else "REQUEST"
    if members:
        notify(
            template=TEMPLATES[kind],
            context={
                "title": meeting.title,
                "body_name": meeting.body.name if meeting.body else "",
                "when": _when(meeting),
                "place": meeting.place,
                "link": meeting.link,
                "agenda": _agenda(meeting),
                "reason": meeting.cancellation_reason,
                "url": meeting.get_absolute_url(),
            },
            users=members,
            attachments=[
                {
                    "filename": "kallelse.ics",
                    "content": invitation(meeting, members, method=method),
                    "mimetype": "text/calendar",
                    "params": {"method": method},
                }
            ],
        )
    audit.record(
        actor=actor,
        action=f"meeting.notice_{kind}",
        obj=meeting,
        changes={"members": len(members), "sequence": meeting.notice_sequence},
    )
    return len(members)


def document_notice(*, document: ForwardedDocument, actor: Actor) -> int:
    """Tell each current member of the utskott of a document forwarded to it, with the link
    to fetch it (the file stays behind a log-in); returns how many were told."""
    meeting = document.meeting
    members = [m for m in elected_members(body=meeting.body) if m.email]
    if members:
        notify(
            template=DOCUMENT_TEMPLATE,
            context={
                "title": document.title,
                "note": document.note,
                "meeting_title": meeting.title,
                "body_name": meeting.body.name if meeting.body else "",
                "when": _when(meeting),
                "url": document.get_absolute_url(),
            },
            users=members,
        )
    audit.record(
        actor=actor,
        action="meeting.document_forwarded",
        obj=meeting,
        changes={"title": document.title, "members": len(members)},
    )
    return len(members)
