from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "torget.inspections"
    label = "inspections"
    verbose_name = _("Trygghetsbesiktningar")

    def ready(self) -> None:
        from torget.inspections import permissions  # noqa: F401 (registers its rules)
