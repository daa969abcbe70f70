"""The dialogue's process, in one table: which step follows which, who may take it, and
what must be in place first. Every path (staff pages, admin, shell) goes through
`transition()`; a step that breaks a rule is refused with the rule's own message.

seed 001: the decision (with budget and steering group) comes before planning; the plan says
how and when participants get feedback. seed 004 §5: at least one information-step method is
always used first. seed 004 §2/§4: the presidium of the responsible body decides and appoints
the political process leader; a citizen's request is decided by KS presidium.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.audit import services as audit
from torget.dialogues.models import Dialogue, Event, Status
from torget.organisation.permissions import is_presidium_of_body

Rule = Callable[[Dialogue], str | None]  # returns the broken rule's message, or None


def manages_dialogues(user: Any, dialogue: Dialogue | None) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and ModelBackend().has_perm(user, "dialogues.manage_dialogue")
    )


def is_presidium(user: Any, dialogue: Dialogue) -> bool:
    body = dialogue.responsible_body
    return bool(
        getattr(user, "is_authenticated", False)
        and body is not None
        and is_presidium_of_body(user, body)
    )


def is_process_leader(user: Any, dialogue: Dialogue) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and dialogue.process_leader_id is not None
        and dialogue.process_leader_id == user.pk
    )


def is_administrator(user: Any, dialogue: Dialogue | None) -> bool:
    from torget.accounts.permissions import is_administrator as administrator

    return bool(administrator(user))


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
                "en högre grad av inflytande är beslutad (004 §5). Lägg en informationsmetod "
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
        "och utse politisk processledare och ansvarig tjänsteperson (001, 004 §4)."
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
            "återkoppling (000, 001)."
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
]


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    label: Any
    who: tuple[Callable[[Any, Dialogue], bool], ...]
    who_label: Any
    rules: tuple[Rule, ...] = ()
    # Fields the step itself fills in (from its form), checked by `rules` after they are set.
    fields: tuple[str, ...] = ()
    notify: str = ""  # notification template for followers, if any
    extra_rules: list[Rule] = field(default_factory=list)


CANCELLABLE = frozenset(
    {Status.DECIDED, Status.PLANNING, Status.PLAN_APPROVED, Status.OPEN, Status.COMPILING}
)
POLITICAL = (is_presidium, is_administrator)
OFFICIAL = (manages_dialogues, is_process_leader, is_administrator)

STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            "decide",
            frozenset({Status.INITIATIVE}),
            Status.DECIDED,
            _("Besluta om dialog"),
            POLITICAL,
            _("presidiet i ansvarigt organ (KS presidium för medborgares förslag)"),
            rules=(DECISION_RULE,),
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
            "decline",
            frozenset({Status.INITIATIVE}),
            Status.DECLINED,
            _("Avslå initiativet"),
            POLITICAL,
            _("presidiet i ansvarigt organ"),
            rules=(_filled("end_reason", message=_("Ange skälet till avslaget.")),),
            fields=("end_reason",),
        ),
        Step(
            "start_planning",
            frozenset({Status.DECIDED}),
            Status.PLANNING,
            _("Börja planera"),
            OFFICIAL,
            _("ansvarig tjänsteperson eller politisk processledare"),
            rules=(DECISION_RULE,),
        ),
        Step(
            "approve_plan",
            frozenset({Status.PLANNING}),
            Status.PLAN_APPROVED,
            _("Godkänn planen"),
            (is_presidium, is_process_leader, is_administrator),
            _("politisk processledare eller presidiet"),
            rules=tuple(PLAN_RULES),
            notify="dialogues.planned",
        ),
        Step(
            "open",
            frozenset({Status.PLAN_APPROVED}),
            Status.OPEN,
            _("Öppna dialogen"),
            OFFICIAL,
            _("ansvarig tjänsteperson eller politisk processledare"),
            rules=tuple(PLAN_RULES),
            notify="dialogues.opened",
        ),
        Step(
            "compile",
            frozenset({Status.OPEN}),
            Status.COMPILING,
            _("Avsluta deltagandet och sammanställ resultat"),
            OFFICIAL,
            _("ansvarig tjänsteperson"),
        ),
        Step(
            "record_decision",
            frozenset({Status.COMPILING}),
            Status.DECISION_MADE,
            _("Registrera beslutet i frågan"),
            OFFICIAL,
            _("ansvarig tjänsteperson"),
            rules=(
                _filled(
                    "results_summary",
                    "outcome_decision",
                    "outcome_decided_on",
                    message=_(
                        "Resultaten ska vara sammanställda och beslutet i frågan registrerat "
                        "(001: resultaten går in i beslutet, som fattas av det valda organet)."
                    ),
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
            "give_feedback",
            frozenset({Status.DECISION_MADE}),
            Status.FEEDBACK_GIVEN,
            _("Ge återkoppling till deltagarna"),
            OFFICIAL,
            _("ansvarig tjänsteperson"),
            rules=(_filled("feedback_text", message=_("Skriv återkopplingen till deltagarna.")),),
            fields=("feedback_text",),
            notify="dialogues.feedback",
        ),
        Step(
            "evaluate",
            frozenset({Status.FEEDBACK_GIVEN}),
            Status.EVALUATED,
            _("Registrera utvärderingen"),
            OFFICIAL,
            _("ansvarig tjänsteperson"),
            rules=(_filled("evaluation", message=_("Skriv utvärderingen.")),),
            fields=("evaluation",),
        ),
        Step(
            "close",
            frozenset({Status.EVALUATED}),
            Status.CLOSED,
            _("Avsluta dialogen"),
            OFFICIAL,
            _("ansvarig tjänsteperson eller politisk processledare"),
        ),
        Step(
            "cancel",
            CANCELLABLE,
            Status.CANCELLED,
            _("Ställ in dialogen"),
            (is_presidium, is_process_leader, is_administrator),
            _("politisk processledare eller presidiet"),
            rules=(_filled("end_reason", message=_("Ange varför dialogen ställs in.")),),
            fields=("end_reason",),
            notify="dialogues.cancelled",
        ),
    ]
}


def register_rule(step_name: str, rule: Rule) -> None:
    """Later parts add preconditions here (meetings: the summary of results is sent before
    feedback, the decision proposal before closing), so the rule still lives in one place."""
    STEPS[step_name].extra_rules.append(rule)


class TransitionRefused(ValidationError):
    pass


def may_take(step: Step, user: Any, dialogue: Dialogue) -> bool:
    return any(check(user, dialogue) for check in step.who)


def allowed_steps(dialogue: Dialogue, user: Any) -> list[Step]:
    return [
        step
        for step in STEPS.values()
        if dialogue.status in step.sources and may_take(step, user, dialogue)
    ]


def broken_rules(step: Step, dialogue: Dialogue) -> list[str]:
    return [m for rule in [*step.rules, *step.extra_rules] if (m := rule(dialogue))]


def transition(
    dialogue: Dialogue, step_name: str, *, actor: Any, text: str = "", **values: Any
) -> Event:
    """Take one step. `values` fill the step's own fields (the decision's body and date…).
    Runs inside a transaction; the row is locked so two people cannot both move it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    step = STEPS[step_name]
    caller = dialogue
    # Work on the row as it is now, locked: rules are checked against what is stored, and
    # nothing a stale copy holds is written back.
    dialogue = Dialogue.objects.select_for_update().get(pk=caller.pk)
    current = dialogue.status
    if current not in step.sources:
        raise TransitionRefused(
            _("Dialogen har status ”%(status)s” och kan inte gå vidare med ”%(step)s”.")
            % {"status": Status(current).label, "step": step.label},
            code="wrong_status",
        )
    if not may_take(step, actor, dialogue):
        raise PermissionDenied(
            _("Bara %(who)s kan ta steget ”%(step)s”.")
            % {"who": step.who_label, "step": step.label}
        )
    unknown = set(values) - set(step.fields)
    if unknown:
        raise ValueError(f"Step {step_name} does not set {sorted(unknown)}")
    before = {name: getattr(dialogue, name) for name in values}
    for name, value in values.items():
        setattr(dialogue, name, value)
    problems = broken_rules(step, dialogue)
    if problems:
        raise TransitionRefused(problems, code="rule")
    if step_name == "open" and dialogue.starts_on is None:
        dialogue.starts_on = timezone.localdate()
    dialogue.status = step.target
    dialogue._workflow_step = True  # type: ignore[attr-defined]
    try:
        dialogue.save()
    finally:
        dialogue._workflow_step = False  # type: ignore[attr-defined]
    caller.refresh_from_db()
    event = Event.objects.create(
        dialogue=dialogue,
        step=step.name,
        status=step.target,
        text=text.strip(),
        is_public=step.target not in (Status.DECLINED,) and dialogue.is_public,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=f"dialogue.{step.name}",
        obj=dialogue,
        changes={"status": [current, step.target]}
        | {name: [str(before[name]), str(getattr(dialogue, name))] for name in values},
    )
    return event
