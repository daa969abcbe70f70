from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "torget.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from torget.surveys import (
            notices,  # noqa: F401 (registers its notice kinds; answer)
            permissions,  # noqa: F401 (registers its rules)
        )
