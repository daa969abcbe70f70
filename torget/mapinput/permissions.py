"""Who may do what with a dialogue's map: those who work with its dialogue (dialogues'
`can_work_with`) set it up, moderate it and take its points into the results or the fault
reports; those who may read the dialogues' staff pages read the staff side; citizens see a
map once its dialogue is public, and mark by its rule of identification while it is open."""

import rules

from torget.accounts.types import Actor
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.mapinput.models import Map


def can_manage(user: Actor, map_: Map) -> bool:
    return can_work_with(user, map_.dialogue)


def can_moderate(user: Actor, map_: Map) -> bool:
    return can_manage(user, map_)


def can_read_staff(user: Actor, map_: Map) -> bool:
    return bool(can_see_staff_pages(user)) or can_manage(user, map_)


def can_view_public(map_: Map) -> bool:
    return bool(map_.dialogue.is_public)


@rules.predicate
def _moderates(user: Actor, map_: Map | None = None) -> bool:
    return map_ is not None and can_moderate(user, map_)


rules.add_perm("mapinput.moderate_map", _moderates)
