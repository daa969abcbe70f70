"""Demo data for accounts: one log-in per role, and `user_ensure` for the demo people of the
other apps."""

from django.contrib.auth.models import Group
from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.roles import STAFF_ROLES, Role
from torget.core import demo
from torget.core.demo import DEMO_PASSWORD, DemoContext

DEMO_DOMAIN = "demo.storeby.example"

DEMO_USERS = [
    # (e-mail local part, role, full name)
    ("medborgare", Role.CITIZEN, "Maja Medborgare"),
    ("tjansteperson", Role.OFFICIAL, "Tove Tjänsteperson"),
    ("fortroendevald", Role.ELECTED, "Filip Förtroendevald"),
    ("kontaktcenter", Role.CONTACT_CENTRE, "Kim Kontaktcenter"),
    ("trygghet", Role.SAFETY_COORDINATOR, "Tilda Trygghetssamordnare"),
    ("koordinator", Role.UTSKOTT_COORDINATOR, "Karin Koordinator"),
    ("admin", Role.ADMINISTRATOR, "Ada Administratör"),
]


def user_ensure(
    context: DemoContext, *, email: str, full_name: str, role: Role, can_log_in: bool
) -> User:
    """A demo person in `role`. Only those with `can_log_in` get the run's password; the
    other apps' demo people (politicians, contact people) cannot log in."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, email_verified_at=timezone.now())
        if can_log_in:
            user.set_password(context.password)
            context.password_used = True
        else:
            user.set_unusable_password()
    elif can_log_in and context.password != DEMO_PASSWORD and user.check_password(DEMO_PASSWORD):
        # Loaded earlier with the published password (before this check existed, or in
        # dev on a database now served in production): close that door.
        user.set_password(context.password)
        user.save(update_fields=["password"])
        context.password_used = True
        context.changes += 1
    values = {
        "full_name": full_name,
        "display_name": full_name.split()[0],
        "is_staff": role in STAFF_ROLES,
    }
    if user.pk is None or any(getattr(user, f) != v for f, v in values.items()):
        for field, value in values.items():
            setattr(user, field, value)
        user.save()
        context.changes += 1
    group = Group.objects.get(name=role.value)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        context.changes += 1
    return user


@demo.register("accounts")
def load(context: DemoContext) -> None:
    """One log-in per role; the command prints them after the run."""
    context.users = {
        role: user_ensure(
            context,
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=full_name,
            role=role,
            can_log_in=True,
        )
        for local, role, full_name in DEMO_USERS
    }
    context.logins += [(str(role.label), f"{local}@{DEMO_DOMAIN}") for local, role, _ in DEMO_USERS]
