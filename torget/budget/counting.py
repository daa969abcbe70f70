"""STUB: counting the votes (the counting helper replaces this module)."""

from typing import Any

from torget.budget.models import BudgetRound


def count(round: BudgetRound) -> dict[str, Any]:
    """Count the round's current ballots by its counting method; the dict is what is stored
    in `BudgetRound.result` when published."""
    return {}
