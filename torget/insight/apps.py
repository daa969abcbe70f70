from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Insikt: who took part against the population, the dashboards, and the utskott's area
    report."""

    name = "torget.insight"
    label = "insight"
    verbose_name = _("Insikt och statistik")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.insight import representation_sources, representation_views

        # Representativeness: the participation sources, and a link on the dialogue's page.
        representation_sources.register_process_sources()
        sections.register(sections.PUBLIC, representation_views.public_section, order=80)
        sections.register(sections.STAFF, representation_views.staff_section, order=80)
        from torget.insight import (  # noqa: F401 (register their rules and notice kinds)
            area_report,
            area_report_notices,
            area_report_representation,
            permissions,
        )

        # The area report shows the area's representativeness as one of its sections.
        area_report.register_section(area_report_representation.representation_section)
