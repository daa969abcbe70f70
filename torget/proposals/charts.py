"""Server-rendered SVG charts for proposal pages: no JavaScript, no third-party library.

The chart is an image with a title and a description for screen readers; the page also gives
the same numbers as a table (WCAG 1.1.1), so the chart never carries information alone.
"""

import datetime

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
HEIGHT = 220
LEFT = 40  # room for the y-axis labels
BOTTOM = 28  # room for the first and last date
TOP = 12
RIGHT = 8


def _nice_max(value: int) -> int:
    """A round top for the y axis (1, 2, 5, 10, 20, 50, …) at or above the largest bar."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def supports_per_day_svg(
    days: list[tuple[datetime.date, int]], *, chart_id: str = "stod-per-dag"
) -> SafeString:
    """Bars of supports per day. `days` holds every day of the period so far, zeros too."""
    if not days:
        return SafeString("")
    total = sum(count for _day, count in days)
    top = _nice_max(max(count for _day, count in days))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    gap = min(2.0, slot * 0.2)
    bars = []
    for index, (day, count) in enumerate(days):
        if not count:
            continue
        h = plot_h * count / top
        label = ngettext("%(day)s: %(count)d stöd", "%(day)s: %(count)d stöd", count) % {
            "day": date_format(day, "j F"),
            "count": count,
        }
        bars.append(
            (
                f"{LEFT + index * slot + gap / 2:.2f}",
                f"{TOP + plot_h - h:.2f}",
                f"{max(slot - gap, 0.5):.2f}",
                f"{h:.2f}",
                label,
            )
        )
    busiest_day, busiest = max(days, key=lambda item: item[1])
    title = _("Stöd per dag")
    if total:
        description = ngettext(
            "%(total)d stöd under %(days)d dagar, från %(first)s till %(last)s. Flest stöd kom %(busiest_day)s: %(busiest)d.",
            "%(total)d stöd under %(days)d dagar, från %(first)s till %(last)s. Flest stöd kom %(busiest_day)s: %(busiest)d.",
            total,
        ) % {
            "total": total,
            "days": len(days),
            "first": date_format(days[0][0], "j F Y"),
            "last": date_format(days[-1][0], "j F Y"),
            "busiest_day": date_format(busiest_day, "j F"),
            "busiest": busiest,
        }
    else:
        description = _("Inga stöd ännu.")
    baseline = TOP + plot_h
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="chart__axis" aria-hidden="true">'
        '<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" class="chart__grid"/>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<text x="{label_x}" y="{top_text}" text-anchor="end">{ymax}</text>'
        '<text x="{label_x}" y="{base}" text-anchor="end">0</text>'
        '<text x="{left}" y="{date_y}">{first}</text>'
        '<text x="{right}" y="{date_y}" text-anchor="end">{last}</text>'
        "</g>"
        '<g class="chart__bars">{bars}</g>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        base=baseline,
        label_x=LEFT - 6,
        top_text=TOP + 4,
        ymax=top,
        date_y=HEIGHT - 8,
        first=date_format(days[0][0], "j b"),
        last=date_format(days[-1][0], "j b"),
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            bars,
        ),
    )
