"""Writes of the meetings part: planning a meeting, its agenda, registrations with a waiting
list, and the citizens' questions to the agenda."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.models import normalize_email
from torget.audit import services as audit
from torget.dialogues import selectors as dialogue_selectors
from torget.meetings import agenda
from torget.meetings.models import (
    AgendaItem,
    AgendaQuestion,
    Meeting,
    MeetingStatus,
    QuestionStatus,
    Registration,
    RegistrationStatus,
)
from torget.notifications.services import notify
from torget.organisation.permissions import is_presidium_of_body
from torget.organisation.selectors import municipality_get

FOCUS_GROUP = (8, 12)  # seed 004 §5: focus groups of 8–12 participants


class MeetingError(ValidationError):
    pass


def can_plan(
    user: Any, meeting: Meeting | None = None, *, dialogue: Any = None, body: Any = None
) -> bool:
    dialogue = dialogue if meeting is None else meeting.dialogue
    body = body if meeting is None else meeting.body
    if dialogue is not None:
        return dialogue_selectors.can_work_with(user, dialogue)
    return bool(
        body is not None
        and (dialogue_selectors.can_work_with(user) or is_presidium_of_body(user, body))
    )


def _require(actor: Any, meeting: Meeting | None = None, **where: Any) -> None:
    if not can_plan(actor, meeting, **where):
        raise PermissionDenied


def _check_capacity(method: Any, capacity: int | None) -> None:
    if method is not None and method.name == "Fokusgrupp":
        low, high = FOCUS_GROUP
        if capacity is None or not low <= capacity <= high:
            raise MeetingError(
                {
                    "capacity": _("En fokusgrupp har %(low)s–%(high)s deltagare (004 §5).")
                    % {"low": low, "high": high}
                }
            )


@transaction.atomic
def meeting_create(*, actor: Any, dialogue: Any = None, body: Any = None, **values: Any) -> Meeting:
    _require(actor, dialogue=dialogue, body=body)
    _check_capacity(values.get("method"), values.get("capacity"))
    meeting = Meeting(dialogue=dialogue, body=body, **values)
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action="meeting.created", obj=meeting)
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, actor: Any, title: str, minutes: int, citizens_time: bool = False
) -> AgendaItem:
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    order = (meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        order=order,
        title=title.strip(),
        minutes=minutes,
        citizens_time=citizens_time,
    )
    item.full_clean()
    item.save()
    if meeting.agenda_published_at is not None:
        # A published agenda may change, but never below the citizens' third.
        result = agenda.check(meeting)
        if not result.ok:
            raise MeetingError(list(result.problems))
    audit.record(
        actor=actor,
        action="meeting.agenda_item_added",
        obj=meeting,
        changes={"title": item.title, "minutes": minutes},
    )
    return item


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor: Any) -> Meeting:
    """Publish the (draft) agenda, and with it the meeting: refused unless a third of the
    time is the citizens'."""
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = agenda.check(meeting)
    if not result.ok:
        raise MeetingError(list(result.problems))
    meeting.agenda_published_at = timezone.now()
    if meeting.status == MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.PUBLISHED
    meeting.save(update_fields=["agenda_published_at", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.published",
        obj=meeting,
        changes={"citizens_share": round(result.citizens_share, 3)},
    )
    return meeting


# --- Registration ------------------------------------------------------------------------------


def _clean_email(email: str) -> str:
    email = normalize_email(email) if email.strip() else ""
    try:
        validate_email(email)
    except ValidationError as error:
        raise MeetingError({"email": _("Skriv en giltig e-postadress.")}) from error
    return email


@transaction.atomic
def registration_create(
    *, meeting: Meeting, name: str, email: str, target_group: Any = None, needs: str = ""
) -> Registration:
    """Register for a meeting; when it is full, on the waiting list. The meeting row is
    locked, so two people cannot both take the last place."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_public or meeting.status != MeetingStatus.PUBLISHED:
        raise MeetingError(_("Det går inte att anmäla sig till det här mötet."))
    if meeting.starts_at <= timezone.now():
        raise MeetingError(_("Mötet har redan börjat."))
    if not name.strip():
        raise MeetingError({"name": _("Skriv ditt namn.")})
    email = _clean_email(email)
    active = meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if active.filter(email=email).exists():
        raise MeetingError({"email": _("Den e-postadressen är redan anmäld till mötet.")})
    registered = active.filter(status=RegistrationStatus.REGISTERED).count()
    full = meeting.capacity is not None and registered >= meeting.capacity
    registration = Registration.objects.create(
        meeting=meeting,
        name=name.strip()[:120],
        email=email,
        target_group=target_group,
        needs=needs.strip()[:250],
        status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
    )
    notify(
        template="meetings.registered",
        context={
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "waiting": full,
            "token": registration.token,
        },
        emails=[email],
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; the first on the waiting list gets the place and is told.
    Returns the promoted registration, if any."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if not was_registered:
        return None
    waiting = (
        meeting.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("created_at", "id")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = RegistrationStatus.REGISTERED
    waiting.save(update_fields=["status"])
    notify(
        template="meetings.promoted",
        context={
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "token": waiting.token,
            "municipality_name": municipality_get().name,
        },
        emails=[waiting.email],
    )
    return waiting


# --- Questions to the agenda -----------------------------------------------------------------


@transaction.atomic
def question_submit(
    *, meeting: Meeting, text: str, name: str = "", email: str = ""
) -> AgendaQuestion:
    if not meeting.is_public or meeting.agenda_published_at is None:
        raise MeetingError(_("Agendan är inte publicerad än."))
    if meeting.starts_at <= timezone.now():
        raise MeetingError(_("Mötet har redan börjat."))
    text = text.strip()
    if not text:
        raise MeetingError({"text": _("Skriv din fråga.")})
    if len(text) > 1000:
        raise MeetingError({"text": _("Frågan får vara högst 1 000 tecken.")})
    email = _clean_email(email) if email.strip() else ""
    return AgendaQuestion.objects.create(
        meeting=meeting, text=text, name=name.strip()[:120], email=email
    )


@transaction.atomic
def question_moderate(*, question: AgendaQuestion, actor: Any, accept: bool) -> AgendaQuestion:
    _require(actor, question.meeting)
    question.status = QuestionStatus.ACCEPTED if accept else QuestionStatus.REJECTED
    question.moderated_by = actor
    question.save(update_fields=["status", "moderated_by"])
    audit.record(
        actor=actor,
        action="meeting.question_moderated",
        obj=question.meeting,
        changes={"question": question.pk, "status": question.status},
    )
    return question
