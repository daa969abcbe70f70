"""Citizen budgets for tests: an open ladder-step-5 dialogue whose plan has the citizen
budget, a round on it in any phase, ideas and projects, and e-ID verifications. Built with
the ORM so that each part's tests stand alone; the services' own tests go through the
services."""

import datetime
import itertools
from typing import Any

from django.utils import timezone

from torget.budget.models import BudgetRound, Idea, IdeaStatus, Phase
from torget.dialogues import services as dialogue_services
from torget.dialogues.catalogue import CITIZEN_BUDGET
from torget.dialogues.models import Dialogue, LadderStep, Method
from torget.dialogues.tests.factories import Cast, cast, decide, initiative, plan
from torget.identity.models import Residence, Verification
from torget.identity.personnummer import pin_key

_pins = itertools.count(1)


def budget_dialogue(people: Cast | None = None, **values: Any) -> tuple[Dialogue, Cast]:
    """An open co-decision dialogue whose plan has the citizen budget for this year."""
    people = people or cast()
    values.setdefault("title", "Medborgarbudget i Berga")
    dialogue = plan(decide(initiative(people, **values), people), people)
    dialogue_services.dialogue_update(
        dialogue=dialogue, actor=people.official, ladder_step=LadderStep.CO_DECISION
    )
    today = timezone.localdate()
    dialogue_services.method_add(
        dialogue=dialogue,
        actor=people.official,
        method=Method.objects.get(code=CITIZEN_BUDGET),
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="approve_plan", actor=people.leader
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="open", actor=people.official
    )
    return dialogue, people


def budget_round(
    dialogue: Dialogue | None = None,
    *,
    people: Cast | None = None,
    phase: str = Phase.IDEAS,
    **values: Any,
) -> BudgetRound:
    """A round in `phase` whose current phase is open today (its dates around today)."""
    if dialogue is None:
        dialogue, people = budget_dialogue(people)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    # Put today inside the phase's period; the other dates follow in order.
    offsets = {
        Phase.DRAFT: 10,
        Phase.APPROVED: 10,
        Phase.IDEAS: 0,
        Phase.REVIEW: -20,
        Phase.VOTING: -40,
    }.get(Phase(phase), -80)
    start = today + offsets * day
    values.setdefault("ideas_open_on", start - 5 * day)
    values.setdefault("ideas_close_on", start + 10 * day)
    values.setdefault("review_ends_on", start + 30 * day)
    values.setdefault("voting_opens_on", start + 35 * day)
    values.setdefault("voting_closes_on", start + 50 * day)
    values.setdefault("title", "Medborgarbudget för Berga 2027")
    values.setdefault("amount", 1_000_000)
    values.setdefault("criteria", "Idén ska gynna många, ligga i Berga och kosta högst en miljon.")
    values.setdefault("planned_method", dialogue.methods.get(method__code=CITIZEN_BUDGET))
    if phase != Phase.DRAFT:
        body = people.body if people else dialogue.responsible_body
        values.setdefault("approved_by_body", body)
        values.setdefault("approved_by_names", "Ordförande och vice ordförande")
        values.setdefault("approved_on", today - 20 * day)
    if phase in (Phase.DECIDED, Phase.FINISHED):
        values.setdefault("decision_body", values.get("approved_by_body"))
        values.setdefault("decided_on", today - day)
    return BudgetRound.objects.create(dialogue=dialogue, phase=phase, **values)


def idea(round: BudgetRound, **values: Any) -> Idea:
    values.setdefault(
        "number",
        (round.ideas.order_by("-number").values_list("number", flat=True).first() or 0) + 1,
    )
    values.setdefault("title", f"Idé {values['number']}")
    values.setdefault("description", "En bänk och ett bord i parken, med tak.")
    values.setdefault("shown_name", "Leila, Berga")
    return Idea.objects.create(round=round, **values)


def project(round: BudgetRound, cost: int, **values: Any) -> Idea:
    """A feasible, costed idea: a project on the ballot."""
    values.setdefault("status", IdeaStatus.FEASIBLE)
    values.setdefault("status_reason", "Förvaltningen kan genomföra idén.")
    return idea(round, cost=cost, **values)


def verification(
    *,
    born: datetime.date = datetime.date(1980, 5, 17),
    residence: str = Residence.YES,
    method: str = "bankid",
    user: Any = None,
    key: str | None = None,
) -> Verification:
    """A fresh e-ID verification of a new person (a distinct keyed personal number)."""
    return Verification.objects.create(
        user=user,
        person_key=key or pin_key(f"{next(_pins):012d}"),
        method=method,
        residence=residence,
        birth_date=born,
    )
