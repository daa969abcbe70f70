from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "torget.meetings"
    label = "meetings"
    verbose_name = _("Dialogmöten")

    def ready(self) -> None:
        from torget.dialogues import calendar
        from torget.meetings.selectors import meeting_entries

        calendar.register(meeting_entries)
