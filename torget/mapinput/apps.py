from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapinputConfig(AppConfig):
    name = "torget.mapinput"
    label = "mapinput"
    verbose_name = _("Interaktiv karta")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.mapinput import (
            permissions,  # noqa: F401 (registers its rules)
            public_views,
        )

        sections.register(sections.PUBLIC, public_views.public_section, order=22)
