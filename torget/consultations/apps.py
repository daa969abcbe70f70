from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "torget.consultations"
    label = "consultations"
    verbose_name = _("Samråd om alternativ")

    def ready(self) -> None:
        from torget.consultations import notices, views  # noqa: F401 (notices: kinds)
        from torget.dialogues import sections

        sections.register(sections.STAFF, views.staff_section, order=25)
        sections.register(sections.PUBLIC, views.public_section, order=15)
