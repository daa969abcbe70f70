from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        from torget.forum import permissions  # noqa: F401 (registers its rules)
