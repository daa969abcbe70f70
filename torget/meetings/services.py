"""Writes of the meetings part: planning a meeting, its agenda, registrations with a waiting
list, the citizens' questions to the agenda, cancelling and holding it, its documentation and
the feedback at its end (seed 004 §9, point 1)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.models import normalize_email
from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import images
from torget.core.workflow import Move, Step
from torget.dialogues import selectors as dialogue_selectors
from torget.meetings import agenda, bodies, documents, kallelse, workflow
from torget.meetings.models import (
    AgendaItem,
    AgendaQuestion,
    Attachment,
    Documentation,
    ForwardedDocument,
    Meeting,
    MeetingStatus,
    ParticipantCount,
    Photo,
    QuestionStatus,
    Registration,
    RegistrationStatus,
)
from torget.meetings.workflow import MeetingError
from torget.notifications.services import notify
from torget.organisation.models import BodyKind
from torget.organisation.permissions import is_presidium_of_body
from torget.organisation.selectors import municipality_get


def prepares_utskott(user: Actor, body: Any) -> bool:
    """The utskott coordinator prepares every utskott's meetings; the safety coordinator
    those of the utskott in its areas (where the safety councils report)."""
    if body is None or body.kind != BodyKind.DIALOGUE_COMMITTEE:
        return False
    if has_perm(user, "meetings.prepare_utskott_meetings"):
        return True
    return body.area is not None and has_perm(
        user, "organisation.coordinate_safety_in_area", body.area
    )


def can_plan(
    user: Actor, meeting: Meeting | None = None, *, dialogue: Any = None, body: Any = None
) -> bool:
    dialogue = dialogue if meeting is None else meeting.dialogue
    body = body if meeting is None else meeting.body
    if dialogue is not None:
        return dialogue_selectors.can_work_with(user, dialogue)
    owned = bodies.rules_for(body)
    if owned is not None:
        # A body another app owns (a council): that app says who plans its meetings.
        return owned.can_plan(user, body)
    return bool(
        body is not None
        and (
            dialogue_selectors.can_work_with(user)
            or is_presidium_of_body(user, body)
            or prepares_utskott(user, body)
        )
    )


def _require(actor: Actor, meeting: Meeting | None = None, **where: Any) -> None:
    if not can_plan(actor, meeting, **where):
        raise PermissionDenied


def _check_capacity(method: Any, capacity: int | None) -> None:
    """A method with a group size in the catalogue (a focus group has 8–12, seed 004 §5)
    needs a participant cap within it. The bounds are the method's data, whatever its name."""
    if method is None or not method.has_group_size:
        return
    low, high = method.min_participants, method.max_participants
    if (
        capacity is not None
        and (low is None or capacity >= low)
        and (high is None or capacity <= high)
    ):
        return
    if low is not None and high is not None:
        message = _("%(method)s har %(low)s–%(high)s deltagare. Sätt ett deltagartak inom det.")
    elif low is not None:
        message = _("%(method)s har minst %(low)s deltagare. Sätt ett deltagartak på minst det.")
    else:
        message = _("%(method)s har högst %(high)s deltagare. Sätt ett deltagartak på högst det.")
    raise MeetingError({"capacity": message % {"method": method.name, "low": low, "high": high}})


def _check_where(values: Mapping[str, Any]) -> None:
    if not (values.get("place") or "").strip() and not (values.get("link") or "").strip():
        raise MeetingError(
            {"place": _("Skriv var mötet hålls, eller en länk om mötet är digitalt.")}
        )


@transaction.atomic
def meeting_create(
    *, actor: Actor, dialogue: Any = None, body: Any = None, **values: Any
) -> Meeting:
    _require(actor, dialogue=dialogue, body=body)
    _check_capacity(values.get("method"), values.get("capacity"))
    _check_where(values)
    meeting = Meeting(dialogue=dialogue, body=body, **values)
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action="meeting.created", obj=meeting)
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, actor: Actor, title: str, minutes: int, citizens_time: bool = False
) -> AgendaItem:
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
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
def agenda_publish(*, meeting: Meeting, actor: Actor) -> Meeting:
    """Publish the (draft) agenda, and with it the meeting: refused unless a third of the
    time is the citizens'."""
    _require(actor, meeting)

    def apply(meeting: Meeting) -> None:
        meeting.agenda_published_at = timezone.now()

    def record(move: Move[Meeting, Step]) -> Meeting:
        audit.record(
            actor=actor,
            action="meeting.published",
            obj=move.obj,
            changes={"citizens_share": round(agenda.check(move.obj).citizens_share, 3)},
        )
        if kallelse.is_utskott_meeting(move.obj):
            # The utskott's members are called; an agenda published again reaches them too.
            kind = kallelse.CALLED if move.obj.called_at is None else kallelse.CHANGED
            kallelse.notice_send(meeting=move.obj, actor=actor, kind=kind)
        return move.obj

    return workflow.PROCESS.take(meeting, "publish", apply=apply, record=record)


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
def question_moderate(*, question: AgendaQuestion, actor: Actor, accept: bool) -> AgendaQuestion:
    _require(actor, question.meeting)
    question.status = QuestionStatus.ACCEPTED if accept else QuestionStatus.REJECTED
    question.moderated_by = user_or_none(actor)
    question.save(update_fields=["status", "moderated_by"])
    audit.record(
        actor=actor,
        action="meeting.question_moderated",
        obj=question.meeting,
        changes={"question": question.pk, "status": question.status},
    )
    return question


