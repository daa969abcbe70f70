"""Who may do what in a forum: those who work with its dialogue (dialogues' `can_work_with`)
set it up, moderate it and take its posts into the results; those who may read the
dialogues' staff pages read the staff side; citizens read a forum once its dialogue is
public, and post by its rule of identification while it is open (forum.services)."""

import rules

from torget.accounts.types import Actor
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.forum.models import Forum


def can_manage(user: Actor, forum: Forum) -> bool:
    return can_work_with(user, forum.dialogue)


def can_moderate(user: Actor, forum: Forum) -> bool:
    return can_manage(user, forum)


def can_read_staff(user: Actor, forum: Forum) -> bool:
    return bool(can_see_staff_pages(user)) or can_manage(user, forum)


def can_view_public(forum: Forum) -> bool:
    return bool(forum.dialogue.is_public)


@rules.predicate
def _moderates(user: Actor, forum: Forum | None = None) -> bool:
    return forum is not None and can_moderate(user, forum)


rules.add_perm("forum.moderate_forum", _moderates)
