from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        import torget.forum.demo_moderation  # noqa: F401 (a ban and a result item in the demo)
        import torget.forum.moderation_notices  # noqa: F401 (the ban's notice kind)
        from torget.dialogues import sections as dialogue_sections
        from torget.forum import permissions  # noqa: F401 (registers its rules)
        from torget.forum.staff_views import staff_section

        dialogue_sections.register(dialogue_sections.STAFF, staff_section, order=27)
