from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "torget.safety"
    label = "safety"
    verbose_name = _("Trygghet")

    def ready(self) -> None:
        from torget.safety import permissions  # noqa: F401 (registers its rules)
