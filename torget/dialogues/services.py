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
    Consultation,
    Dialogue,
    DialogueDate,
    DialogueKind,
    Event,
    FocusGroupKind,
    InitiativeKind,
    Method,
    MethodDecision,
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


# A brukardialog is outside the political ladder (seed 001): no ladder step to edit.
NOT_FOR_SERVICE_DIALOGUES = frozenset({"ladder_step", "initiating_body"})


def editable(dialogue: Dialogue) -> tuple[str, ...]:
    names = EDITABLE.get(dialogue.status, ())
    if dialogue.is_service_dialogue:
        names = tuple(n for n in names if n not in NOT_FOR_SERVICE_DIALOGUES)
    return names


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
    kind: str = DialogueKind.CITIZEN_DIALOGUE,
) -> Dialogue:
    """A political initiative (from a presidium) or an officials' one (a förvaltning's annual
    plan), registered by staff; or a brukardialog, which officials run themselves."""
    _require_manager(actor)
    if kind == DialogueKind.SERVICE_DIALOGUE:
        # seed 001: run by officials to improve a service, not on the political ladder.
        initiative_kind, initiating_body = InitiativeKind.OFFICIALS, None
    if initiative_kind == InitiativeKind.POLITICAL and initiating_body is None:
        raise DialogueError({"initiating_body": _("Ange vilket organ initiativet kommer från.")})
    if initiative_kind == InitiativeKind.OFFICIALS and administration is None:
        raise DialogueError(
            {"administration": _("Ange förvaltningen vars verksamhetsplan det gäller.")}
        )
    dialogue = Dialogue(
        title=title.strip(),
        summary=summary.strip(),
        kind=kind,
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
        actor=actor,
        action="dialogue.initiated",
        obj=dialogue,
        changes={"kind": initiative_kind, "dialogue_kind": kind},
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


# --- Before KS presidium decides (004 §2) ----------------------------------------------------


def _require_undecided(dialogue: Dialogue) -> None:
    if dialogue.status != Status.INITIATIVE:
        raise DialogueError(_("Det här registreras innan beslutet om dialogen."))


@transaction.atomic
def director_proposal_record(
    *, dialogue: Dialogue, actor: Actor, proposed_on: Any, text: str = "", reference: str = ""
) -> Dialogue:
    """The kommundirektör's proposal to KS presidium (a citizen's or the officials'
    initiative): its date, and its text or the document's reference."""
    _require_manager(actor, dialogue)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    _require_undecided(dialogue)
    if not dialogue.decided_by_ks:
        raise DialogueError(
            _(
                "Kommundirektörens förslag hör till medborgarinitiativ och tjänstepersoners initiativ."
            )
        )
    errors: dict[str, str] = {}
    if proposed_on is None:
        errors["proposed_on"] = _("Ange förslagets datum.")
    if not (text.strip() or reference.strip()):
        errors["text"] = _("Skriv förslaget eller ange dokumentet med förslaget.")
    if errors:
        raise DialogueError(errors)
    before = {
        "director_proposal_on": str(dialogue.director_proposal_on or ""),
        "director_proposal": dialogue.director_proposal,
        "director_proposal_reference": dialogue.director_proposal_reference,
    }
    dialogue.director_proposal_on = proposed_on
    dialogue.director_proposal = text.strip()
    dialogue.director_proposal_reference = reference.strip()
    dialogue.full_clean()
    dialogue.save()
    audit.record(
        actor=actor,
        action="dialogue.director_proposal_recorded",
        obj=dialogue,
        changes=audit.diff(
            before,
            {
                "director_proposal_on": str(dialogue.director_proposal_on),
                "director_proposal": dialogue.director_proposal,
                "director_proposal_reference": dialogue.director_proposal_reference,
            },
        ),
    )
    return dialogue


@transaction.atomic
def consultation_add(
    *, dialogue: Dialogue, actor: Actor, body: Any, held_on: Any, outcome: str
) -> Consultation:
    """The dialogue KS presidium holds with the presidium concerned before it decides on a
    citizen's initiative."""
    _require_manager(actor, dialogue)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    _require_undecided(dialogue)
    if dialogue.initiative_kind != InitiativeKind.CITIZEN:
        raise DialogueError(_("Samråd med berört presidium hör till medborgarinitiativ."))
    consultation = Consultation(
        dialogue=dialogue,
        body=body,
        held_on=held_on,
        outcome=outcome.strip(),
        recorded_by=user_or_none(actor),
    )
    consultation.full_clean()
    consultation.save()
    audit.record(
        actor=actor,
        action="dialogue.consultation_recorded",
        obj=dialogue,
        changes={
            "body": str(body),
            "held_on": str(held_on),
            "outcome": consultation.outcome,
        },
    )
    return consultation


# --- Editing ---------------------------------------------------------------------------------


@transaction.atomic
def dialogue_update(*, dialogue: Dialogue, actor: Actor, **values: Any) -> Dialogue:
    """Edit what may be edited in the dialogue's current status (see EDITABLE)."""
    _require_manager(actor, dialogue)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    allowed = set(editable(dialogue))
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
def method_decision_record(
    *,
    planned: PlannedMethod,
    actor: Actor,
    decided_on: Any,
    decision_reference: str = "",
    focus_group_kind: str = "",
    selection_rules: str = "",
    staff_chosen_by: str = "",
    staff_members: str = "",
) -> PlannedMethod:
    """Who decided on a method in the plan (004 §5), as the method's `decision` asks: a focus
    group's kind and rules for selection; the presidium's decision on social lighthouses and
    the staff the förvaltning head chose."""
    _require_manager(actor, planned.dialogue)
    _require_planning(planned.dialogue)
    decision = planned.method.decision
    errors: dict[str, str] = {}
    if decision == MethodDecision.FOCUS_GROUP:
        if focus_group_kind not in FocusGroupKind.values:
            errors["focus_group_kind"] = _(
                "Ange om det är en stående fokusgrupp (kommunstyrelsen beslutar) eller en "
                "fokusgrupp för en fråga (kommundirektören beslutar)."
            )
        if not selection_rules.strip():
            errors["selection_rules"] = _("Skriv reglerna för urval till fokusgruppen.")
        staff_chosen_by = staff_members = ""
    elif decision == MethodDecision.LIGHTHOUSES:
        if not staff_chosen_by.strip():
            errors["staff_chosen_by"] = _("Ange förvaltningschefen som valde ut medarbetarna.")
        if not staff_members.strip():
            errors["staff_members"] = _("Ange de utvalda medarbetarna.")
        focus_group_kind = selection_rules = ""
    else:
        raise DialogueError(_("Metoden behöver inget särskilt beslut."))
    if decided_on is None:
        errors["decided_on"] = _("Ange beslutsdatum.")
    if errors:
        raise DialogueError(errors)
    fields = {
        "focus_group_kind": focus_group_kind,
        "decided_on": decided_on,
        "decision_reference": decision_reference.strip(),
        "selection_rules": selection_rules.strip(),
        "staff_chosen_by": staff_chosen_by.strip(),
        "staff_members": staff_members.strip(),
    }
    before = {name: str(getattr(planned, name) or "") for name in fields}
    for name, value in fields.items():
        setattr(planned, name, value)
    planned.full_clean()
    planned.save()
    audit.record(
        actor=actor,
        action="dialogue.method_decision_recorded",
        obj=planned.dialogue,
        changes={"method": planned.method.name, "decided_by": planned.decided_by()}
        | audit.diff(before, {name: str(value or "") for name, value in fields.items()}),
    )
    return planned


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
    spec = workflow.steps_for(dialogue)[step]
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
