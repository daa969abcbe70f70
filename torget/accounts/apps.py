from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "torget.accounts"
    label = "accounts"
    verbose_name = _("Konton och roller")

    def ready(self) -> None:
        from torget.accounts import permissions, roles  # noqa: F401 (registers rules)

        # Roles are groups kept in step with the code after every migrate, so a new
        # permission in a later app reaches its roles without a hand-written data migration.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="torget.accounts.roles")
        user_logged_in.connect(_session_started, dispatch_uid="torget.accounts.session_started")


def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from torget.accounts import middleware, reauth

    if request is not None and hasattr(request, "session"):
        middleware.session_started(request, user)
        reauth.mark_fresh(request)
