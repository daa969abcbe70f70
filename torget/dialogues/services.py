"""Writes of medborgardialoger. Status changes go through `dialogue_step` (workflow.py);
everything else a staff page, the admin or a command changes goes through the services here,
which check permissions, record an audit entry, and notify through the outbox."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from torget.accounts.models import normalize_email
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.dialogues import workflow
from torget.dialogues.models import (
    PLAN_PUBLIC,
    Dialogue,
    DialogueDate,
    Event,
    InitiativeKind,
    Method,
    PlannedMethod,
    PlannedTargetGroup,
    Status,
    TargetGroup,
)
from torget.notifications.services import notify
from torget.organisation.selectors import municipality_get

# What staff may still edit in each status: nothing of the plan once it is approved (a new
# decision would be needed), the dates and the results later on.
PLAN_FIELDS = (
    "title",
    "summary",
    "question",
    "open_to_influence",
    "earlier_decisions",
    "ladder_step",
    "how_to_take_part",
    "communication_plan",
    "documentation_plan",
    "feedback_plan",
    "evaluation_plan",
    "starts_on",
    "ends_on",
    "decision_expected_on",
)
INITIATIVE_FIELDS = (
    "title",
    "summary",
    "initiating_body",
    "administration",
    "director_proposal",
    "plan_year",
    "plan_priority",
    "special_weight",
)
EDITABLE: dict[str, tuple[str, ...]] = {
    Status.INITIATIVE: INITIATIVE_FIELDS + ("question",),
    Status.DECIDED: PLAN_FIELDS + ("plan_year", "plan_priority", "special_weight"),
    Status.PLANNING: PLAN_FIELDS + ("plan_year", "plan_priority", "special_weight"),
    Status.PLAN_APPROVED: ("how_to_take_part", "ends_on"),
    Status.OPEN: ("how_to_take_part", "ends_on"),
    Status.COMPILING: ("results_summary",),
}


class DialogueError(ValidationError):
    pass


def _require_manager(actor: Actor, dialogue: Dialogue | None = None) -> None:
    allowed = workflow.is_administrator(actor, dialogue) or (
        dialogue is not None
        and (workflow.is_process_leader(actor, dialogue) or workflow.is_presidium(actor, dialogue))
    )
    if not (allowed or workflow.manages_dialogues(actor, dialogue)):
        raise PermissionDenied


def _context(dialogue: Dialogue) -> dict[str, Any]:
    return {
        "title": dialogue.title,
        "url": dialogue.get_absolute_url(),
        "status": Status(dialogue.status).label,
        "municipality_name": municipality_get().name,
    }


# --- Initiatives -----------------------------------------------------------------------------


@transaction.atomic
def dialogue_initiate(
    *,
    actor: Actor,
    title: str,
    summary: str,
    initiative_kind: str,
    initiating_body: Any = None,
    administration: Any = None,
    plan_year: int | None = None,
    plan_priority: int | None = None,
    special_weight: bool = False,
    areas: Any = (),
    topics: Any = (),
) -> Dialogue:
    """A political initiative (from a presidium) or an officials' one (a förvaltning's annual
    plan), registered by staff."""
    _require_manager(actor)
    if initiative_kind == InitiativeKind.POLITICAL and initiating_body is None:
        raise DialogueError({"initiating_body": _("Ange vilket organ initiativet kommer från.")})
    if initiative_kind == InitiativeKind.OFFICIALS and administration is None:
        raise DialogueError(
            {"administration": _("Ange förvaltningen vars verksamhetsplan det gäller.")}
        )
    dialogue = Dialogue(
        title=title.strip(),
        summary=summary.strip(),
        initiative_kind=initiative_kind,
        initiating_body=initiating_body,
        administration=administration,
        plan_year=plan_year,
        plan_priority=plan_priority,
        special_weight=special_weight,
        created_by=user_or_none(actor),
    )
    dialogue.full_clean()
    dialogue.save()
    dialogue.areas.set(areas)
    dialogue.topics.set(topics)
    Event.objects.create(
        dialogue=dialogue,
        step="initiate",
        status=Status.INITIATIVE,
        actor=user_or_none(actor),
        is_public=False,
    )
    audit.record(
        actor=actor, action="dialogue.initiated", obj=dialogue, changes={"kind": initiative_kind}
    )
    return dialogue


@transaction.atomic
def dialogue_request(
    *,
    title: str,
    summary: str,
    requester_name: str,
    requester_email: str,
    requested_by: Any = None,
    areas: Any = (),
) -> Dialogue:
    """ "Föreslå en medborgardialog": anyone may request one; KS presidium decides after the
    municipal director's proposal, and the requester is told the outcome (004 §2)."""
    errors: dict[str, str] = {}
    email = normalize_email(requester_email) if requester_email.strip() else ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["requester_email"] = _("Skriv en giltig e-postadress.")
    else:
        errors["requester_email"] = _(
            "Skriv din e-postadress, så att vi kan berätta vad som händer."
        )
    if not title.strip():
        errors["title"] = _("Skriv vad dialogen ska handla om.")
    if not summary.strip():
        errors["summary"] = _("Beskriv frågan och varför invånarna behöver vara med.")
    if errors:
        raise DialogueError(errors)
    dialogue = Dialogue(
        title=title.strip()[:200],
        summary=summary.strip()[:2000],
        initiative_kind=InitiativeKind.CITIZEN,
        requester_name=requester_name.strip()[:120],
        requester_email=email,
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
    )
    dialogue.full_clean()
    dialogue.save()
    dialogue.areas.set(areas)
    Event.objects.create(
        dialogue=dialogue, step="request", status=Status.INITIATIVE, is_public=False
    )
    audit.record(
        actor=requested_by,
        actor_label="" if dialogue.requested_by else "medborgare",
        action="dialogue.requested",
        obj=dialogue,
    )
    notify(template="dialogues.request_received", context=_context(dialogue), emails=[email])
    return dialogue


