"""Server-side SVG charts for the dashboards and the area report: no JavaScript, no library.

Every chart is an inline SVG with role="img", a <title> and a <desc> that say what it shows,
and the page puts the same numbers in a table beside it (`insight/dashboard/_chart.html`), so
the picture never carries information alone (WCAG 1.1.1, 1.4.1). Three kinds:

* `bar_chart`: horizontal bars, one per row (a count per category, area, body …);
* `column_chart`: columns over time (per month or quarter), zeros included;
* `area_map`: a choropleth of the areas' polygons, projected here on the server from their
  GeoJSON (WGS 84), each area with its own <title>, and a legend of the classes.

Colours have a contrast of at least 3:1 against white (WCAG 1.4.11); the map's classes also
differ in lightness, so they can be told apart in greyscale.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR_COLOUR = "#1d4f91"  # 8.6:1 on white
TEXT_COLOUR = "#1a1a1a"
# Light to dark; the lightest is outlined so that it is seen against the page.
MAP_CLASSES = ["#e8eef7", "#a9c1e2", "#5f8cc8", "#2b5ea6", "#123a6e"]
MAP_EMPTY = "#ffffff"


@dataclass(frozen=True)
class Row:
    """One line of a chart's table: what was counted, how many, and where to read more."""

    label: str
    value: int | float
    url: str = ""


@dataclass(frozen=True)
class Chart:
    """An SVG picture and the table of the same numbers; the template shows both."""

    chart_id: str
    title: str
    description: str
    svg: SafeString
    rows: list[Row]
    label_heading: str
    value_heading: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, text) of a map

    @property
    def total(self) -> int | float:
        return sum(row.value for row in self.rows)

    @property
    def is_empty(self) -> bool:
        return not any(row.value for row in self.rows)


def _f(value: float) -> str:
    return f"{value:.1f}"


