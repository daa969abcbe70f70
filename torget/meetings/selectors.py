"""Reads of the meetings part. Public reads never include a draft meeting or a meeting of a
dialogue that is not public."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.dialogues.calendar import Entry
from torget.dialogues.models import NOT_PUBLIC, Dialogue
from torget.meetings import bodies
from torget.meetings.models import (
    AgendaQuestion,
    Attachment,
    Documentation,
    ForwardedDocument,
    Meeting,
    MeetingStatus,
    Photo,
    QuestionStatus,
    Registration,
    RegistrationStatus,
)
from torget.organisation.models import Body, BodyKind
from torget.organisation.permissions import is_member_of_body

DocumentationFile = TypeVar("DocumentationFile", Attachment, Photo)


def meetings_public() -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(status=MeetingStatus.DRAFT)
        .exclude(dialogue__status__in=NOT_PUBLIC)
        .select_related("dialogue", "body", "method", "area")
    )


def public_meeting(pk: int) -> Meeting:
    """A meeting for its public page: 404 for a draft or a meeting of a non-public dialogue."""
    return get_object_or_404(
        meetings_public().select_related("politician", "official", "area"), pk=pk
    )


def public_meetings_of(dialogue: Dialogue) -> QuerySet[Meeting]:
    """The dialogue's meetings on its public page, with their active registrations counted."""
    return meetings_public().filter(dialogue=dialogue).annotate(registered_count=_registered())


def dialogue_meetings(dialogue: Dialogue) -> QuerySet[Meeting]:
    """All the dialogue's meetings, drafts and cancelled ones included (staff pages)."""
    return (
        Meeting.objects.filter(dialogue=dialogue)
        .select_related("method")
        .annotate(
            registered_count=_registered(),
            waiting_count=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITING),
                distinct=True,
            ),
            questions_waiting=Count(
                "questions", filter=Q(questions__status=QuestionStatus.SUBMITTED), distinct=True
            ),
        )
    )


def body_meetings(body: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body=body).select_related("method")


def public_body_meetings(body: Any) -> QuerySet[Meeting]:
    """A body's meetings on its public page, with their agendas and, where it is approved,
    the documentation (the minutes)."""
    return (
        meetings_public()
        .filter(body=body)
        .select_related("documentation")
        .prefetch_related("agenda")
    )


def _registered() -> Count:
    return Count(
        "registrations",
        filter=Q(registrations__status=RegistrationStatus.REGISTERED),
        distinct=True,
    )


def access_meeting(user: Actor, pk: int) -> Meeting:
    """A meeting for the staff pages: 404 if missing, 403 for anyone who may not plan it."""
    from torget.meetings.services import can_plan

    meeting = get_object_or_404(
        Meeting.objects.select_related("dialogue", "body", "method", "area"), pk=pk
    )
    if not can_plan(user, meeting):
        raise PermissionDenied
    return meeting


def access_dialogue_for_planning(user: Actor, dialogue_pk: int) -> Dialogue:
    """The dialogue to plan a new meeting in: 404 if missing, 403 for anyone who may not."""
    from torget.meetings.services import can_plan

    dialogue = get_object_or_404(Dialogue, pk=dialogue_pk)
    if not can_plan(user, dialogue=dialogue):
        raise PermissionDenied
    return dialogue


def access_utskott_for_planning(user: Actor, body_pk: int) -> Body:
    """The utskott to plan a new meeting for: 404 if missing, 403 for anyone who may not."""
    from torget.meetings.services import can_plan

    body = get_object_or_404(Body, pk=body_pk, kind=BodyKind.DIALOGUE_COMMITTEE)
    if not can_plan(user, body=body):
        raise PermissionDenied
    return body


def access_documentation_file(
    user: Actor, model: type[DocumentationFile], *, meeting_pk: int, pk: int
) -> tuple[DocumentationFile, bool]:
    """An attachment or photo of a meeting, and whether it is public. Anyone may fetch it once
    the documentation is approved and the meeting is public; before that only those who plan
    the meeting (to check it before approving). 404 for everyone else, as for one that does
    not exist."""
    from torget.meetings.services import can_plan

    item = get_object_or_404(
        model.objects.select_related("meeting", "meeting__dialogue", "meeting__body"),
        pk=pk,
        meeting_id=meeting_pk,
    )
    meeting = item.meeting
    public = meeting.is_public and approved_documentation(meeting) is not None
    if not public and not (can_plan(user, meeting) or can_read_unapproved(user, meeting)):
        raise Http404
    return item, public


def access_forwarded_document(user: Actor, *, meeting_pk: int, pk: int) -> ForwardedDocument:
    """A document forwarded to an utskott: for its current members and those who prepare its
    meetings; 404 for everyone else, as for one that does not exist."""
    from torget.meetings.services import can_plan

    document = get_object_or_404(
        ForwardedDocument.objects.select_related("meeting", "meeting__body"),
        pk=pk,
        meeting_id=meeting_pk,
    )
    meeting = document.meeting
    if not (can_plan(user, meeting) or is_member_of_body(user, meeting.body)):
        raise Http404
    return document


def can_read_unapproved(user: Actor, meeting: Meeting) -> bool:
    """Whether `user` may read the documentation before it is approved without planning the
    meeting: those a body's owning app names (the utskott of a council's area)."""
    owned = bodies.rules_for(meeting.body)
    return owned is not None and owned.can_read(user, meeting.body)


def registration_by_token(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__dialogue"), token=token
    )


def registered_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def places_left(meeting: Meeting) -> int | None:
    """Places left before the waiting list; None when there is no cap."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - registered_count(meeting))


def registrations(meeting: Meeting) -> QuerySet[Registration]:
    return meeting.registrations.select_related("target_group").order_by("status", "created_at")


def registered_emails(dialogue: Dialogue) -> list[str]:
    """The distinct addresses of everyone registered (not waiting, not cancelled) to any of the
    dialogue's meetings: for the summary at the end of the dialogue and the evaluation."""
    return list(
        Registration.objects.filter(
            meeting__dialogue=dialogue, status=RegistrationStatus.REGISTERED
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def documentation(meeting: Meeting) -> Documentation | None:
    return Documentation.objects.filter(meeting=meeting).first()


def approved_documentation(meeting: Meeting) -> Documentation | None:
    """The documentation as the public sees it: only once approved."""
    return Documentation.objects.filter(meeting=meeting, approved_at__isnull=False).first()


def submitted_questions(meeting: Meeting) -> QuerySet[AgendaQuestion]:
    return meeting.questions.filter(status=QuestionStatus.SUBMITTED)


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
            url=meeting.get_absolute_url(),
            dialogue=dialogue,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place or meeting.link,
            areas=areas,
            description=meeting.purpose,
            cancelled=meeting.status == MeetingStatus.CANCELLED,
            last_modified=meeting.updated_at,
        )
