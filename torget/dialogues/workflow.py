"""The dialogue's process, in one table: which step follows which, who may take it, and
what must be in place first. Every path (staff pages, admin, shell) goes through
`transition()`, which runs the table with the toolbox's `core.workflow` (row locked, guards,
history and audit in the same transaction); a step that breaks a rule is refused with the
rule's own message.

seed 001: the decision (with budget and steering group) comes before planning; the plan says
how and when participants get feedback. seed 004 §5: at least one information-step method is
always used first; a focus group's rules for selection and the use of social lighthouses are
decided before the plan is approved. seed 004 §2/§4: the presidium of the responsible body
decides and appoints the political process leader: the initiating presidium for a political
initiative; KS presidium, on the kommundirektör's proposal, for a citizen's initiative (after a
dialogue with the presidium concerned) and for the officials' initiative.

A brukardialog or kunddialog (seed 001) is run by officials to improve a service, outside the
political ladder: it has its own, simpler table (`SERVICE_PROCESS`, no presidium decision),
chosen by the dialogue's `kind` code in `process_for()`.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import workflow
from torget.dialogues.models import Dialogue, Event, InitiativeKind, Status
from torget.dialogues.permissions import (
    is_administrator,
    is_presidium,
    is_process_leader,
    manages_dialogues,
)
from torget.organisation.models import BodyKind

# Returns the broken rule's message (or messages), or None.
Rule = Callable[[Dialogue], str | Sequence[str] | None]


# --- Rules ---------------------------------------------------------------------------------


def _filled(*fields: str, message: Any) -> Rule:
    def rule(dialogue: Dialogue) -> str | None:
        missing = [f for f in fields if getattr(dialogue, f) in (None, "")]
        if missing:
            names = ", ".join(
                str(getattr(Dialogue._meta.get_field(f), "verbose_name", f)) for f in missing
            )
            return str(message) + " " + str(_("Saknas: %(fields)s.") % {"fields": names})
        return None

    return rule


def has_target_groups(dialogue: Dialogue) -> str | None:
    if not dialogue.target_groups.exists():
        return str(_("Planen behöver minst en målgrupp, med den insats ni planerar för den."))
    return None


def information_first(dialogue: Dialogue) -> str | None:
    methods = list(dialogue.methods.select_related("method").order_by("order", "id"))
    if not methods:
        return str(_("Planen behöver minst en metod."))
    # DOMAIN §3: the method's own flag decides, so renaming or re-stepping it changes nothing.
    if not methods[0].method.is_information:
        return str(
            _(
                "Minst en metod från informationssteget ska alltid användas först, även när "
                "en högre grad av inflytande är beslutad. Lägg en informationsmetod "
                "först i planen."
            )
        )
    return None


def dates_in_order(dialogue: Dialogue) -> str | None:
    if (
        dialogue.starts_on
        and dialogue.decision_expected_on
        and (dialogue.decision_expected_on < dialogue.starts_on)
    ):
        return str(_("Beslutet kan inte väntas innan dialogen börjar."))
    return None


def method_decisions_recorded(dialogue: Dialogue) -> Sequence[str] | None:
    """004 §5: KS decides a standing focus group and its rules for selection, the
    kommundirektör the rules for a focus group on one question; the responsible presidium
    decides to use social lighthouses and the förvaltning head picks the staff. The method's
    `decision` field says which applies, so renaming the method changes nothing."""
    from torget.dialogues.models import MethodDecision

    problems = []
    for planned in dialogue.methods.select_related("method").order_by("order", "id"):
        if planned.decision_recorded:
            continue
        if planned.method.decision == MethodDecision.FOCUS_GROUP:
            problems.append(
                str(
                    _(
                        "Metoden ”%(method)s” behöver beslut om regler för urval: "
                        "kommunstyrelsen beslutar om en stående fokusgrupp och dess regler för "
                        "urval, kommundirektören om regler för urval till en fokusgrupp för en "
                        "fråga. Registrera vem som beslutade, när och reglerna."
                    )
                    % {"method": planned.method.name}
                )
            )
        elif planned.method.decision == MethodDecision.LIGHTHOUSES:
            problems.append(
                str(
                    _(
                        "Metoden ”%(method)s” behöver ansvarigt presidiums beslut om att använda "
                        "den och vilka medarbetare förvaltningschefen har valt ut. Registrera "
                        "båda."
                    )
                    % {"method": planned.method.name}
                )
            )
    return problems or None


# --- Who decides (004 §2) --------------------------------------------------------------------


def decided_by_the_right_presidium(dialogue: Dialogue) -> str | None:
    """A political initiative is decided by the presidium that took it; a citizen's and the
    officials' initiative by KS presidium (DOMAIN §3)."""
    body = dialogue.deciding_body
    if body is None:
        return None  # DECISION_RULE names the missing body
    if dialogue.decided_by_ks:
        if body.kind != BodyKind.EXECUTIVE:
            return str(
                _(
                    "Kommunstyrelsens presidium beslutar om medborgarinitiativ och "
                    "tjänstepersoners initiativ, på kommundirektörens förslag. Välj "
                    "kommunstyrelsen som beslutande organ."
                )
            )
    elif dialogue.initiating_body_id and body.pk != dialogue.initiating_body_id:
        return str(
            _("Ett politiskt initiativ beslutas av presidiet som tog initiativet (%(body)s).")
            % {"body": dialogue.initiating_body.name}  # type: ignore[union-attr]
        )
    return None


