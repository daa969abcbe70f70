"""Writes of a citizen budget round: setting it up, the presidium's approval, and every step
of its workflow (`round_step`), each audited and announced to the followers of the round and
of its dialogue. The other parts of the round (ideas, voting, counting, decision, progress)
take their steps through `round_step` too, so the audit entry and the notice are written
the same way whoever moves the round.

`rounds_sweep` is the worker's periodic part (`BudgetConfig.on_tick`): it stops taking ideas
and closes the vote when their last day has passed, as the system.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.budget.models import (
    BudgetRound,
    CountingMethod,
    Phase,
    ResidenceRule,
    VotingRule,
)
from torget.budget.permissions import can_manage
from torget.budget.workflow import PROCESS, BudgetError
from torget.core.workflow import Move, Step
from torget.dialogues.catalogue import CITIZEN_BUDGET
from torget.dialogues.models import Dialogue, LadderStep, PlannedMethod
from torget.dialogues.permissions import can_work_with
from torget.notifications.services import notify
from torget.organisation.models import Body

FIELDS = (
    "title",
    "description",
    "amount",
    "areas",
    "criteria",
    "responsible_administration",
    "min_age",
    "residence",
    "voting_rule",
    "votes_per_ballot",
    "counting_method",
    "ideas_open_on",
    "ideas_close_on",
    "review_ends_on",
    "voting_opens_on",
    "voting_closes_on",
    "planned_method",
)
DATES = ("ideas_open_on", "ideas_close_on", "review_ends_on", "voting_opens_on", "voting_closes_on")
DEFAULT_MIN_AGE = 13
MAX_MIN_AGE = 120


def budget_methods(dialogue: Dialogue) -> QuerySet[PlannedMethod]:
    """The citizen-budget methods in the dialogue's plan: what a round belongs to."""
    return PlannedMethod.objects.filter(
        dialogue=dialogue, method__code=CITIZEN_BUDGET
    ).select_related("method")


def dialogue_refusal(dialogue: Dialogue) -> str | None:
    """Why this dialogue cannot have a citizen budget, or None. DOMAIN §5: a citizen budget is
    co-decision (ladder step 5), and a method is used only as the dialogue's plan says."""
    if dialogue.ladder_step != LadderStep.CO_DECISION:
        return _(
            "En medborgarbudget är medbeslutande, trappsteg 5 i delaktighetstrappan. Dialogen "
            "är inte på trappsteg 5: ändra dialogens trappsteg först."
        )
    if not budget_methods(dialogue).exists():
        return _(
            "Dialogens plan har ingen medborgarbudget. Lägg till metoden Medborgarbudget i "
            "planen först."
        )
    return None


def _require(actor: Actor, round: BudgetRound) -> None:
    if not can_manage(actor, round):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan hantera medborgarbudgeten."))


def _clean(values: dict[str, Any], dialogue: Dialogue) -> dict[str, Any]:
    """The set-up checked as a whole; every broken rule is reported on its field."""
    values = dict(values)
    for name in ("title", "description", "criteria"):
        values[name] = str(values.get(name) or "").strip()
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _("Skriv en rubrik.")
    if not values["criteria"]:
        errors["criteria"] = _("Skriv kriterierna som en idé ska uppfylla. De visas för invånarna.")
    amount = values.get("amount")
    if amount is None or amount <= 0:
        errors["amount"] = _("Ange hur många kronor omgången gäller, mer än 0.")
    min_age = values.get("min_age")
    if min_age is None:
        values["min_age"] = DEFAULT_MIN_AGE
    elif not 0 <= min_age <= MAX_MIN_AGE:
        errors["min_age"] = _("Ange en lägsta ålder mellan 0 och %(max)s år.") % {
            "max": MAX_MIN_AGE
        }
    values["residence"] = values.get("residence") or ""
    if values["residence"] not in ResidenceRule.values:
        errors["residence"] = _("Välj ett av kraven på boende.")
    rule = values.get("voting_rule") or VotingRule.KNAPSACK
    values["voting_rule"] = rule
    if rule not in VotingRule.values:
        errors["voting_rule"] = _("Välj en av röstningsreglerna.")
    votes = values.get("votes_per_ballot")
    if rule == VotingRule.KNAPSACK:
        # The budget itself limits a knapsack ballot; a number of votes means nothing there.
        values["votes_per_ballot"] = None
    elif not votes or votes < 1:
        errors["votes_per_ballot"] = _(
            "Ange hur många röster varje valsedel har för den valda röstningsregeln."
        )
    values["counting_method"] = values.get("counting_method") or CountingMethod.GREEDY
    if values["counting_method"] not in CountingMethod.values:
        errors["counting_method"] = _("Välj en av räknemetoderna.")
    dates = [values.get(name) for name in DATES]
    for name, day in zip(DATES, dates, strict=True):
        if day is None:
            errors[name] = _("Ange ett datum.")
    # The phases follow each other: ideas, review, voting (the database checks it too).
    later = {
        "ideas_close_on": _("Idéinlämningen kan inte stänga innan den öppnar."),
        "review_ends_on": _("Granskningen kan inte vara klar innan idéinlämningen stänger."),
        "voting_opens_on": _("Omröstningen kan inte öppna innan granskningen är klar."),
        "voting_closes_on": _("Omröstningen kan inte stänga innan den öppnar."),
    }
    for (before, after), name in zip(zip(dates, dates[1:], strict=False), DATES[1:], strict=True):
        if before is not None and after is not None and after < before and name not in errors:
            errors[name] = later[name]
    method = values.get("planned_method")
    if method is None:
        method = budget_methods(dialogue).order_by("order", "pk").first()
        values["planned_method"] = method
    if method is None or method.dialogue_id != dialogue.pk:
        errors["planned_method"] = _("Välj medborgarbudgeten i dialogens plan.")
    elif method.method.code != CITIZEN_BUDGET:
        errors["planned_method"] = _("Metoden i planen är inte en medborgarbudget.")
    if errors:
        raise BudgetError(errors)
    values["areas"] = list(values.get("areas") or [])
    return values


