from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "torget.evaluation"
    label = "evaluation"
    verbose_name = _("Utvärdering")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.evaluation import notices, views  # noqa: F401 (notices: registers kinds)

        sections.register(sections.STAFF, views.staff_section, order=30)
        sections.register(sections.PUBLIC, views.public_section, order=30)
