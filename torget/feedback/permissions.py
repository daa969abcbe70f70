"""Who may see what of a case. Citizens see a public fault report, or their own case by its
private link; staff with the handling permission see and handle every case."""

from typing import Any

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor


def can_handle(user: Actor, case: Any = None) -> bool:
    return has_perm(user, "feedback.handle_case", case)


def can_read_cases_in_areas(user: Actor) -> bool:
    """The safety coordinator reads (not handles) the cases in the areas it covers."""
    return has_perm(user, "organisation.coordinate_safety_in_area")
