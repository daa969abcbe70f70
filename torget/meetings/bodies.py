"""Meetings of bodies that a higher app owns: a council's meetings are meetings of the
council's own body (`organisation.BodyKind.STANDING_COUNCIL`), so the agenda, the
documentation and the attachments are the meetings part's, written once. The app that owns the body kind says, from
its `AppConfig.ready()`, who plans and who reads such meetings, whether the citizens' third
applies to their agenda, and what happens when their documentation is approved:

    bodies.register(BodyKind.STANDING_COUNCIL, BodyMeetings(can_plan=..., can_read=...,
                                                    citizens_third=False,
                                                    on_documentation_approved=...))

The meetings part does not know the councils; a body kind nobody registered is planned as an
utskott's meetings are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from torget.accounts.types import Actor


@dataclass(frozen=True)
class BodyMeetings:
    # (actor, body) -> may plan and change the body's meetings.
    can_plan: Callable[[Actor, Any], bool]
    # (actor, body) -> may read the documentation before it is approved (not change it).
    can_read: Callable[[Actor, Any], bool] = lambda actor, body: False
    # The agenda rule of dialogue meetings (a third of the time for the citizens' questions).
    citizens_third: bool = True
    # (meeting, actor) -> called in the transaction that approves the documentation.
    on_documentation_approved: Callable[[Any, Actor], None] | None = None


_kinds: dict[str, BodyMeetings] = {}


def register(kind: str, rules: BodyMeetings) -> None:
    _kinds[str(kind)] = rules


def unregister(kind: str) -> None:
    _kinds.pop(str(kind), None)


def rules_for(body: Any) -> BodyMeetings | None:
    """The registered rules for meetings of `body`, or None (an utskott, a dialogue)."""
    if body is None:
        return None
    return _kinds.get(str(body.kind))
