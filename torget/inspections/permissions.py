"""Who may do what with inspections. The same people as for the councils: the safety unit's
coordinators and the administrators plan and edit; the utskott of the council's area (and
the council's administrative support) read everything of it, as does the utskott
coordinator; members of another utskott see nothing unpublished."""

from typing import Any

import rules

from torget.accounts.types import Actor
from torget.councils.permissions import edits_councils, reads_council


@rules.predicate
def edits_inspections(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and edits_councils(user))


@rules.predicate
def reads_inspection(user: Actor, inspection: Any) -> bool:
    """The council's readers, and the utskott coordinator, through whom the invitations and
    protocols go to the utskott (meetings.prepare_utskott_meetings)."""
    if inspection is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        reads_council(user, inspection.council)
        or user.has_perm("meetings.prepare_utskott_meetings")
    )


rules.add_perm("inspections.plan_inspections", edits_inspections)
rules.add_perm("inspections.view_inspection", reads_inspection)
