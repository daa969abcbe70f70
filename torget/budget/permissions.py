"""Who may do what with a citizen budget: those who work with its dialogue (dialogues'
`can_work_with`) set a round up, take its steps, count and publish; they and the officials of
the responsible förvaltning review and cost the ideas and report the projects' progress; the
contact centre and officials register a vote for a citizen who cannot vote with e-ID
(`budget.vote_assisted`); citizens see a round once the presidium has approved it."""

import rules

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.budget.models import BudgetRound
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.organisation.models import Employment


def can_manage(user: Actor, round: BudgetRound) -> bool:
    return can_work_with(user, round.dialogue)


def can_review(user: Actor, round: BudgetRound) -> bool:
    """The förvaltning's officials review and cost ideas and report on the projects."""
    if can_manage(user, round):
        return True
    if not round.responsible_administration_id or not user.is_authenticated:
        return False
    return Employment.objects.filter(
        person_id=user.pk, administration_id=round.responsible_administration_id
    ).exists()


def can_read_staff(user: Actor, round: BudgetRound) -> bool:
    return bool(can_see_staff_pages(user)) or can_review(user, round)


def can_assist(user: Actor, round: BudgetRound) -> bool:
    return has_perm(user, "budget.vote_assisted") or can_manage(user, round)


def can_view_public(round: BudgetRound) -> bool:
    return round.is_public


@rules.predicate
def _manages(user: Actor, round: BudgetRound | None = None) -> bool:
    return round is not None and can_manage(user, round)


rules.add_perm("budget.manage_round", _manages)
