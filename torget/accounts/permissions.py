from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend

from torget.accounts.roles import STAFF_ROLES, Role
from torget.accounts.types import Actor


@rules.predicate
def is_administrator(user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or user.groups.filter(name=Role.ADMINISTRATOR.value).exists()  # type: ignore[attr-defined]
    )


@rules.predicate
def has_staff_role(user: object) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or user.groups.filter(name__in=[role.value for role in STAFF_ROLES]).exists()  # type: ignore[attr-defined]
    )


rules.add_perm("accounts.access_backoffice", has_staff_role)


def has_perm(user: Actor | None, perm: str, obj: Any = None) -> bool:
    """A role's permission on the whole model, or a rule that grants it for this object.

    `user.has_perm(perm, obj)` alone is not enough: Django's ModelBackend ignores group
    permissions when an object is given, and a rule asked without an object answers "for
    some object". This asks each in the way it means.
    """
    if user is None or not getattr(user, "is_active", False):
        return False
    if ModelBackend().has_perm(user, perm):
        return True
    return rules.perm_exists(perm) and rules.has_perm(perm, user, obj)
