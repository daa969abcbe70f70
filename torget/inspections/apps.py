from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "torget.inspections"
    label = "inspections"
    verbose_name = _("Trygghetsbesiktningar")

    def ready(self) -> None:
        from torget.feedback import links
        from torget.inspections import (
            notices,  # noqa: F401 (registers its notice kinds)
            permissions,  # noqa: F401 (registers its rules)
            selectors,
        )
        from torget.meetings import minutes

        # Done protocols on the agenda of the utskott's next meeting.
        minutes.register_minutes_source(selectors.protocols_to_utskott)

        # The walks in the public calendar and its iCalendar feed ("gå med oss").
        from torget.dialogues import calendar

        calendar.register(selectors.calendar_entries)

        # A fault report made from a finding links back to it on the case's staff page.
        links.register_case_link(_finding_of_case)

    def on_tick(self) -> dict[str, Any]:
        """The notifications worker's sweep: warn the coordinators of a season that ends
        within four weeks with no inspection planned (once a council and season)."""
        from torget.inspections.invitations import season_warnings_send

        return {"season_warnings": season_warnings_send()}


def _finding_of_case(case: Any) -> list[Any]:
    from django.utils.translation import gettext as _

    from torget.feedback.links import CaseLink
    from torget.inspections.models import Finding

    finding = Finding.objects.filter(case=case).select_related("inspection__council").first()
    if finding is None:
        return []
    label = _("Fynd vid trygghetsbesiktningen med %(council)s %(date)s") % {
        "council": finding.inspection.council.name,
        "date": f"{finding.inspection.date:%Y-%m-%d}",
    }
    return [CaseLink(label=label, url=finding.get_absolute_url())]