def _audit_value(value: Any) -> Any:
    if isinstance(value, list | tuple | QuerySet):
        return sorted(item.pk for item in value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _audit_value(value) for name, value in values.items()}


@transaction.atomic
def round_create(*, dialogue: Dialogue, actor: Actor, **values: Any) -> BudgetRound:
    """A round in draft: the set-up the presidium is to approve. `values` are the FIELDS."""
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan göra en medborgarbudget."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"round_create: unknown fields {sorted(unknown)}")
    refusal = dialogue_refusal(dialogue)
    if refusal:
        raise BudgetError(refusal)
    values = _clean(values, dialogue)
    areas = values.pop("areas")
    round = BudgetRound(dialogue=dialogue, created_by=user_or_none(actor), **values)
    round.full_clean()
    round.save()
    round.areas.set(areas)
    audit.record(
        actor=actor,
        action="budget.created",
        obj=round,
        changes=_audit_values(values | {"areas": areas}) | {"dialogue": dialogue.pk},
    )
    return round


@transaction.atomic
def round_update(*, round: BudgetRound, actor: Actor, **values: Any) -> BudgetRound:
    """Change the set-up while it is a draft; what changed is in the audit log."""
    _require(actor, round)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"round_update: unknown fields {sorted(unknown)}")
    locked = BudgetRound.objects.select_for_update().get(pk=round.pk)
    if locked.phase != Phase.DRAFT:
        # DOMAIN §5: the presidium approved this set-up; citizens rely on it.
        raise BudgetError(_("Presidiet har godkänt upplägget, så det kan inte ändras längre."))
    current = {name: getattr(locked, name) for name in FIELDS if name != "areas"}
    current["areas"] = list(locked.areas.all())
    merged = _clean(current | values, locked.dialogue)
    areas = merged.pop("areas")
    before = _audit_values(current)
    for name, value in merged.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    locked.areas.set(areas)
    after = _audit_values(merged | {"areas": areas})
    audit.record(
        actor=actor, action="budget.updated", obj=locked, changes=audit.diff(before, after)
    )
    for field in BudgetRound._meta.concrete_fields:
        setattr(round, field.attname, getattr(locked, field.attname))
    return round


@transaction.atomic
def approval_record(
    *,
    round: BudgetRound,
    actor: Actor,
    body: Body | None,
    names: str,
    approved_on: datetime.date | None,
    reference: str = "",
) -> BudgetRound:
    """Record that the responsible presidium approved the set-up (amount, criteria, rules,
    dates): which body and who, the date and the reference. Citizens see the round from
    then on, and the set-up cannot change after it (DOMAIN §5)."""
    _require(actor, round)
    names = (names or "").strip()
    reference = (reference or "").strip()
    errors: dict[str, str] = {}
    if body is None:
        errors["body"] = _("Välj organet vars presidium godkände upplägget.")
    if not names:
        errors["names"] = _("Skriv vilka politiker som godkände upplägget.")
    if approved_on is None:
        errors["approved_on"] = _("Ange datum för godkännandet.")
    elif approved_on > timezone.localdate():
        errors["approved_on"] = _("Godkännandet kan inte vara framåt i tiden.")
    if errors:
        raise BudgetError(errors)

    def apply(locked: BudgetRound) -> None:
        locked.approved_by_body = body
        locked.approved_by_names = names
        locked.approved_on = approved_on
        locked.approval_reference = reference

    return round_step(
        round=round,
        step="approve",
        actor=actor,
        apply=apply,
        changes={
            "body": body.pk if body else None,
            "names": names,
            "approved_on": str(approved_on),
            "reference": reference,
        },
    )