# --- Changing, cancelling and holding a meeting ------------------------------------------------

EDITABLE = (
    "method",
    "title",
    "purpose",
    "starts_at",
    "ends_at",
    "place",
    "area",
    "link",
    "accessibility",
    "registration_required",
    "capacity",
    "politician",
    "official",
)


def _check_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        raise MeetingError(
            _("Mötet är %(status)s och kan inte ändras.")
            % {"status": meeting.get_status_display().lower()}
        )


def _check_agenda(meeting: Meeting) -> None:
    # A published agenda may change, but never below the citizens' third (seed 004 §7).
    if meeting.agenda_published_at is not None:
        result = agenda.check(meeting)
        if not result.ok:
            raise MeetingError(list(result.problems))


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Actor, **values: Any) -> Meeting:
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: str(getattr(meeting, name)) for name in values}
    for name, value in values.items():
        setattr(meeting, name, value)
    _check_capacity(meeting.method, meeting.capacity)
    _check_where({"place": meeting.place, "link": meeting.link})
    meeting.full_clean()
    meeting.save()
    _check_agenda(meeting)
    after = {name: str(getattr(meeting, name)) for name in values}
    audit.record(
        actor=actor,
        action="meeting.updated",
        obj=meeting,
        changes=audit.diff(before, after),
    )
    moved = any(before[name] != after[name] for name in values if name in kallelse.CALENDAR_FIELDS)
    if moved and meeting.called_at is not None and kallelse.is_utskott_meeting(meeting):
        kallelse.notice_send(meeting=meeting, actor=actor, kind=kallelse.CHANGED)
    return meeting


def _active_emails(meeting: Meeting, *statuses: str) -> list[str]:
    return list(
        meeting.registrations.filter(status__in=statuses)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: Actor, reason: str = "") -> Meeting:
    """Cancel a meeting; everyone registered or on the waiting list is told by e-mail."""
    _require(actor, meeting)

    def apply(meeting: Meeting) -> None:
        meeting.cancellation_reason = reason.strip()

    def record(move: Move[Meeting, Step]) -> Meeting:
        meeting = move.obj
        was_public = move.source == MeetingStatus.PUBLISHED
        emails = _active_emails(meeting, RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
        if was_public and emails:
            notify(
                template="meetings.cancelled",
                context={
                    "title": meeting.title,
                    "starts_at": meeting.starts_at,
                    "reason": meeting.cancellation_reason,
                    "url": meeting.get_absolute_url(),
                },
                emails=emails,
            )
        if meeting.called_at is not None and kallelse.is_utskott_meeting(meeting):
            kallelse.notice_send(meeting=meeting, actor=actor, kind=kallelse.CANCELLED)
        audit.record(
            actor=actor,
            action="meeting.cancelled",
            obj=meeting,
            changes={
                "reason": meeting.cancellation_reason,
                "told": len(emails) if was_public else 0,
            },
        )
        return meeting

    return workflow.PROCESS.take(meeting, "cancel", apply=apply, record=record)


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor: Actor) -> Meeting:
    _require(actor, meeting)

    def record(move: Move[Meeting, Step]) -> Meeting:
        audit.record(actor=actor, action="meeting.held", obj=move.obj)
        return move.obj

    return workflow.PROCESS.take(meeting, "hold", record=record)


