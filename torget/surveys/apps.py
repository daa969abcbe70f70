from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "torget.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.surveys import (
            permissions,  # noqa: F401 (registers its rules)
            results_demo,  # noqa: F401 (registers the demo loader "survey-results")
            results_views,
        )

        # results: the published summaries on the dialogue's public page.
        sections.register(sections.PUBLIC, results_views.dialogue_section, order=17)
