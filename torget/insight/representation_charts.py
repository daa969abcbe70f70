"""A server-made SVG chart of representativeness: for each group, its share of the
participants beside its share of the population. No JavaScript, no library.

The chart is an image (`role="img"`) named by its <title> and described by its <desc>; every
bar has its own <title>; the page shows the same numbers in the table beside it (WCAG 1.1.1).
The participants' bars take the site's primary colour and the population's a dark grey, both
at least 3:1 against the white page, and a legend names them. A hidden count has no bar.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from torget.insight.representation import Breakdown

WIDTH = 640
LEFT = 190
RIGHT = 60
TOP = 30
GROUP_H = 34
BAR_H = 12
POPULATION_FILL = "#5c5c68"  # 6.6:1 against white


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def comparison_chart(breakdown: Breakdown, *, chart_id: str) -> SafeString:
    """Paired horizontal bars per group: participants' share (top) and population's share."""
    rows = breakdown.groups
    if not rows:
        return SafeString("")
    height = TOP + GROUP_H * len(rows) + 8
    plot_w = WIDTH - LEFT - RIGHT
    top_share = max(
        [row.population_share or 0.0 for row in rows]
        + [row.participant_share or 0.0 for row in rows]
    )
    scale = plot_w / top_share if top_share else 0.0
    labels, bars, population_bars = [], [], []
    for index, row in enumerate(rows):
        y = TOP + index * GROUP_H
        labels.append((str(LEFT - 8), f"{y + BAR_H + 4:.1f}", "end", _shorten(row.label)))
        if row.participant_share is not None:
            w = scale * row.participant_share
            bars.append(
                (
                    LEFT,
                    f"{y + 2:.1f}",
                    f"{max(w, 0.5):.1f}",
                    BAR_H,
                    _("%(group)s: %(share)s %% av deltagarna")
                    % {"group": row.label, "share": row.participant_percent},
                )
            )
            labels.append(
                (f"{LEFT + w + 4:.1f}", f"{y + BAR_H:.1f}", "start", f"{row.participant_percent} %")
            )
        else:
            labels.append((str(LEFT + 4), f"{y + BAR_H:.1f}", "start", _("antalet visas inte")))
        if row.population_share is not None:
            w = scale * row.population_share
            population_bars.append(
                (
                    LEFT,
                    f"{y + BAR_H + 4:.1f}",
                    f"{max(w, 0.5):.1f}",
                    BAR_H,
                    POPULATION_FILL,
                    _("%(group)s: %(share)s %% av befolkningen")
                    % {"group": row.label, "share": row.population_percent},
                )
            )
            labels.append(
                (
                    f"{LEFT + w + 4:.1f}",
                    f"{y + 2 * BAR_H + 4:.1f}",
                    "start",
                    f"{row.population_percent} %",
                )
            )
    under = [row.label for row in rows if row.under_reached]
    description = _(
        "Andel av deltagarna (övre stapeln) och andel av befolkningen (undre stapeln) för "
        "%(count)d grupper."
    ) % {"count": len(rows)}
    if under:
        description += " " + _("Nåddes för lite: %(groups)s.") % {"groups": ", ".join(under)}
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="chart__axis" aria-hidden="true">'
        '<rect x="{left}" y="6" width="12" height="12" fill="#0b4f8a"/>'
        '<text x="{left_key}" y="16" text-anchor="start">{participants}</text>'
        '<rect x="{left_pop}" y="6" width="12" height="12" fill="{fill}"/>'
        '<text x="{left_pop_key}" y="16" text-anchor="start">{population}</text>'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>{labels}</g>'
        '<g class="chart__bars">{bars}</g><g>{population_bars}</g></svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=breakdown.caption,
        desc=description,
        left=LEFT,
        left_key=LEFT + 16,
        left_pop=LEFT + 150,
        left_pop_key=LEFT + 166,
        fill=POPULATION_FILL,
        participants=_("Andel av deltagarna"),
        population=_("Andel av befolkningen"),
        top=TOP,
        bottom=height - 8,
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="{}">{}</text>', labels),
        bars=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', bars
        ),
        population_bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            population_bars,
        ),
    )