# --- The steps ---------------------------------------------------------------------------------


def day_text(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def phase_news(round: BudgetRound) -> str:
    """What citizens can do now that the round is in its phase: the notice's sentence."""
    phase = Phase(round.phase)
    if phase == Phase.APPROVED:
        return _("Upplägget är godkänt. Du kan lämna idéer från %(date)s.") % {
            "date": day_text(round.ideas_open_on)
        }
    if phase == Phase.IDEAS:
        return _("Nu kan du lämna idéer, till och med %(date)s.") % {
            "date": day_text(round.ideas_close_on)
        }
    if phase == Phase.REVIEW:
        return _(
            "Idéerna granskas och kostnadsberäknas av förvaltningen. Omröstningen öppnar %(date)s."
        ) % {"date": day_text(round.voting_opens_on)}
    if phase == Phase.VOTING:
        return _("Nu kan du rösta på de projekt du vill ska genomföras, till och med %(date)s.") % {
            "date": day_text(round.voting_closes_on)
        }
    if phase == Phase.COUNTING:
        return _("Omröstningen är stängd och rösterna räknas. Resultatet publiceras snart.")
    if phase == Phase.RESULT:
        return _("Resultatet är publicerat: se vilka projekt som fick pengar.")
    if phase == Phase.DECIDED:
        return _("Politikerna har beslutat om projekten. Följ hur de genomförs.")
    if phase == Phase.FINISHED:
        return _("Omgången är avslutad. Se vad som blev gjort.")
    return ""


def _announce(round: BudgetRound) -> None:
    if not round.is_public:
        return
    # The notice goes out in Swedish whoever took the step (notify's language is "sv").
    with translation.override("sv"):
        context = {
            "title": round.title,
            "dialogue": round.dialogue.title,
            "phase": str(Phase(round.phase).label),
            "what": phase_news(round),
            "url": round.get_absolute_url(),
        }
    notify(template="budget.phase", context=context, followers_of=[round])


def round_step(
    *,
    round: BudgetRound,
    step: str,
    actor: Actor | None,
    apply: Callable[[BudgetRound], None] | None = None,
    changes: dict[str, Any] | None = None,
) -> BudgetRound:
    """Take one step of the round's workflow (workflow.PROCESS) as `actor`, or as the system
    when `actor` is None (the periodic sweep). `apply` sets the step's own fields on the
    locked row before the guards run; `changes` go into the audit entry `budget.<step>` with
    the phase it came from and went to. The followers of the round and of its dialogue are
    told what they can do now. Raises PermissionDenied for someone who does not work with
    the dialogue, BudgetError (a ValidationError) with the reason when the step is refused."""
    if step not in PROCESS.steps:
        raise BudgetError(_("Det steget finns inte."), code="unknown_step")
    if actor is not None:
        _require(actor, round)

    def record(move: Move[BudgetRound, Step]) -> BudgetRound:
        audit.record(
            actor=actor,
            action=f"budget.{step}",
            obj=move.obj,
            changes={"from": move.source, "to": move.obj.phase, **(changes or {})},
        )
        _announce(move.obj)
        return move.obj

    with transaction.atomic():
        PROCESS.take(round, step, apply=apply, record=record)
    return round


def step_choices(round: BudgetRound) -> list[tuple[Step, list[str]]]:
    """The steps the round's phase allows, each with what refuses it now (empty: it may be
    taken)."""
    return [(step, step.refusals(round)) for step in PROCESS.available(round)]


# --- The worker's periodic part ----------------------------------------------------------------


def _sweep(phase: str, last_day: str, step: str, today: datetime.date) -> int:
    done = 0
    due = BudgetRound.objects.filter(phase=phase, **{f"{last_day}__lt": today})
    for pk in due.order_by("pk").values_list("pk", flat=True):
        try:
            round_step(round=BudgetRound.objects.get(pk=pk), step=step, actor=None)
        except BudgetError:
            continue  # someone took a step first, or a guard holds it back: staff see why
        done += 1
    return done


def rounds_sweep(today: datetime.date | None = None) -> dict[str, int]:
    """Stop taking ideas after their last day, and close the vote after its last day: the
    dates the presidium approved are kept even when nobody is at work that day."""
    today = today or timezone.localdate()
    return {
        "ideas_closed": _sweep(Phase.IDEAS, "ideas_close_on", "start_review", today),
        "voting_closed": _sweep(Phase.VOTING, "voting_closes_on", "close_voting", today),
    }
