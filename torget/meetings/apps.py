from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "torget.meetings"
    label = "meetings"
    verbose_name = _("Dialogmöten")

    def ready(self) -> None:
        from torget.dialogues import calendar, sections
        from torget.meetings import (
            notices,  # noqa: F401 (registers its notice kinds)
            permissions,  # noqa: F401 (registers rules)
            public_views,
            staff_views,
        )
        from torget.meetings.selectors import meeting_entries

        calendar.register(meeting_entries)
        sections.register(sections.PUBLIC, public_views.dialogue_section, order=10)
        sections.register(sections.STAFF, staff_views.dialogue_section, order=10)
