"""Who may do what with a medborgardialog: the one place the dialogues part says so.

The workflow tables (workflow.py) name these predicates as who may take each step; views,
services and other apps (meetings, results, evaluation) ask `can_work_with`, and templates
ask the rules perms registered at the end (`perms.dialogues.work_with_dialogue`).
"""

import rules
from django.contrib.auth.backends import ModelBackend

from torget.accounts.permissions import has_perm
from torget.accounts.permissions import is_administrator as _administrator
from torget.accounts.types import Actor
from torget.dialogues.models import Dialogue
from torget.organisation.permissions import is_presidium_of_body


def manages_dialogues(user: Actor, dialogue: Dialogue | None) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and ModelBackend().has_perm(user, "dialogues.manage_dialogue")
    )


def is_presidium(user: Actor, dialogue: Dialogue) -> bool:
    body = dialogue.responsible_body
    return bool(
        getattr(user, "is_authenticated", False)
        and body is not None
        and is_presidium_of_body(user, body)
    )


def is_process_leader(user: Actor, dialogue: Dialogue) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and dialogue.process_leader_id is not None
        and dialogue.process_leader_id == user.pk
    )


def is_administrator(user: Actor, dialogue: Dialogue | None) -> bool:
    return bool(_administrator(user))


def can_work_with(user: Actor, dialogue: Dialogue | None = None) -> bool:
    """Staff who plan and run dialogues, administrators; for one dialogue also the
    presidium of its responsible body and its political process leader."""
    if manages_dialogues(user, dialogue) or is_administrator(user, dialogue):
        return True
    if dialogue is None:
        return False
    return is_presidium(user, dialogue) or is_process_leader(user, dialogue)


def can_see_staff_pages(user: Actor) -> bool:
    return has_perm(user, "dialogues.view_dialogue")


@rules.predicate
def works_with_dialogue(user: Actor, dialogue: Dialogue | None = None) -> bool:
    return can_work_with(user, dialogue)


rules.add_perm("dialogues.work_with_dialogue", works_with_dialogue)