def director_proposal_recorded(dialogue: Dialogue) -> str | None:
    if dialogue.decided_by_ks and not (
        dialogue.director_proposal_on
        and (dialogue.director_proposal.strip() or dialogue.director_proposal_reference.strip())
    ):
        return str(
            _(
                "KS presidium beslutar på kommundirektörens förslag. Registrera förslaget, med "
                "datum och text eller dokument, innan beslutet registreras."
            )
        )
    return None


def consultation_recorded(dialogue: Dialogue) -> str | None:
    if (
        dialogue.decided_by_ks
        and dialogue.initiative_kind == InitiativeKind.CITIZEN
        and not dialogue.consultations.exists()
    ):
        return str(
            _(
                "KS presidium beslutar om ett medborgarinitiativ efter dialog med berört "
                "presidium. Registrera samrådet (vilket presidium, datum och utfall) innan "
                "beslutet registreras."
            )
        )
    return None


# What must be recorded elsewhere on the page before the decision (the dialogue's checklist).
BEFORE_DECISION: tuple[Rule, ...] = (director_proposal_recorded, consultation_recorded)
WHO_DECIDES: tuple[Rule, ...] = (decided_by_the_right_presidium, *BEFORE_DECISION)


DECISION_RULE = _filled(
    "deciding_body",
    "decided_on",
    "decision_reference",
    "budget",
    "steering_group",
    "process_leader_id",
    "supporting_official_id",
    message=_(
        "Beslutet ska ange beslutande organ, datum, diarienummer, budget och styrgrupp, "
        "och utse politisk processledare och ansvarig tjänsteperson."
    ),
)
PLAN_RULES: list[Rule] = [
    _filled(
        "question",
        "open_to_influence",
        "ladder_step",
        message=_("Planen ska beskriva frågan, vad som går att påverka och delaktighetssteget."),
    ),
    _filled(
        "communication_plan",
        "documentation_plan",
        "feedback_plan",
        "evaluation_plan",
        message=_(
            "Kommunikations-, dokumentations-, återkopplings- och utvärderingsplan ska finnas "
            "innan planen godkänns; återkopplingsplanen säger hur och när deltagarna får "
            "återkoppling."
        ),
    ),
    _filled(
        "starts_on",
        "decision_expected_on",
        message=_("Tidsplanen ska ange när dialogen börjar och när beslut väntas."),
    ),
    has_target_groups,
    information_first,
    dates_in_order,
    method_decisions_recorded,
]


@dataclass(frozen=True, kw_only=True)
class Step(workflow.Step):
    who: tuple[Callable[[Any, Dialogue], bool], ...]
    who_label: Any
    # Fields the step itself fills in (from its form), checked by the guards after they are set.
    fields: tuple[str, ...] = ()
    notify: str = ""  # notification template for followers, if any


CANCELLABLE = frozenset(
    {Status.DECIDED, Status.PLANNING, Status.PLAN_APPROVED, Status.OPEN, Status.COMPILING}
)
POLITICAL = (is_presidium, is_administrator)
OFFICIAL = (manages_dialogues, is_process_leader, is_administrator)


