"""The safety councils' minutes on an utskott meeting's agenda (seed 000): every minutes
received since the utskott's previous meeting is listed. The safety part registers where the
minutes come from; the meetings part does not know the councils.

    register_minutes_source(source)   # source(body, since, until) -> list of entries

An entry is a `MinutesEntry` or any (title, date, url) triple or object with those attributes.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from torget.meetings.models import Meeting, MeetingStatus
from torget.organisation.models import BodyKind


class MinutesEntry(NamedTuple):
    title: str
    date: datetime.date
    url: str


MinutesSource = Callable[[Any, datetime.datetime | None, datetime.datetime], Iterable[Any]]

_sources: list[MinutesSource] = []


def register_minutes_source(source: MinutesSource) -> None:
    if source not in _sources:
        _sources.append(source)


def unregister_minutes_source(source: MinutesSource) -> None:
    if source in _sources:
        _sources.remove(source)


def _entry(value: Any) -> MinutesEntry:
    if isinstance(value, MinutesEntry):
        return value
    if isinstance(value, tuple):
        return MinutesEntry(*value)
    return MinutesEntry(value.title, value.date, value.url)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The utskott's last meeting before this one that took place (or is planned), cancelled
    ones aside."""
    if meeting.body_id is None:
        return None
    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.DRAFT])
        .order_by("-starts_at")
        .first()
    )


def minutes_for(meeting: Meeting) -> list[MinutesEntry]:
    """The minutes received since the utskott's previous meeting, oldest first; nothing for a
    meeting that is not an utskott's."""
    body = meeting.body
    if body is None or body.kind != BodyKind.DIALOGUE_COMMITTEE:
        return []
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else None
    entries = [_entry(e) for source in _sources for e in source(body, since, meeting.starts_at)]
    return sorted(entries, key=lambda e: (e.date, e.title))