# --- Editing ---------------------------------------------------------------------------------


@transaction.atomic
def dialogue_update(*, dialogue: Dialogue, actor: Actor, **values: Any) -> Dialogue:
    """Edit what may be edited in the dialogue's current status (see EDITABLE)."""
    _require_manager(actor, dialogue)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    allowed = set(EDITABLE.get(dialogue.status, ()))
    areas = values.pop("areas", None)
    topics = values.pop("topics", None)
    refused = set(values) - allowed
    if refused or ((areas is not None or topics is not None) and dialogue.status in PLAN_PUBLIC):
        raise DialogueError(
            _("Det går inte att ändra det här när dialogen har status ”%(status)s”.")
            % {"status": Status(dialogue.status).label}
        )
    before = {name: getattr(dialogue, name) for name in values}
    for name, value in values.items():
        setattr(dialogue, name, value)
    dialogue.full_clean()
    dialogue.save()
    if areas is not None:
        dialogue.areas.set(areas)
    if topics is not None:
        dialogue.topics.set(topics)
    audit.record(
        actor=actor,
        action="dialogue.updated",
        obj=dialogue,
        changes=audit.diff(
            {k: str(v) for k, v in before.items()}, {k: str(getattr(dialogue, k)) for k in values}
        ),
    )
    return dialogue


def _require_planning(dialogue: Dialogue) -> None:
    if dialogue.status not in (Status.DECIDED, Status.PLANNING):
        raise DialogueError(_("Planen kan bara ändras innan den är godkänd."))


@transaction.atomic
def target_group_add(
    *,
    dialogue: Dialogue,
    actor: Actor,
    effort: str,
    group: TargetGroup | None = None,
    other: str = "",
) -> PlannedTargetGroup:
    _require_manager(actor, dialogue)
    _require_planning(dialogue)
    if (group is None) == (not other.strip()):
        raise DialogueError({"group": _("Välj en målgrupp i listan eller skriv en egen.")})
    if not effort.strip():
        raise DialogueError({"effort": _("Beskriv insatsen för målgruppen.")})
    if group is not None and dialogue.target_groups.filter(group=group).exists():
        raise DialogueError({"group": _("Målgruppen finns redan i planen.")})
    planned = PlannedTargetGroup.objects.create(
        dialogue=dialogue, group=group, other=other.strip(), effort=effort.strip()
    )
    audit.record(
        actor=actor,
        action="dialogue.target_group_added",
        obj=dialogue,
        changes={"group": str(planned)},
    )
    return planned