def _refused(dialogue: Dialogue, step: Step) -> str:
    return str(
        _("Dialogen har status ”%(status)s” och kan inte gå vidare med ”%(step)s”.")
        % {"status": Status(dialogue.status).label, "step": step.label}
    )


class TransitionRefused(workflow.WorkflowError):
    pass


def _steps_from_open(
    *,
    opens_from: Status,
    ready: tuple[Rule, ...],
    led_by: Any,
    record: str,
    label: Any,
    recorded: Any,
) -> list[Step]:
    """From opening the dialogue to closing it, the same in both tables but for where it opens
    from and the rules it must meet then (`ready`), who the table says opens and closes it
    (`led_by`), and the step that records what came of it (`record`: the decision in the
    matter; a brukardialog's improvements). Made anew for each table, so a rule a later part
    adds to a step of one table (`register_rule`) stays out of the other's."""
    return [
        Step(
            name="open",
            sources=frozenset({opens_from}),
            target=Status.OPEN,
            label=_("Öppna dialogen"),
            who=OFFICIAL,
            who_label=led_by,
            guards=ready,
            notify="dialogues.opened",
        ),
        Step(
            name="compile",
            sources=frozenset({Status.OPEN}),
            target=Status.COMPILING,
            label=_("Avsluta deltagandet och sammanställ resultat"),
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson"),
        ),
        Step(
            name=record,
            sources=frozenset({Status.COMPILING}),
            target=Status.DECISION_MADE,
            label=label,
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson"),
            guards=(
                _filled(
                    "results_summary", "outcome_decision", "outcome_decided_on", message=recorded
                ),
            ),
            fields=(
                "results_summary",
                "outcome_decision",
                "outcome_decided_on",
                "outcome_reference",
            ),
            notify="dialogues.decision",
        ),
        Step(
            name="give_feedback",
            sources=frozenset({Status.DECISION_MADE}),
            target=Status.FEEDBACK_GIVEN,
            label=_("Ge återkoppling till deltagarna"),
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson"),
            guards=(_filled("feedback_text", message=_("Skriv återkopplingen till deltagarna.")),),
            fields=("feedback_text",),
            notify="dialogues.feedback",
        ),
        Step(
            name="evaluate",
            sources=frozenset({Status.FEEDBACK_GIVEN}),
            target=Status.EVALUATED,
            label=_("Registrera utvärderingen"),
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson"),
            guards=(_filled("evaluation", message=_("Skriv utvärderingen.")),),
            fields=("evaluation",),
        ),
        Step(
            name="close",
            sources=frozenset({Status.EVALUATED}),
            target=Status.CLOSED,
            label=_("Avsluta dialogen"),
            who=OFFICIAL,
            who_label=led_by,
        ),
    ]


def _cancel_step(
    *, sources: frozenset[str], who: tuple[Callable[[Any, Dialogue], bool], ...], who_label: Any
) -> Step:
    return Step(
        name="cancel",
        sources=sources,
        target=Status.CANCELLED,
        label=_("Ställ in dialogen"),
        who=who,
        who_label=who_label,
        guards=(_filled("end_reason", message=_("Ange varför dialogen ställs in.")),),
        fields=("end_reason",),
        notify="dialogues.cancelled",
    )


def _save(dialogue: Dialogue) -> None:
    # Dialogue.save() refuses a status change made anywhere else (admin, shell).
    dialogue._workflow_step = True  # type: ignore[attr-defined]
    try:
        dialogue.save()
    finally:
        dialogue._workflow_step = False  # type: ignore[attr-defined]


