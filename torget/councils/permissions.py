"""Who may do what with councils, as `rules` predicates that templates can ask too
(`perms.councils.edit_council`).

Only the safety unit's coordinators and the administrators edit councils. The utskott för
medborgardialog of a council's area reads everything of that council, its unpublished
minutes included; members of another utskott see only what is published.
"""

from typing import Any

import rules
from django.db.models import Q

from torget.accounts.permissions import is_administrator
from torget.accounts.types import Actor
from torget.organisation.permissions import is_member_of_body, is_safety_coordinator


@rules.predicate
def edits_councils(user: Actor) -> bool:
    return bool(is_administrator(user) or is_safety_coordinator(user))


def reads_for_utskott(user: Actor, council: Any) -> bool:
    """Whether `user` reads the council on behalf of the utskott of its area: today the
    utskott's current members. The place to widen when the utskott's work gets a
    coordinator of its own (the invitations and minutes go "through the coordinator")."""
    return council.utskott_id is not None and bool(is_member_of_body(user, council.utskott))


def read_by(user: Actor) -> Q:
    """The councils `user` reads without editing them, as a filter (reads_council for many)."""
    return Q(utskott__memberships__person=user, utskott__memberships__ended_on__isnull=True) | Q(
        support__user=user
    )


@rules.predicate
def reads_any_council(user: Actor) -> bool:
    """Whether the staff start page offers the councils: editors, and those who read a
    council for its utskott or support it."""
    from torget.councils.models import Council

    if not getattr(user, "is_authenticated", False):
        return False
    if edits_councils(user):
        return True
    return Council.objects.filter(read_by(user)).exists()


@rules.predicate
def reads_council(user: Actor, council: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or council is None:
        return False
    if edits_councils(user) or reads_for_utskott(user, council):
        return True
    return council.support.filter(user=user).exists()


def plans_council_meetings(user: Actor, body: Any) -> bool:
    """meetings.bodies: who plans a council's meetings (its body's)."""
    return bool(getattr(user, "is_authenticated", False) and edits_councils(user))


def reads_council_meetings(user: Actor, body: Any) -> bool:
    """meetings.bodies: who reads a council meeting's documentation before it is approved."""
    council = getattr(body, "council", None)
    return council is not None and bool(reads_council(user, council))


rules.add_perm("councils.edit_council", edits_councils)
rules.add_perm("councils.view_council", reads_council)
rules.add_perm("councils.view_councils", reads_any_council)
