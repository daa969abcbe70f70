"""Who holds a role: the one place that asks the groups table for it."""

from django.db.models import QuerySet

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.types import Actor


def users_with_role(role: Role) -> QuerySet[User]:
    """Active, open accounts that hold `role`, by name."""
    return User.objects.filter(
        is_active=True, closed_at__isnull=True, groups__name=role.value
    ).order_by("full_name", "pk")


def elected_officials() -> QuerySet[User]:
    """Everyone with the förtroendevald role, with or without a seat now (a seat in a body is
    `organisation.selectors.elected_members`)."""
    return users_with_role(Role.ELECTED)


def holds_role(user: Actor | None, role: Role) -> bool:
    """`user` is signed in, active and holds `role`."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=role.value).exists()
    )
