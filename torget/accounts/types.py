"""The type of whoever acts: a signed-in person or a visitor.

`request.user` is one of the two (django-stubs types it so), and every service, selector,
workflow and permission function takes it as it comes. A function that writes on behalf of
"no one, the system" (a management command, an import, a receiver) takes `Actor | None`; one
that only a signed-in person can reach takes `User`.

accounts is the lowest layer that knows the user model, so every app may import this.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from torget.accounts.models import User

Actor: TypeAlias = User | AnonymousUser

__all__ = ["Actor", "AnonymousUser", "User"]


def user_or_none(actor: Actor | None) -> User | None:
    """Whom to store as having done something: the signed-in user, else no one.

    A visitor is stored as no one, as `audit.record` does; the services' permission checks
    refuse visitors before any write that names its author, so in practice this only tells
    the type checker what those checks already ensured."""
    return actor if isinstance(actor, User) else None


def signed_in(actor: Actor) -> User:
    """The user behind a page that only signed-in people reach (`login_required`): what
    the decorator ensured, said so the type checker sees it too. A visitor is refused."""
    if not isinstance(actor, User):
        raise PermissionDenied
    return actor
