from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        from torget.forum import permissions  # noqa: F401 (registers its rules)

        self.ready_public()

    def ready_public(self) -> None:
        """The forum's section on the dialogue's public page."""
        from torget.dialogues import sections
        from torget.forum import public_views

        sections.register(sections.PUBLIC, public_views.public_section, order=17)
