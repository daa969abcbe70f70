"""Server-rendered SVG charts for the statistics pages: no JavaScript, no third-party library.

Like the proposal charts, each chart is an image with a title and a description for screen
readers, each bar has its own <title> (shown on hover), and the page gives the same numbers
as a table beside it (WCAG 1.1.1), so the chart never carries information alone.
"""

import datetime
import math

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from torget.feedback.statistics import Row

WIDTH = 640
TOP = 12
RIGHT = 8
MAX_BARS = 15  # categories drawn one by one; the rest share one bar (the table has them all)


def nice_max(value: int) -> int:
    """A round top for the axis (1, 2, 5, 10, 20, 50, …) at or above the largest bar."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _cases(count: int) -> str:
    return ngettext("%(count)d ärende", "%(count)d ärenden", count) % {"count": count}


def _svg(
    *, chart_id: str, height: int, title: str, description: str, axis: SafeString, bars: SafeString
) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="chart__axis" aria-hidden="true">{axis}</g>'
        '<g class="chart__bars">{bars}</g>'
        "</svg>",
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        axis=axis,
        bars=bars,
    )


def months_svg(
    months: list[tuple[datetime.date, int]], *, chart_id: str = "arenden-per-manad"
) -> SafeString:
    """Vertical bars of cases received per month; `months` holds every month, zeros too."""
    if not months:
        return SafeString("")
    height, left, bottom = 236, 40, 44  # two lines under the bars: months, then years
    total = sum(count for _month, count in months)
    top = nice_max(max(count for _month, count in months))
    plot_w = WIDTH - left - RIGHT
    plot_h = height - TOP - bottom
    slot = plot_w / len(months)
    gap = min(6.0, slot * 0.25)
    baseline = TOP + plot_h
    every = math.ceil(len(months) / 12)  # at most about 12 month labels
    bars, labels = [], []
    labelled_year = None
    for index, (month, count) in enumerate(months):
        x = left + index * slot
        if index % every == 0:
            centre = f"{x + slot / 2:.2f}"
            labels.append((centre, baseline + 16, date_format(month, "b")))
            if month.year != labelled_year:  # the year under the first month shown of each
                labels.append((centre, baseline + 32, f"{month:%Y}"))
                labelled_year = month.year
        if not count:
            continue
        h = plot_h * count / top
        bars.append(
            (
                f"{x + gap / 2:.2f}",
                f"{baseline - h:.2f}",
                f"{max(slot - gap, 0.5):.2f}",
                f"{h:.2f}",
                f"{date_format(month, 'F Y')}: {_cases(count)}",
            )
        )
    if total:
        busiest_month, busiest = max(months, key=lambda item: item[1])
        description = _(
            "%(total)s från %(first)s till %(last)s. Flest kom i %(busiest_month)s: %(busiest)s."
        ) % {
            "total": _cases(total),
            "first": date_format(months[0][0], "F Y"),
            "last": date_format(months[-1][0], "F Y"),
            "busiest_month": date_format(busiest_month, "F Y"),
            "busiest": busiest,
        }
    else:
        description = _("Inga ärenden under perioden.")
    axis = format_html(
        '<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" class="chart__grid"/>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<text x="{label_x}" y="{top_text}" text-anchor="end">{ymax}</text>'
        '<text x="{label_x}" y="{base}" text-anchor="end">0</text>{labels}',
        left=left,
        right=WIDTH - RIGHT,
        top=TOP,
        base=baseline,
        label_x=left - 6,
        top_text=TOP + 4,
        ymax=top,
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )
    return _svg(
        chart_id=chart_id,
        height=height,
        title=_("Ärenden per månad"),
        description=description,
        axis=axis,
        bars=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', bars
        ),
    )


def _shorten(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rows_svg(rows: list[Row], *, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per row (a category, say), largest first, each with its name and
    number. More than MAX_BARS rows: the smallest share one bar."""
    if not rows:
        return SafeString("")
    shown = list(rows)
    if len(shown) > MAX_BARS:
        rest = shown[MAX_BARS - 1 :]
        shown = shown[: MAX_BARS - 1] + [
            Row(
                label=_("Övriga (%(count)d)") % {"count": len(rest)},
                count=sum(row.count for row in rest),
            )
        ]
    left, row_h, bottom = 250, 26, 8
    height = TOP + row_h * len(shown) + bottom
    top = nice_max(max(row.count for row in shown))
    plot_w = WIDTH - left - RIGHT - 48  # room for the number after the longest bar
    bars, labels = [], []
    for index, row in enumerate(shown):
        y = TOP + index * row_h
        w = plot_w * row.count / top
        text_y = f"{y + row_h / 2 + 4:.2f}"
        labels.append((f"{left - 8}", text_y, "end", _shorten(row.label)))
        labels.append((f"{left + w + 6:.2f}", text_y, "start", str(row.count)))
        bars.append(
            (
                left,
                f"{y + 4:.2f}",
                f"{max(w, 0.5):.2f}",
                row_h - 8,
                f"{row.label}: {_cases(row.count)}",
            )
        )
    largest = rows[0]
    description = _("%(groups)s, sammanlagt %(total)s. Flest: %(largest)s, %(count)s.") % {
        "groups": ngettext("%(count)d grupp", "%(count)d grupper", len(rows))
        % {"count": len(rows)},
        "total": _cases(sum(row.count for row in rows)),
        "largest": largest.label,
        "count": _cases(largest.count),
    }
    axis = format_html(
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>{labels}',
        left=left,
        top=TOP,
        bottom=height - bottom,
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="{}">{}</text>', labels),
    )
    return _svg(
        chart_id=chart_id,
        height=height,
        title=title,
        description=description,
        axis=axis,
        bars=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', bars
        ),
    )