# --- The agenda builder ------------------------------------------------------------------------


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for number, item in enumerate(items, start=1):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: Actor) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require(actor, meeting)
    _check_open(meeting)
    title = item.title
    item.delete()
    _renumber(meeting, list(meeting.agenda.all()))
    _check_agenda(meeting)
    audit.record(
        actor=actor, action="meeting.agenda_item_removed", obj=meeting, changes={"title": title}
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: Actor, up: bool) -> None:
    """Move an item one place up or down; at the top or bottom nothing changes."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require(actor, meeting)
    _check_open(meeting)
    items = list(meeting.agenda.all())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        _renumber(meeting, items)
        audit.record(
            actor=actor,
            action="meeting.agenda_item_moved",
            obj=meeting,
            changes={"title": item.title, "to": other + 1},
        )


# --- Documentation -----------------------------------------------------------------------------


def documentation_of(meeting: Meeting) -> Documentation:
    documentation, _created = Documentation.objects.get_or_create(meeting=meeting)
    return documentation


def _documentable(actor: Actor, meeting: Meeting) -> Documentation:
    _require(actor, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise MeetingError(_("Mötet dokumenteras när det är markerat som genomfört."))
    documentation = documentation_of(meeting)
    return Documentation.objects.select_for_update().get(pk=documentation.pk)


def _unapprove(documentation: Documentation) -> None:
    # What was approved is what is public: a change needs a new approval.
    if documentation.approved_at is not None:
        documentation.approved_at = None
        documentation.approved_by = None
        documentation.save(update_fields=["approved_at", "approved_by", "updated_at"])


@transaction.atomic
def documentation_update(
    *,
    meeting: Meeting,
    actor: Actor,
    notes: str,
    participants_total: int | None,
    counts: Mapping[Any, int | None],
) -> Documentation:
    """The official's notes and the participants, in total and by target group (a group
    with no count is left out)."""
    documentation = _documentable(actor, meeting)
    for group, count in counts.items():
        if count is not None and participants_total is not None and count > participants_total:
            raise MeetingError(
                _("Fler deltagare i gruppen %(group)s än totalt.") % {"group": group.name}
            )
    documentation.notes = notes.strip()
    documentation.participants_total = participants_total
    documentation.save(update_fields=["notes", "participants_total", "updated_at"])
    for group, count in counts.items():
        if count is None:
            ParticipantCount.objects.filter(meeting=meeting, target_group=group).delete()
        else:
            ParticipantCount.objects.update_or_create(
                meeting=meeting, target_group=group, defaults={"count": count}
            )
    _unapprove(documentation)
    audit.record(
        actor=actor,
        action="meeting.documentation_updated",
        obj=meeting,
        changes={"participants_total": participants_total},
    )
    return documentation


@transaction.atomic
def attachment_add(*, meeting: Meeting, actor: Actor, upload: Any, title: str) -> Attachment:
    documentation = _documentable(actor, meeting)
    if not title.strip():
        raise MeetingError({"title": _("Skriv en rubrik för bilagan.")})
    try:
        data = documents.read(upload)
        extension, content_type = documents.identify(data)
    except documents.AttachmentError as error:
        raise MeetingError({"file": str(error)}) from error
    attachment = Attachment(
        meeting=meeting,
        title=title.strip()[:200],
        extension=extension,
        content_type=content_type,
        size=len(data),
    )
    attachment.file.save(f"bilaga.{extension}", ContentFile(data), save=False)
    attachment.save()
    _unapprove(documentation)
    audit.record(
        actor=actor,
        action="meeting.attachment_added",
        obj=meeting,
        changes={"title": attachment.title, "type": content_type},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Actor) -> None:
    documentation = _documentable(actor, attachment.meeting)
    title = attachment.title
    attachment.file.delete(save=False)
    attachment.delete()
    _unapprove(documentation)
    audit.record(
        actor=actor,
        action="meeting.attachment_removed",
        obj=documentation.meeting,
        changes={"title": title},
    )


@transaction.atomic
def photo_add(*, meeting: Meeting, actor: Actor, upload: Any, alt_text: str) -> Photo:
    """A photo, checked and stripped of metadata like the feedback photos; a text for those
    who cannot see it is required."""
    documentation = _documentable(actor, meeting)
    if not alt_text.strip():
        raise MeetingError({"alt_text": _("Beskriv vad bilden visar.")})
    try:
        processed = images.process(upload)
    except images.ImageError as error:
        raise MeetingError({"image": str(error)}) from error
    photo = Photo(meeting=meeting, alt_text=alt_text.strip()[:250])
    photo.image.save("foto.jpg", processed.file, save=False)
    photo.save()
    _unapprove(documentation)
    audit.record(actor=actor, action="meeting.photo_added", obj=meeting)
    return photo


@transaction.atomic
def photo_remove(*, photo: Photo, actor: Actor) -> None:
    documentation = _documentable(actor, photo.meeting)
    photo.image.delete(save=False)
    photo.delete()
    _unapprove(documentation)
    audit.record(actor=actor, action="meeting.photo_removed", obj=documentation.meeting)


@transaction.atomic
def documentation_approve(*, meeting: Meeting, actor: Actor) -> Documentation:
    """Approve the documentation for publishing on the meeting's and the dialogue's page."""
    documentation = _documentable(actor, meeting)
    if documentation.is_approved:
        raise MeetingError(_("Dokumentationen är redan godkänd."))
    has_content = (
        documentation.notes
        or documentation.participants_total is not None
        or meeting.attachments.exists()
        or meeting.photos.exists()
    )
    if not has_content:
        raise MeetingError(_("Det finns ingen dokumentation att godkänna än."))
    documentation.approved_at = timezone.now()
    documentation.approved_by = user_or_none(actor)
    documentation.save(update_fields=["approved_at", "approved_by", "updated_at"])
    audit.record(actor=actor, action="meeting.documentation_approved", obj=meeting)
    owned = bodies.rules_for(meeting.body)
    if owned is not None and owned.on_documentation_approved is not None:
        owned.on_documentation_approved(meeting, actor)
    return documentation


# --- Feedback at the end of the meeting (seed 004 §9, point 1) --------------------------------


@transaction.atomic
def feedback_send(
    *,
    meeting: Meeting,
    actor: Actor,
    questions: str,
    notes_where: str,
    next_on: datetime.date | None,
) -> Documentation:
    """Record which questions go on and how, where the notes will be published and when the
    participants hear more, and e-mail it to those registered and the dialogue's followers.
    Sent once: the documentation row is locked, so two saves cannot both send it."""
    documentation = _documentable(actor, meeting)
    if documentation.feedback_sent_at is not None:
        raise MeetingError(_("Återkopplingen är redan skickad."))
    errors: dict[str, str] = {}
    if not questions.strip():
        errors["questions"] = _("Skriv vilka frågor som går vidare och hur.")
    if not notes_where.strip():
        errors["notes_where"] = _("Skriv var anteckningarna publiceras.")
    if next_on is None:
        errors["next_on"] = _("Skriv när deltagarna får veta mer.")
    elif next_on < timezone.localdate():
        errors["next_on"] = _("Datumet har redan varit.")
    if errors:
        raise MeetingError(errors)
    documentation.feedback_questions = questions.strip()
    documentation.feedback_notes_where = notes_where.strip()[:250]
    documentation.feedback_next_on = next_on
    documentation.feedback_sent_at = timezone.now()
    documentation.feedback_sent_by = user_or_none(actor)
    documentation.save()
    emails = _active_emails(meeting, RegistrationStatus.REGISTERED)
    notify(
        template="meetings.feedback",
        context={
            "title": meeting.title,
            "questions": documentation.feedback_questions,
            "notes_where": documentation.feedback_notes_where,
            "next_on": next_on,
            "url": meeting.get_absolute_url(),
        },
        emails=emails,
        followers_of=[meeting.dialogue] if meeting.dialogue is not None else [],
    )
    audit.record(
        actor=actor,
        action="meeting.feedback_sent",
        obj=meeting,
        changes={"registered": len(emails), "next_on": next_on.isoformat()},  # type: ignore[union-attr]
    )
    return documentation


# --- Documents forwarded to an utskott -----------------------------------------------------------


@transaction.atomic
def document_forward(
    *, meeting: Meeting, actor: Actor, upload: Any, title: str, note: str = ""
) -> ForwardedDocument:
    """Forward a document to the utskott before its meeting: stored, its type read from its
    content, and each member told by e-mail with a link to it."""
    _require(actor, meeting)
    if not kallelse.is_utskott_meeting(meeting):
        raise MeetingError(_("Handlingar skickas bara till ett utskotts möten."))
    _check_open(meeting)
    if not title.strip():
        raise MeetingError({"title": _("Skriv en rubrik för handlingen.")})
    try:
        data = documents.read(upload)
        extension, content_type = documents.identify(data)
    except documents.AttachmentError as error:
        raise MeetingError({"file": str(error)}) from error
    document = ForwardedDocument(
        meeting=meeting,
        title=title.strip()[:200],
        note=note.strip(),
        extension=extension,
        content_type=content_type,
        size=len(data),
        forwarded_by=user_or_none(actor),
    )
    document.file.save(f"handling.{extension}", ContentFile(data), save=False)
    document.save()
    kallelse.document_notice(document=document, actor=actor)
    return document
