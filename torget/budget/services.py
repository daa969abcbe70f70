"""TEMP (lead replaces with helper A's): the one service the result part needs, so that its
branch runs on its own. Helper A's `services.py` supersedes this file whole."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.budget.models import BudgetRound, Phase
from torget.budget.permissions import can_manage
from torget.budget.workflow import PROCESS
from torget.core.workflow import Move, Step
from torget.notifications.services import notify


# TEMP (lead replaces with helper A's)
@transaction.atomic
def round_step(
    *,
    round: BudgetRound,
    step: str,
    actor: Actor,
    apply: Callable[[BudgetRound], None] | None = None,
    changes: dict[str, Any] | None = None,
) -> BudgetRound:
    if not can_manage(actor, round):
        raise PermissionDenied

    def record(move: Move[BudgetRound, Step]) -> BudgetRound:
        audit.record(
            actor=actor,
            action=f"budget.{step}",
            obj=move.obj,
            changes={"from": move.source, "to": move.obj.phase, **(changes or {})},
        )
        notify(
            template="budget.phase",
            context={
                "title": move.obj.title,
                "dialogue": move.obj.dialogue.title,
                "phase": str(Phase(move.obj.phase).label),
                "what": "",
                "url": move.obj.get_absolute_url(),
            },
            followers_of=[move.obj],
        )
        return move.obj

    return PROCESS.take(round, step, apply=apply, record=record)
