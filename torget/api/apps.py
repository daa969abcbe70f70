from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public read API (/api/v1/): what every capability publishes, for other systems."""

    name = "torget.api"
    label = "api"
    verbose_name = _("Öppet API")

    def ready(self) -> None:
        from torget.api import registry

        registry.register_all()