def nice_max(value: float) -> int:
    """A round top for an axis (1, 2, 5, 10, 20, 50, …) at or above the largest value."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value}".replace(".", ",")
    return str(int(value))


def _describe(kind: str, title: str, rows: Sequence[Row]) -> str:
    """The <desc>: what the chart is, its largest value, and where the numbers are."""
    if not any(row.value for row in rows):
        return _("%(kind)s: %(title)s. Inga värden under perioden.") % {
            "kind": kind,
            "title": title,
        }
    top = max(rows, key=lambda row: row.value)
    return _(
        "%(kind)s: %(title)s. Störst är %(label)s med %(value)s. "
        "Alla siffror finns i tabellen bredvid."
    ) % {"kind": kind, "title": title, "label": top.label, "value": _number(top.value)}


def _open_svg(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        w=_f(width),
        h=_f(height),
        id=chart_id,
        title=title,
        desc=description,
    )


def _short(label: str, length: int = 28) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Iterable[Row],
    label_heading: str,
    value_heading: str = "",
) -> Chart:
    """Horizontal bars, in the order given (callers sort: most first, or a natural order)."""
    rows = list(rows)
    value_heading = value_heading or _("Antal")
    description = _describe(_("Stapeldiagram"), title, rows)
    label_width, bar_width, row_height, top = 220, 340, 26, 8
    width = label_width + bar_width + 60
    height = top * 2 + max(len(rows), 1) * row_height
    top_value = nice_max(max((row.value for row in rows), default=0))
    parts = [_open_svg(chart_id, width, height, title, description)]
    for index, row in enumerate(rows):
        y = top + index * row_height
        length = 0 if not row.value else max(1.0, bar_width * row.value / top_value)
        parts.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end" font-size="13" fill="{tc}">{label}'
                '</text><rect x="{bx}" y="{by}" width="{bw}" height="{bh}" fill="{c}"/>'
                '<text x="{vx}" y="{ty}" font-size="13" fill="{tc}">{value}</text>',
                lx=label_width - 8,
                ty=_f(y + 17),
                tc=TEXT_COLOUR,
                label=_short(row.label),
                bx=label_width,
                by=y + 4,
                bw=_f(length),
                bh=row_height - 8,
                c=BAR_COLOUR,
                vx=_f(label_width + length + 6),
                value=_number(row.value),
            )
        )
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 (every value above is escaped)
        rows=rows,
        label_heading=label_heading,
        value_heading=value_heading,
    )


def column_chart(
    *,
    chart_id: str,
    title: str,
    rows: Iterable[Row],
    label_heading: str,
    value_heading: str = "",
) -> Chart:
    """Columns over time, one per period (month or quarter) in order, zeros included; the
    first and last period are named under the axis, every one in the table."""
    rows = list(rows)
    value_heading = value_heading or _("Antal")
    description = _describe(_("Stapeldiagram över tid"), title, rows)
    width, height = 640, 220
    left, right, top, bottom = 40, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_max(max((row.value for row in rows), default=0))
    parts = [_open_svg(chart_id, width, height, title, description)]
    # The axis: zero and the top value.
    parts.append(
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}"/>'
            '<text x="{tx}" y="{b}" text-anchor="end" font-size="12" fill="{c}">0</text>'
            '<text x="{tx}" y="{t}" text-anchor="end" font-size="12" fill="{c}">{top}</text>',
            l=left,
            r=width - right,
            b=top + plot_h,
            t=top + 10,
            tx=left - 6,
            c=TEXT_COLOUR,
            top=top_value,
        )
    )
    if rows:
        slot = plot_w / len(rows)
        for index, row in enumerate(rows):
            column_h = plot_h * row.value / top_value if row.value else 0
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>',
                    x=_f(left + index * slot + slot * 0.15),
                    y=_f(top + plot_h - column_h),
                    w=_f(max(slot * 0.7, 1)),
                    h=_f(column_h),
                    c=BAR_COLOUR,
                )
            )
        parts.append(
            format_html(
                '<text x="{l}" y="{y}" font-size="12" fill="{c}">{first}</text>'
                '<text x="{r}" y="{y}" text-anchor="end" font-size="12" fill="{c}">{last}</text>',
                l=left,
                r=width - right,
                y=_f(height - 8),
                c=TEXT_COLOUR,
                first=rows[0].label,
                last=rows[-1].label,
            )
        )
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 (every value above is escaped)
        rows=rows,
        label_heading=label_heading,
        value_heading=value_heading,
    )


# --- The map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapArea:
    name: str
    geometry: dict[str, Any]  # GeoJSON Polygon or MultiPolygon, lon/lat
    value: int
    url: str = ""


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def class_breaks(values: Sequence[int], classes: int = len(MAP_CLASSES)) -> list[int]:
    """Upper bounds of equal-width classes from 1 to the largest value (0 is its own class,
    drawn white); fewer classes when the values are small, and never two alike."""
    top = max(values, default=0)
    if top <= 0:
        return []
    count = min(classes, top)
    bounds = sorted({math.ceil(top * (index + 1) / count) for index in range(count)})
    return bounds


def _class_of(value: int, bounds: Sequence[int]) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds) - 1


def area_map(
    *,
    chart_id: str,
    title: str,
    areas: Sequence[MapArea],
    label_heading: str,
    value_heading: str = "",
    width: int = 520,
) -> Chart:
    """A choropleth: each area's polygons, shaded by its value, with a legend of the classes.

    The projection is equirectangular with the longitude scaled by the cosine of the middle
    latitude: true enough in shape for a municipality, and computed without a library."""
    value_heading = value_heading or _("Antal")
    rows = [Row(label=area.name, value=area.value, url=area.url) for area in areas]
    description = _describe(_("Karta"), title, rows)
    rings = [
        ring
        for area in areas
        for polygon in _polygons(area.geometry)
        for ring in polygon
        if len(ring) >= 3
    ]
    if not rings:
        return Chart(
            chart_id, title, description, SafeString(""), rows, label_heading, value_heading
        )
    lons = [point[0] for ring in rings for point in ring]
    lats = [point[1] for ring in rings for point in ring]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_scale, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    pad = 8
    scale = (width - 2 * pad) / span_x
    map_h = span_y * scale
    bounds = class_breaks([area.value for area in areas])
    legend = _legend(bounds)
    legend_h = 22 * (len(legend)) + 10
    height = int(map_h + 2 * pad + legend_h)

    def point(lon: float, lat: float) -> str:
        x = pad + (lon - min_lon) * x_scale * scale
        y = pad + (max_lat - lat) * scale
        return f"{x} {y}"

    parts = [_open_svg(chart_id, width, height, title, description)]
    for area in areas:
        path = " ".join(
            "M " + " L ".join(point(lon, lat) for lon, lat, *_rest in ring) + " Z"
            for polygon in _polygons(area.geometry)
            for ring in polygon
            if len(ring) >= 3
        )
        if not path:
            continue
        colour = MAP_CLASSES[_class_of(area.value, bounds)] if area.value and bounds else MAP_EMPTY
        parts.append(
            format_html(
                '<g><title>{name}: {value}</title><path d="{d}" fill="{fill}" '
                'fill-rule="evenodd" stroke="#4a4a4a" stroke-width="1"/></g>',
                name=area.name,
                value=area.value,
                d=path,
                fill=colour,
            )
        )
    y = map_h + 2 * pad + 4
    for index, (colour, text) in enumerate(legend):
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="18" height="16" fill="{c}" stroke="#4a4a4a"/>'
                '<text x="{tx}" y="{ty}" font-size="13" fill="{tc}">{text}</text>',
                x=_f(pad),
                y=_f(y + index * 22),
                c=colour,
                tx=pad + 26,
                ty=_f(y + index * 22 + 13),
                tc=TEXT_COLOUR,
                text=text,
            )
        )
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 (every value above is escaped)
        rows=rows,
        label_heading=label_heading,
        value_heading=value_heading,
        legend=legend,
    )


def _legend(bounds: Sequence[int]) -> list[tuple[str, str]]:
    legend = [(MAP_EMPTY, _("Ingen aktivitet"))]
    low = 1
    for index, bound in enumerate(bounds):
        text = str(bound) if low == bound else f"{low}–{bound}"
        legend.append((MAP_CLASSES[index], text))
        low = bound + 1
    return legend