PROCESS: workflow.Workflow[Dialogue, Step] = workflow.Workflow(
    model=Dialogue,
    refused=_refused,
    error=TransitionRefused,
    save=_save,
    steps=[
        Step(
            name="decide",
            sources=frozenset({Status.INITIATIVE}),
            target=Status.DECIDED,
            label=_("Besluta om dialog"),
            who=POLITICAL,
            who_label=_(
                "presidiet i ansvarigt organ (KS presidium för medborgarinitiativ och "
                "tjänstepersoners initiativ)"
            ),
            guards=(DECISION_RULE, *WHO_DECIDES),
            fields=(
                "deciding_body",
                "decided_on",
                "decision_reference",
                "budget",
                "steering_group",
                "process_leader",
                "supporting_official",
            ),
        ),
        Step(
            name="decline",
            sources=frozenset({Status.INITIATIVE}),
            target=Status.DECLINED,
            label=_("Avslå initiativet"),
            who=POLITICAL,
            who_label=_("presidiet i ansvarigt organ"),
            guards=(_filled("end_reason", message=_("Ange skälet till avslaget.")),),
            fields=("end_reason",),
        ),
        Step(
            name="start_planning",
            sources=frozenset({Status.DECIDED}),
            target=Status.PLANNING,
            label=_("Börja planera"),
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson eller politisk processledare"),
            guards=(DECISION_RULE,),
        ),
        Step(
            name="approve_plan",
            sources=frozenset({Status.PLANNING}),
            target=Status.PLAN_APPROVED,
            label=_("Godkänn planen"),
            who=(is_presidium, is_process_leader, is_administrator),
            who_label=_("politisk processledare eller presidiet"),
            guards=tuple(PLAN_RULES),
            notify="dialogues.planned",
        ),
        *_steps_from_open(
            opens_from=Status.PLAN_APPROVED,
            ready=tuple(PLAN_RULES),
            led_by=_("ansvarig tjänsteperson eller politisk processledare"),
            record="record_decision",
            label=_("Registrera beslutet i frågan"),
            recorded=_(
                "Resultaten ska vara sammanställda och beslutet i frågan registrerat "
                "(resultaten går in i beslutet, som fattas av det valda organet)."
            ),
        ),
        _cancel_step(
            sources=CANCELLABLE,
            who=(is_presidium, is_process_leader, is_administrator),
            who_label=_("politisk processledare eller presidiet"),
        ),
    ],
)
STEPS: dict[str, Step] = PROCESS.steps


# Steps whose own date field says when the thing was decided; every other step is dated by
# the `happened_on` staff enter with it (today unless they say otherwise).
DATED_BY: dict[str, str] = {
    "decide": "decided_on",
    "record_decision": "outcome_decided_on",
    "record_improvements": "outcome_decided_on",
}


def happened_on(step_name: str, dialogue: Dialogue, entered: datetime.date | None) -> datetime.date:
    """The date the history shows for a step: as decided or as entered, not when recorded."""
    own = DATED_BY.get(step_name)
    if own and getattr(dialogue, own):
        return getattr(dialogue, own)  # type: ignore[no-any-return]
    return entered or timezone.localdate()


# --- Brukardialog / kunddialog (seed 001) -----------------------------------------------------

RUN_BY_OFFICIALS = (manages_dialogues, is_administrator)
SERVICE_PLAN_RULES: list[Rule] = [
    _filled(
        "question",
        "how_to_take_part",
        "feedback_plan",
        "starts_on",
        message=_(
            "Innan brukardialogen öppnas ska den beskriva frågan, hur brukarna deltar, hur och "
            "när de får återkoppling och när dialogen börjar."
        ),
    ),
    dates_in_order,
    method_decisions_recorded,
]

SERVICE_PROCESS: workflow.Workflow[Dialogue, Step] = workflow.Workflow(
    model=Dialogue,
    refused=_refused,
    error=TransitionRefused,
    save=_save,
    steps=[
        Step(
            name="start",
            sources=frozenset({Status.INITIATIVE}),
            target=Status.PLANNING,
            label=_("Starta brukardialogen"),
            who=RUN_BY_OFFICIALS,
            who_label=_("tjänsteperson som planerar och driver dialoger"),
            guards=(
                _filled(
                    "supporting_official_id",
                    message=_(
                        "En brukardialog leds av tjänstepersoner, utan beslut i ett presidium. "
                        "Ange ansvarig tjänsteperson."
                    ),
                ),
            ),
            fields=("supporting_official",),
        ),
        Step(
            name="decline",
            sources=frozenset({Status.INITIATIVE}),
            target=Status.DECLINED,
            label=_("Avstå från brukardialogen"),
            who=RUN_BY_OFFICIALS,
            who_label=_("tjänsteperson som planerar och driver dialoger"),
            guards=(_filled("end_reason", message=_("Ange skälet.")),),
            fields=("end_reason",),
        ),
        *_steps_from_open(
            opens_from=Status.PLANNING,
            ready=tuple(SERVICE_PLAN_RULES),
            led_by=_("ansvarig tjänsteperson"),
            record="record_improvements",
            label=_("Registrera förbättringarna i verksamheten"),
            recorded=_(
                "Resultaten ska vara sammanställda och det verksamheten ändrar "
                "registrerat, med datum."
            ),
        ),
        _cancel_step(
            sources=frozenset({Status.PLANNING, Status.OPEN, Status.COMPILING}),
            who=OFFICIAL,
            who_label=_("ansvarig tjänsteperson"),
        ),
    ],
)
# Every step of both tables by name, for labels (a name both tables use means the same).
ALL_STEPS: dict[str, Step] = SERVICE_PROCESS.steps | PROCESS.steps


