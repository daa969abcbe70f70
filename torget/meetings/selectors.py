"""Reads of the meetings part. Public reads never include a draft meeting or a meeting of a
dialogue that is not public."""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.dialogues.calendar import Entry
from torget.dialogues.models import NOT_PUBLIC
from torget.meetings.models import AgendaQuestion, Meeting, MeetingStatus, QuestionStatus


def meetings_public() -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(status=MeetingStatus.DRAFT)
        .exclude(dialogue__status__in=NOT_PUBLIC)
        .select_related("dialogue", "body", "method", "area")
    )


def accepted_questions(meeting: Meeting) -> QuerySet[AgendaQuestion]:
    return meeting.questions.filter(status=QuestionStatus.ACCEPTED)


def meeting_entries(
    *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
) -> Iterable[Entry]:
    """The calendar's provider: published meetings (cancelled ones marked as such)."""
    tz = timezone.get_current_timezone()
    meetings = meetings_public().filter(
        starts_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time(), tz
        ),
        ends_at__gte=datetime.datetime.combine(start, datetime.time(), tz),
    )
    if area_ids is not None:
        meetings = meetings.filter(
            Q(area_id__in=area_ids) | Q(dialogue__areas__in=area_ids)
        ).distinct()
    for meeting in meetings.prefetch_related("dialogue__areas"):
        dialogue = meeting.dialogue
        areas = (
            (meeting.area.name,)
            if meeting.area
            else tuple(a.name for a in (dialogue.areas.all() if dialogue else []))
        )
        yield Entry(
            uid=f"meeting-{meeting.pk}",
            kind="mote",
            kind_label=str(_("Möte")),
            title=meeting.title,
            url=dialogue.get_absolute_url() if dialogue else meeting.body.get_absolute_url(),  # type: ignore[union-attr]
            dialogue=dialogue,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place or meeting.link,
            areas=areas,
            description=meeting.purpose,
            cancelled=meeting.status == MeetingStatus.CANCELLED,
            last_modified=meeting.updated_at,
        )
