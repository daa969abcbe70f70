"""Meetings at each point of their life, made through the services (as the staff pages do)."""

import datetime
from typing import Any

from django.utils import timezone

from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Method
from torget.dialogues.tests.factories import Cast, approved
from torget.meetings import services
from torget.meetings.models import Meeting


def meeting_for(
    people: Cast,
    *,
    method: str = "dialogmote",
    capacity: int | None = None,
    minutes: int = 90,
    dialogue: Any = None,
    body: Any = None,
    starts: datetime.datetime | None = None,
    **values: Any,
) -> Meeting:
    catalogue_ensure()
    starts = starts or timezone.now() + datetime.timedelta(days=10)
    where = {"body": body} if body is not None else {"dialogue": dialogue or approved(people)}
    values.setdefault("title", "Dialogmöte om skolgården")
    values.setdefault("purpose", "Samla idéer om skolgården.")
    values.setdefault("place", "Bergaskolans matsal, Skolvägen 4")
    values.setdefault("registration_required", capacity is not None)
    return services.meeting_create(
        actor=people.official,
        method=Method.objects.get(code=method),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        capacity=capacity,
        **where,
        **values,
    )


def published(people: Cast, **kwargs: Any) -> Meeting:
    """A published meeting of 90 minutes whose agenda gives the citizens 30 (a third)."""
    meeting = meeting_for(people, **kwargs)
    for title, minutes, citizens in (("Förslaget", 60, False), ("Era frågor", 30, True)):
        services.agenda_item_add(
            meeting=meeting,
            actor=people.official,
            title=title,
            minutes=minutes,
            citizens_time=citizens,
        )
    return services.agenda_publish(meeting=meeting, actor=people.official)


def held(people: Cast, **kwargs: Any) -> Meeting:
    """A published meeting that took place yesterday, marked as held."""
    meeting = published(people, **kwargs)
    start = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(minutes=90)
    )
    meeting.refresh_from_db()
    return services.meeting_mark_held(meeting=meeting, actor=people.official)


def start_in_the_past(meeting: Meeting) -> Meeting:
    start = timezone.now() - datetime.timedelta(minutes=10)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(minutes=90)
    )
    meeting.refresh_from_db()
    return meeting
