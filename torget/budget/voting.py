"""STUB: casting ballots (the voting helper replaces this module)."""

from collections.abc import Sequence

from torget.budget.models import Ballot, BudgetRound, Channel
from torget.identity.models import Verification


def vote_cast(
    *,
    round: BudgetRound,
    verification: Verification,
    choices: Sequence[int],
    channel: str = Channel.EID,
    lives_in_area: bool = False,
) -> Ballot:
    """Cast (or change) the person's ballot: `choices` are idea numbers in the voter's order."""
    raise NotImplementedError
