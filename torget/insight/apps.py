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
