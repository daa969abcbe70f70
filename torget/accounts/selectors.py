"""Who holds a role: the one place that asks the groups table for it."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from torget.accounts.models import User
from torget.accounts.roles import STAFF_ROLES, Role
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


def is_staff_member(user: Actor | None) -> bool:
    """Signed in and working in the back office: a staff role, the staff flag or superuser.
    These accounts get two-factor authentication and the shorter session."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return user.groups.filter(name__in=[role.value for role in STAFF_ROLES]).exists()


def totp_device(user: User) -> TOTPDevice | None:
    """The confirmed authenticator app (TOTP) of `user`, if one is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
