from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "torget.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        # build: the surveys of a dialogue on its staff and public pages
        from torget.dialogues import sections
        from torget.surveys import (
            builder_views,
            notices,  # noqa: F401 (registers its notice kinds; answer)
            permissions,  # noqa: F401 (registers its rules)
        )

        sections.register(sections.STAFF, builder_views.staff_section, order=15)
        sections.register(sections.PUBLIC, builder_views.public_section, order=15)
