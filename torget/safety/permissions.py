"""Who may do what with the safety surveys and the citizens' promise: the safety unit's
coordinators and the administrators edit; everything published is public."""

import rules

from torget.accounts.permissions import is_administrator
from torget.accounts.types import Actor
from torget.organisation.permissions import is_safety_coordinator


@rules.predicate
def edits_safety(user: Actor) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(is_administrator(user) or is_safety_coordinator(user))


rules.add_perm("safety.edit_safety", edits_safety)
