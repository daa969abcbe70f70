from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Insikt: who took part against the population, the dashboards, and the utskott's area
    report."""

    name = "torget.insight"
    label = "insight"
    verbose_name = _("Insikt och statistik")

    def ready(self) -> None:
        from torget.insight import (  # noqa: F401 (register their rules and notice kinds)
            area_report_notices,
            permissions,
        )