@transaction.atomic
def target_group_remove(*, planned: PlannedTargetGroup, actor: Actor) -> None:
    _require_manager(actor, planned.dialogue)
    _require_planning(planned.dialogue)
    audit.record(
        actor=actor,
        action="dialogue.target_group_removed",
        obj=planned.dialogue,
        changes={"group": str(planned)},
    )
    planned.delete()


@transaction.atomic
def method_add(
    *,
    dialogue: Dialogue,
    actor: Actor,
    method: Method,
    order: int | None = None,
    starts_on: Any = None,
    ends_on: Any = None,
    note: str = "",
) -> PlannedMethod:
    _require_manager(actor, dialogue)
    _require_planning(dialogue)
    if starts_on and ends_on and ends_on < starts_on:
        raise DialogueError({"ends_on": _("Slutdatum kan inte vara före startdatum.")})
    if order is None:
        order = (
            dialogue.methods.order_by("-order").values_list("order", flat=True).first() or 0
        ) + 1
    planned = PlannedMethod.objects.create(
        dialogue=dialogue,
        method=method,
        order=order,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
    )
    audit.record(
        actor=actor,
        action="dialogue.method_added",
        obj=dialogue,
        changes={"method": method.name, "order": order},
    )
    return planned


@transaction.atomic
def method_remove(*, planned: PlannedMethod, actor: Actor) -> None:
    _require_manager(actor, planned.dialogue)
    _require_planning(planned.dialogue)
    audit.record(
        actor=actor,
        action="dialogue.method_removed",
        obj=planned.dialogue,
        changes={"method": str(planned)},
    )
    planned.delete()


@transaction.atomic
def date_add(
    *,
    dialogue: Dialogue,
    actor: Actor,
    title: str,
    starts_at: Any,
    ends_at: Any = None,
    place: str = "",
    area: Any = None,
    description: str = "",
) -> DialogueDate:
    _require_manager(actor, dialogue)
    if dialogue.status in (Status.DECLINED, Status.CANCELLED, Status.CLOSED):
        raise DialogueError(_("Dialogen är avslutad."))
    date = DialogueDate(
        dialogue=dialogue,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        area=area,
        description=description.strip(),
    )
    date.full_clean()
    date.save()
    audit.record(
        actor=actor, action="dialogue.date_added", obj=dialogue, changes={"title": date.title}
    )
    return date


@transaction.atomic
def date_remove(*, date: DialogueDate, actor: Actor) -> None:
    _require_manager(actor, date.dialogue)
    audit.record(
        actor=actor,
        action="dialogue.date_removed",
        obj=date.dialogue,
        changes={"title": date.title},
    )
    date.delete()


# --- Steps -----------------------------------------------------------------------------------


@transaction.atomic
def dialogue_step(
    *,
    dialogue: Dialogue,
    step: str,
    actor: Actor,
    text: str = "",
    happened_on: datetime.date | None = None,
    **values: Any,
) -> Dialogue:
    """Take a step of the process (workflow.STEPS) and tell whoever should hear of it.
    `happened_on` is the date the public history shows (today if not given)."""
    workflow.transition(dialogue, step, actor=actor, text=text, on=happened_on, **values)
    spec = workflow.STEPS[step]
    if (
        dialogue.initiative_kind == InitiativeKind.CITIZEN
        and step in ("decide", "decline")
        and dialogue.requester_email
    ):
        notify(
            template="dialogues.request_outcome",
            context=_context(dialogue)
            | {"decided": step == "decide", "reason": dialogue.end_reason},
            emails=[dialogue.requester_email],
        )
    if spec.notify:
        notify(
            template=spec.notify,
            context=_context(dialogue)
            | {"text": text.strip() or dialogue.feedback_text, "reason": dialogue.end_reason},
            followers_of=[dialogue],
        )
    return dialogue
