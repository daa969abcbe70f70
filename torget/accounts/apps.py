from django.apps import AppConfig
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
