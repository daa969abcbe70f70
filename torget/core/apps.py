from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "torget.core"
    label = "core"
    verbose_name = _("Webbplatsen")

    def ready(self) -> None:
        from torget.core import inputs

        inputs.install()
