from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "torget.identity"
    label = "identity"
    verbose_name = _("Identitet och folkbokföring")

    def ready(self) -> None:
        from torget.identity import checks  # noqa: F401 (registers system checks)
