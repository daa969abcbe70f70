from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role


class MeetingsConfig(AppConfig):
    name = "torget.meetings"
    label = "meetings"
    verbose_name = _("Dialogmöten")
    role_permissions = {
        # The coordinator of the utskott's work at the kommunkansli: every utskott's meetings.
        Role.UTSKOTT_COORDINATOR: ["meetings.prepare_utskott_meetings"],
    }

    def ready(self) -> None:
        from torget.dialogues import calendar, sections
        from torget.meetings import (
            notices,  # noqa: F401 (registers its notice kinds)
            permissions,  # noqa: F401 (registers rules)
            public_views,
            staff_views,
        )
        from torget.meetings.selectors import meeting_entries
        from torget.organisation import sections as body_sections

        calendar.register(meeting_entries)
        body_sections.register(public_views.body_section, order=10)
        sections.register(sections.PUBLIC, public_views.dialogue_section, order=10)
        sections.register(sections.STAFF, staff_views.dialogue_section, order=10)
