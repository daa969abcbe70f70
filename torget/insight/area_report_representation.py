"""Representativeness in the utskott's area report: who took part in the area's public
dialogues of the period, per age band, against the area's population (suppressed as on the
representativeness pages)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from torget.insight.area_report import AreaReport, Section
from torget.insight.representation import representation_summary


def representation_section(report: AreaReport) -> Section | None:
    summary = representation_summary(report.area, (report.period.start, report.period.end))
    if summary is None:
        return None
    rows: list[tuple[str, ...]] = []
    for breakdown in summary.breakdowns:
        if breakdown.key != "age_band":
            continue
        for row in breakdown.groups:
            participants = (
                "–" if row.participant_percent is None else f"{row.participant_percent} %"
            )
            population = "–" if row.population_percent is None else f"{row.population_percent} %"
            rows.append(
                (
                    row.label,
                    row.total.text,
                    participants,
                    population,
                    _("för få") if row.under_reached else "",
                )
            )
    lead = _(
        "%(count)s deltaganden i områdets dialoger under perioden. Antal under 5 visas som "
        "”färre än 5”."
    ) % {"count": summary.total.text}
    return Section(
        title=_("Representativitet"),
        lead=lead,
        headings=(
            _("Åldersgrupp"),
            _("Deltagare"),
            _("Andel av deltagarna"),
            _("Andel av befolkningen"),
            _("Nådd"),
        ),
        rows=rows,
    )
