from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "torget.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.surveys import (
            builder_views,
            notices,  # noqa: F401 (registers its notice kinds; answer)
            permissions,  # noqa: F401 (registers its rules)
            results_demo,  # noqa: F401 (registers the demo loader "survey-results")
            results_views,
        )

        # The surveys of a dialogue on its staff and public pages, and the published
        # summaries on the public page.
        sections.register(sections.STAFF, builder_views.staff_section, order=15)
        sections.register(sections.PUBLIC, builder_views.public_section, order=15)
        sections.register(sections.PUBLIC, results_views.dialogue_section, order=17)
