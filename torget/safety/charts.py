"""Server-side SVG charts of the survey trends: one line per answer option over the years,
with a <title> and a <desc> that say what the chart shows (the page puts the same numbers
in a table beside it). No JavaScript.

The colours all have a contrast of at least 4.5:1 against white, and each line also has its
own marker shape and dash pattern, so the lines can be told apart without colour."""

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# (colour, dash pattern, marker): contrast on white 8.6, 5.7, 7.3, 8.1, 21, 6.1 to 1.
STYLES = [
    ("#1d4f91", "", "circle"),
    ("#a84300", "6 3", "square"),
    ("#256b2f", "2 3", "triangle"),
    ("#6b2c91", "8 3 2 3", "diamond"),
    ("#1a1a1a", "1 2", "circle"),
    ("#7a5a00", "4 2", "square"),
]
WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
LEGEND_LINE = 20
# Room between the axis and the first and last year's points.
PAD = 28


def _number(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
            f'fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def trend_chart(trend: Any) -> SafeString:
    """The chart of one question's trend (selectors.QuestionTrend) as inline SVG."""
    years: list[int] = trend.years
    options: list[str] = trend.options
    legend_height = LEGEND_LINE * len(options) + 8
    height = HEIGHT + legend_height
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = (plot_w - 2 * PAD) / max(len(years) - 1, 1)

    def x_of(index: int) -> float:
        return LEFT + (PAD + index * step if len(years) > 1 else plot_w / 2)

    def y_of(share: Decimal) -> float:
        return TOP + plot_h - float(share) / 100 * plot_h

    title = _("%(question)s – %(area)s") % {"question": trend.question, "area": trend.area.name}
    described = []
    for option in options:
        values = ", ".join(
            f"{year}: {_number(trend.shares[option][year])} %"
            for year in years
            if trend.shares[option].get(year) is not None
        )
        described.append(f"{option}: {values}")
    desc = _("Andel som svarat vart och ett av svarsalternativen, per år. %(values)s.") % {
        "values": "; ".join(described)
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{trend.chart_id}-title {trend.chart_id}-desc">',
        f'<title id="{trend.chart_id}-title">{escape(title)}</title>',
        f'<desc id="{trend.chart_id}-desc">{escape(desc)}</desc>',
        '<g font-family="sans-serif" font-size="12" fill="#1a1a1a">',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = y_of(Decimal(tick))
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#1a1a1a" if tick == 0 else "#767676"}" stroke-width="{1 if tick == 0 else 0.5}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick} %</text>'
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{year}</text>'
        )
    for number, option in enumerate(options):
        colour, dash, marker = STYLES[number % len(STYLES)]
        points = [
            (x_of(index), y_of(share))
            for index, year in enumerate(years)
            if (share := trend.shares[option].get(year)) is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        parts.extend(_marker(marker, x, y, colour) for x, y in points)
        legend_y = HEIGHT + LEGEND_LINE * number + 4
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{LEFT}" y1="{legend_y:.1f}" x2="{LEFT + 28}" y2="{legend_y:.1f}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            + _marker(marker, LEFT + 14, legend_y, colour)
            + f'<text x="{LEFT + 36}" y="{legend_y + 4:.1f}">{escape(option)}</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