def process_for(dialogue: Dialogue) -> workflow.Workflow[Dialogue, Step]:
    """The table for this dialogue, by its kind's code."""
    return SERVICE_PROCESS if dialogue.is_service_dialogue else PROCESS


def steps_for(dialogue: Dialogue) -> dict[str, Step]:
    return process_for(dialogue).steps


def register_rule(step_name: str, rule: Rule) -> None:
    """Later parts add preconditions here (results: the summary of results is sent before
    feedback, the decision proposal before the decision is registered), so the rule still
    lives in one place. They belong to the political process; a brukardialog's table has its
    own rules."""
    PROCESS.add_guard(step_name, rule)


def may_take(step: Step, user: Actor, dialogue: Dialogue) -> bool:
    return any(check(user, dialogue) for check in step.who)


def allowed_steps(dialogue: Dialogue, user: Actor) -> list[Step]:
    return [
        step for step in process_for(dialogue).available(dialogue) if may_take(step, user, dialogue)
    ]


def broken_rules(step: Step, dialogue: Dialogue) -> list[str]:
    return step.refusals(dialogue)


def added_rules_broken(step: Step, dialogue: Dialogue) -> list[str]:
    """The rules other parts added to the step (register_rule) that the dialogue breaks now:
    for a step with its own form, what must be done elsewhere first (results: the decision
    proposal sent before the decision is registered)."""
    problems: list[str] = []
    for rule in step.added_guards:
        message = rule(dialogue)
        if message:
            problems.extend([str(message)] if isinstance(message, str) else map(str, message))
    return problems


def transition(
    dialogue: Dialogue,
    step_name: str,
    *,
    actor: Actor,
    text: str = "",
    on: datetime.date | None = None,
    **values: Any,
) -> Event:
    """Take one step. `values` fill the step's own fields (the decision's body and date…);
    `on` is the date it happened, for the history (today if not given). Runs inside a
    transaction; the row is locked so two people cannot both move it."""
    process = process_for(dialogue)
    if step_name not in process.steps:
        raise TransitionRefused(
            _("Steget ”%(step)s” finns inte för en dialog av typen ”%(kind)s”.")
            % {
                "step": ALL_STEPS[step_name].label if step_name in ALL_STEPS else step_name,
                "kind": dialogue.get_kind_display(),  # type: ignore[attr-defined]
            },
            code="wrong_kind",
        )
    step = process.steps[step_name]
    before: dict[str, Any] = {}

    def apply(locked: Dialogue) -> None:
        if not may_take(step, actor, locked):
            raise PermissionDenied(
                _("Bara %(who)s kan ta steget ”%(step)s”.")
                % {"who": step.who_label, "step": step.label}
            )
        if on is not None and on > timezone.localdate():
            raise TransitionRefused(
                {"happened_on": _("Datumet då det hände kan inte ligga i framtiden.")}
            )
        unknown = set(values) - set(step.fields)
        if unknown:
            raise ValueError(f"Step {step_name} does not set {sorted(unknown)}")
        for name, value in values.items():
            before[name] = getattr(locked, name)
            setattr(locked, name, value)

    def record(move: workflow.Move[Dialogue, Step]) -> Event:
        saved = move.obj
        event = Event.objects.create(
            dialogue=saved,
            step=step.name,
            status=saved.status,
            text=text.strip(),
            is_public=saved.status != Status.DECLINED and saved.is_public,
            actor=user_or_none(actor),
            happened_on=happened_on(step.name, saved, on),
        )
        audit.record(
            actor=actor,
            action=f"dialogue.{step.name}",
            obj=saved,
            changes={"status": [move.source, saved.status]}
            | {name: [str(before[name]), str(getattr(saved, name))] for name in values},
        )
        return event

    return process.take(dialogue, step_name, apply=apply, record=record)
