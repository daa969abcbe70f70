"""Writes of the count, the result and the political decision (DOMAIN §5): the votes are
counted by the round's published rule and the result is published before the politicians
decide, and nothing is carried out before the decision is recorded."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.budget import counting, selectors
from torget.budget.models import BudgetRound, Progress
from torget.budget.services import round_step
from torget.budget.workflow import BudgetError
from torget.organisation.models import Body


@transaction.atomic
def result_publish(*, round: BudgetRound, actor: Actor) -> BudgetRound:
    """Count the stored ballots by the round's method and publish the result, frozen as
    counted: `budget_recount` checks later that the ballots still give exactly this."""
    # The ballots cannot change once voting has closed, so counting before the row is locked
    # is safe and keeps the lock short; the step itself refuses any other phase.
    result = counting.count(round)

    def apply(locked: BudgetRound) -> None:
        locked.result = result
        locked.result_published_at = timezone.now()

    return round_step(
        round=round,
        step="publish_result",
        actor=actor,
        apply=apply,
        changes={
            "method": result["method"],
            "ballots": result["ballots"],
            "funded": result["funded"],
            "spent": result["spent"],
        },
    )


@transaction.atomic
def decision_record(
    *,
    round: BudgetRound,
    actor: Actor,
    body: Body | None,
    decided_on: datetime.date | None,
    reference: str = "",
    text: str,
    funded_numbers: Sequence[int] | None = None,
) -> BudgetRound:
    """Record the politicians' decision on the result: which body, when, its reference and
    its text; the projects it funds (by default the result's winners) are marked funded and
    planned in the same transaction. A decision that funds other projects than the result
    must name them (`funded_numbers`), and the audit entry says that it deviates."""
    errors: dict[str, str] = {}
    if body is None:
        errors["body"] = _("Välj organet som fattade beslutet.")
    if decided_on is None:
        errors["decided_on"] = _("Ange datum för beslutet.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("Beslutet kan inte vara framåt i tiden.")
    elif round.result_published_at and decided_on < timezone.localdate(round.result_published_at):
        errors["decided_on"] = _("Beslutet kan inte vara fattat innan resultatet publicerades.")
    if not text.strip():
        errors["text"] = _("Skriv vad beslutet säger.")
    winners = [int(number) for number in (round.result or {}).get("funded", [])]
    numbers = winners if funded_numbers is None else [int(n) for n in funded_numbers]
    projects = {idea.number: idea for idea in selectors.projects_of(round)}
    unknown = sorted(set(numbers) - set(projects))
    if unknown:
        errors["funded_numbers"] = _("Idé %(numbers)s finns inte på röstsedeln.") % {
            "numbers": ", ".join(map(str, unknown))
        }
    elif sum(projects[n].cost or 0 for n in numbers) > round.amount:
        errors["funded_numbers"] = _("Projekten kostar mer än omgångens budget.")
    if errors:
        raise BudgetError(errors)

    def apply(locked: BudgetRound) -> None:
        locked.decision_body = body
        locked.decided_on = decided_on
        locked.decision_reference = reference.strip()
        locked.decision_text = text.strip()
        # DOMAIN §5: the winners are carried out only once the politicians have decided.
        locked.ideas.filter(number__in=numbers).update(funded=True, progress=Progress.PLANNED)

    changes: dict[str, Any] = {
        "body": body.pk if body else None,
        "decided_on": str(decided_on),
        "reference": reference.strip(),
        "funded": sorted(numbers),
    }
    if sorted(numbers) != sorted(winners):
        changes["deviates_from_result"] = True
    return round_step(
        round=round, step="record_decision", actor=actor, apply=apply, changes=changes
    )
