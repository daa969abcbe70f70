from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        from torget.forum import permissions  # noqa: F401 (registers its rules)
        from torget.forum import moderation_notices  # noqa: F401 (the ban's notice kind)
        from torget.forum import demo_moderation  # noqa: F401 (a ban and a result item)
        from torget.dialogues import sections as dialogue_sections
        from torget.forum import staff_views

        dialogue_sections.register(dialogue_sections.STAFF, staff_views.staff_section, order=27)
