"""Who may do what with results (seed 000): staff who work with the dialogue handle the items;
a party-political item is raised by the elected official named on it (or an administrator);
an utskott's current members see their items."""

from torget.accounts.permissions import is_administrator
from torget.accounts.types import Actor
from torget.dialogues import selectors as dialogue_selectors
from torget.meetings.services import can_plan
from torget.organisation.models import Body
from torget.organisation.permissions import is_member_of_body
from torget.results.models import ResultItem


def can_work_with_item(user: Actor, item: ResultItem) -> bool:
    return dialogue_selectors.can_work_with(user, item.dialogue)


def can_raise(user: Actor, item: ResultItem) -> bool:
    """Only the elected official named on the item records that it was raised politically."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (item.politician_id is not None and item.politician_id == user.pk) or bool(
        is_administrator(user)
    )


def can_see_utskott(user: Actor, body: Body) -> bool:
    """Its current members, staff who work with dialogues, and those who prepare its
    meetings (the results go on its agenda)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        bool(is_member_of_body(user, body))
        or dialogue_selectors.can_work_with(user)
        or can_plan(user, body=body)
    )


def can_view_item(user: Actor, item: ResultItem) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        dialogue_selectors.can_work_with(user, item.dialogue)
        or dialogue_selectors.can_see_staff_pages(user)
        or item.politician_id == user.pk
        or (item.utskott_id is not None and bool(is_member_of_body(user, item.utskott)))
    )
