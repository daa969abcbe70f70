"""Role badges: "Politiker, Barn- och ungdomsnämnden", "Tjänsteperson, Stadsbyggnad".

A badge is offered only for a role the person holds in the organisation's records today
(a current seat in a body, a current employment); citizens have none."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Badge:
    kind: str  # models.BadgeKind value
    label: str  # shown next to the post


def badges_for(user: Any) -> list[Badge]:
    """The badges `user` may answer with, today. (Filled in by the forum's badge work.)"""
    return []
