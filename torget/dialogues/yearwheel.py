"""Year planning (seed 004 §2): each förvaltning's annual plan (*verksamhetsplan*) of
prioritised dialogues, and the municipal director's shared year wheel (*årshjul*) of dialogues
of special weight.

The wheel is drawn here as a server-side SVG: twelve month sectors, January at the top and
clockwise, and each dialogue as an arc over the months it runs, in concentric rings so that no
two arcs overlap. Colour shows the status group, and each group also has its own fill pattern
and each arc its number (the same as in the list), so colour is never the only cue. The page
gives the same dialogues as a list month by month (WCAG 1.1.1); that list is the primary
content and the only place with links (an image, role="img", must hold no interactive
elements, so the arcs are not links).
"""

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from torget.dialogues.models import FINISHED, NOT_PUBLIC, ONGOING, Dialogue, Status

# --- Status groups: colour, pattern and words ------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise
    colour: str  # at least 3:1 against white (WCAG 1.4.11)
    pattern: str  # "solid", "stripes", "dots", "cross" or "lines"
    order: int


INITIATIVE_GROUP = Group("initiativ", gettext_lazy("Initiativ, ej beslutat"), "#5a2d82", "cross", 0)
PLANNED_GROUP = Group("planeras", gettext_lazy("Beslutad eller planeras"), "#0b4f8a", "stripes", 1)
ONGOING_GROUP = Group("pagar", gettext_lazy("Pågår"), "#1d6b2f", "solid", 2)
FINISHED_GROUP = Group("avslutad", gettext_lazy("Genomförd"), "#4a4a55", "dots", 3)
STOPPED_GROUP = Group("stoppad", gettext_lazy("Inställd eller avslag"), "#9a3412", "lines", 4)
GROUPS = (INITIATIVE_GROUP, PLANNED_GROUP, ONGOING_GROUP, FINISHED_GROUP, STOPPED_GROUP)


def status_group(status: str) -> Group:
    if status in (Status.CANCELLED, Status.DECLINED):
        return STOPPED_GROUP
    if status in NOT_PUBLIC:
        return INITIATIVE_GROUP
    if status in ONGOING:
        return ONGOING_GROUP
    if status in FINISHED:
        return FINISHED_GROUP
    return PLANNED_GROUP


# --- Which dialogues, and when ---------------------------------------------------------------


def area_with_descendants(area: Any) -> set[int]:
    """The area's id and those of every area that lies in it, at any depth."""
    from torget.geo.models import Area

    ids = {area.pk}
    frontier = [area.pk]
    while frontier:
        children = Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in children if pk not in ids]
        ids.update(frontier)
    return ids


def filter_dialogues(
    dialogues: QuerySet[Dialogue], *, body: Any = None, area: Any = None
) -> QuerySet[Dialogue]:
    """By political body (the one that decides or the one the initiative came from) and by
    area (the area itself and the areas within it)."""
    if body is not None:
        dialogues = dialogues.filter(Q(deciding_body=body) | Q(initiating_body=body))
    if area is not None:
        dialogues = dialogues.filter(areas__in=area_with_descendants(area)).distinct()
    return dialogues


def period(dialogue: Dialogue) -> tuple[datetime.date, datetime.date] | None:
    """The months a dialogue runs: from its start to its end or, without an end, to the date
    the decision is expected. One date alone is one month; no date at all, no period."""
    end = dialogue.ends_on or dialogue.decision_expected_on
    start = dialogue.starts_on or end
    if start is None:
        return None
    end = max(end or start, start)
    return start, end


def _year_candidates(dialogues: QuerySet[Dialogue], year: int) -> QuerySet[Dialogue]:
    """A first cut in the database; `period` decides exactly."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    touches = (
        Q(starts_on__range=(first, last))
        | Q(ends_on__range=(first, last))
        | Q(decision_expected_on__range=(first, last))
        | Q(starts_on__lt=first, ends_on__gt=last)
        | Q(starts_on__lt=first, ends_on__isnull=True, decision_expected_on__gt=last)
    )
    undated = Q(
        plan_year=year, starts_on__isnull=True, ends_on__isnull=True, decision_expected_on=None
    )
    return dialogues.filter(touches | undated)


@dataclass
class WheelEntry:
    """One dialogue in the wheel of one year."""

    dialogue: Dialogue
    url: str
    group: Group
    year: int
    start: datetime.date | None = None
    end: datetime.date | None = None
    first_month: int = 0  # 1–12 within the wheel's year; 0 when not dated
    last_month: int = 0
    ring: int = 0
    number: int = 0

    @property
    def dated(self) -> bool:
        return self.start is not None

    @property
    def starts_before(self) -> bool:
        return self.start is not None and self.start.year < self.year

    @property
    def continues_after(self) -> bool:
        return self.end is not None and self.end.year > self.year

    def in_month(self, month: int) -> bool:
        return self.dated and self.first_month <= month <= self.last_month

    def period_text(self) -> str:
        if self.start is None or self.end is None:
            return str(_("Ej tidsatt"))
        if self.start == self.end:
            return date_format(self.start, "j F Y")
        return _("%(start)s–%(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }

    def description(self) -> str:
        return _("%(number)s. %(title)s. %(status)s, %(period)s.") % {
            "number": self.number,
            "title": self.dialogue.title,
            "status": Status(self.dialogue.status).label,
            "period": self.period_text(),
        }


@dataclass
class Month:
    number: int
    first_day: datetime.date
    entries: list[WheelEntry] = field(default_factory=list)


@dataclass
class YearWheel:
    year: int
    entries: list[WheelEntry]  # dated, numbered, in order of start
    undated: list[WheelEntry]
    rings: int
    chart_id: str

    @property
    def months(self) -> list[Month]:
        months = [Month(m, datetime.date(self.year, m, 1)) for m in range(1, 13)]
        for entry in self.entries:
            for month in months[entry.first_month - 1 : entry.last_month]:
                month.entries.append(entry)
        return months

    @property
    def groups(self) -> list[Group]:
        """The groups that appear (for the legend), in their order."""
        present = {entry.group for entry in self.entries + self.undated}
        return sorted(present, key=lambda group: group.order)

    @property
    def count(self) -> int:
        return len(self.entries) + len(self.undated)

    def svg(self) -> SafeString:
        return wheel_svg(self)

    def legend(self) -> list[tuple[Group, SafeString]]:
        return [(group, swatch_svg(group)) for group in self.groups]


def _assign_rings(entries: list[WheelEntry]) -> int:
    """Interval partitioning: each arc goes to the innermost free ring, so none overlap."""
    ends: list[int] = []  # last month taken in each ring
    for entry in entries:
        for ring, last in enumerate(ends):
            if last < entry.first_month:
                entry.ring, ends[ring] = ring, entry.last_month
                break
        else:
            entry.ring = len(ends)
            ends.append(entry.last_month)
    return len(ends)


def year_wheel(
    dialogues: QuerySet[Dialogue],
    *,
    year: int,
    url: Callable[[Dialogue], str] = Dialogue.get_absolute_url,
    chart_id: str = "arshjul",
) -> YearWheel:
    """The dialogues of special weight that run some time in `year` (an undated one counts
    in its plan year). `dialogues` is already narrowed to what the viewer may see."""
    candidates = (
        _year_candidates(dialogues.filter(special_weight=True), year)
        .select_related("deciding_body", "initiating_body", "administration")
        .order_by("starts_on", "title", "pk")
    )
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    entries, undated = [], []
    for dialogue in candidates:
        entry = WheelEntry(
            dialogue=dialogue, url=url(dialogue), group=status_group(dialogue.status), year=year
        )
        span = period(dialogue)
        if span is None:
            if dialogue.plan_year == year:
                undated.append(entry)
            continue
        start, end = span
        if end < first or start > last:
            continue
        entry.start, entry.end = start, end
        entry.first_month = start.month if start >= first else 1
        entry.last_month = end.month if end <= last else 12
        entries.append(entry)
    entries.sort(key=lambda e: (e.first_month, -e.last_month, e.dialogue.title, e.dialogue.pk))
    for number, entry in enumerate(entries, start=1):
        entry.number = number
    undated.sort(key=lambda e: (e.dialogue.plan_priority or 10_000, e.dialogue.title))
    rings = _assign_rings(entries)
    return YearWheel(year=year, entries=entries, undated=undated, rings=rings, chart_id=chart_id)


# --- Annual plans ----------------------------------------------------------------------------


@dataclass
class AnnualPlan:
    administration: Any
    dialogues: list[Dialogue]


def annual_plans(dialogues: QuerySet[Dialogue], *, year: int) -> list[AnnualPlan]:
    """Each förvaltning's dialogues for the year, by priority (1 first; unprioritised last)."""
    rows = (
        dialogues.filter(plan_year=year, administration__isnull=False)
        .select_related("administration", "deciding_body", "initiating_body")
        .order_by(
            "administration__name",
            "administration_id",
            F("plan_priority").asc(nulls_last=True),
            "title",
            "pk",
        )
    )
    plans: list[AnnualPlan] = []
    for dialogue in rows:
        if not plans or plans[-1].administration.pk != dialogue.administration_id:
            plans.append(AnnualPlan(administration=dialogue.administration, dialogues=[]))
        plans[-1].dialogues.append(dialogue)
    return plans


# --- Drawing ---------------------------------------------------------------------------------

SIZE = 600
CENTRE = SIZE / 2
R_LABEL = 282  # month names
R_OUT = 264  # outer edge of the month sectors
R_IN = 84  # inner edge; the year is written inside
MAX_RING = 28
PAD_DEGREES = 1.2  # a little air between arcs that meet
INK = "#1b1b1f"


def _point(radius: float, degrees: float) -> str:
    """A point on the circle, angles clockwise from twelve o'clock."""
    radians = math.radians(degrees)
    return f"{CENTRE + radius * math.sin(radians):.2f} {CENTRE - radius * math.cos(radians):.2f}"


def _sector(inner: float, outer: float, start: float, end: float) -> str:
    """An annular sector from `start` to `end` degrees; a whole turn is a full ring."""
    if end - start >= 359.99:
        return (
            f"M {_point(outer, 0)} A {outer:.2f} {outer:.2f} 0 1 1 {_point(outer, 180)} "
            f"A {outer:.2f} {outer:.2f} 0 1 1 {_point(outer, 0)} Z "
            f"M {_point(inner, 0)} A {inner:.2f} {inner:.2f} 0 1 0 {_point(inner, 180)} "
            f"A {inner:.2f} {inner:.2f} 0 1 0 {_point(inner, 0)} Z"
        )
    large = 1 if end - start > 180 else 0
    return (
        f"M {_point(outer, start)} A {outer:.2f} {outer:.2f} 0 {large} 1 {_point(outer, end)} "
        f"L {_point(inner, end)} A {inner:.2f} {inner:.2f} 0 {large} 0 {_point(inner, start)} Z"
    )


def _patterns(prefix: str, groups: Iterable[Group]) -> SafeString:
    parts = []
    for group in groups:
        pid, c = f"{prefix}-{group.key}", group.colour
        if group.pattern == "stripes":
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/><rect width="5" height="8" fill="{}"/>', c
            )
            rotate = True
        elif group.pattern == "dots":
            body = format_html(
                '<rect width="8" height="8" fill="{}"/><circle cx="4" cy="4" r="1.6" fill="#fff"/>',
                c,
            )
            rotate = False
        elif group.pattern == "cross":
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/>'
                '<path d="M 0 0 L 8 8 M 8 0 L 0 8" stroke="{}" stroke-width="2.4"/>',
                c,
            )
            rotate = False
        elif group.pattern == "lines":
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/><rect width="8" height="4" fill="{}"/>', c
            )
            rotate = False
        else:
            body = format_html('<rect width="8" height="8" fill="{}"/>', c)
            rotate = False
        template = (
            '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse"'
            + (' patternTransform="rotate(45)"' if rotate else "")
            + ">{}</pattern>"
        )
        parts.append(format_html(template, pid, body))
    return format_html_join("", "{}", ((part,) for part in parts))


def swatch_svg(group: Group, *, prefix: str = "teckenforklaring") -> SafeString:
    """A small square in the group's colour and pattern, for the legend beside its name."""
    return format_html(
        '<svg class="year-wheel__swatch" viewBox="0 0 24 24" width="24" height="24" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        "<defs>{}</defs>"
        '<rect x="1" y="1" width="22" height="22" fill="url(#{}-{})" stroke="{}"/></svg>',
        _patterns(prefix, [group]),
        prefix,
        group.key,
        INK,
    )


def _description(wheel: YearWheel) -> str:
    counts = ", ".join(
        f"{group.label}: {sum(1 for e in wheel.entries if e.group == group)}"
        for group in wheel.groups
        if any(e.group == group for e in wheel.entries)
    )
    text = ngettext(
        "%(count)d tidsatt dialog av särskild tyngd under %(year)d.",
        "%(count)d tidsatta dialoger av särskild tyngd under %(year)d.",
        len(wheel.entries),
    ) % {"count": len(wheel.entries), "year": wheel.year}
    if counts:
        text += f" {counts}."
    return text + " " + _("Listan under bilden visar samma dialoger månad för månad.")


def wheel_svg(wheel: YearWheel) -> SafeString:
    cid = wheel.chart_id
    ring_w = min(MAX_RING, (R_OUT - R_IN - 6) / max(wheel.rings, 1))
    sectors, labels = [], []
    for index in range(12):
        sectors.append(
            (
                _sector(R_IN, R_OUT, index * 30, (index + 1) * 30),
                "#f3f4f7" if index % 2 == 0 else "#ffffff",
            )
        )
        x, y = _point(R_LABEL, index * 30 + 15).split()
        labels.append(
            (x, f"{float(y) + 5:.2f}", date_format(datetime.date(wheel.year, index + 1, 1), "b"))
        )
    arcs = []
    for entry in wheel.entries:
        outer = R_OUT - 3 - entry.ring * ring_w
        inner = outer - ring_w + 3
        start = (entry.first_month - 1) * 30 + PAD_DEGREES
        end = entry.last_month * 30 - PAD_DEGREES
        if entry.first_month == 1 and entry.last_month == 12:
            start, end = 0.0, 360.0
        badge = SafeString("")
        if ring_w >= 14:
            # The number on a white disc, in the middle of the arc (the list has the same).
            middle = (start + end) / 2
            cx, cy = _point((inner + outer) / 2, middle).split()
            radius = min(9.0, (outer - inner) / 2)
            badge = format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}" '
                'fill="{}">{}</text>',
                cx,
                cy,
                f"{radius:.2f}",
                INK,
                cx,
                f"{float(cy) + radius * 0.4:.2f}",
                f"{radius * 1.25:.1f}",
                INK,
                entry.number,
            )
        arcs.append(
            format_html(
                '<g data-href="{url}" class="year-wheel__arc year-wheel__arc--{group}">'
                "<title>{title}</title>"
                '<path d="{d}" fill="url(#{cid}-{group})" fill-rule="evenodd" stroke="{ink}" '
                'stroke-width="1.2"/>{badge}</g>',
                url=entry.url,
                group=entry.group.key,
                title=entry.description(),
                d=_sector(inner, outer, start, end),
                cid=cid,
                ink=INK,
                badge=badge,
            )
        )
    return format_html(
        '<svg class="chart year-wheel__svg" viewBox="0 0 {size} {size}" width="100%" role="img" '
        'aria-labelledby="{cid}-title {cid}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        '<title id="{cid}-title">{title}</title><desc id="{cid}-desc">{desc}</desc>'
        "<defs>{patterns}</defs>"
        '<g class="year-wheel__months" aria-hidden="true">{sectors}'
        '<circle cx="{c}" cy="{c}" r="{r_in}" fill="#fff" stroke="#6b6b78"/>'
        '<text x="{c}" y="{year_y}" text-anchor="middle" font-size="30" font-weight="700" '
        'fill="{ink}">{year}</text>{labels}</g>'
        '<g class="year-wheel__arcs">{arcs}</g>'
        "</svg>",
        size=SIZE,
        cid=cid,
        title=_("Årshjul %(year)d") % {"year": wheel.year},
        desc=_description(wheel),
        patterns=_patterns(cid, wheel.groups),
        sectors=format_html_join(
            "", '<path d="{}" fill="{}" stroke="#6b6b78" stroke-width="1"/>', sectors
        ),
        c=CENTRE,
        r_in=R_IN,
        year_y=CENTRE + 10,
        ink=INK,
        year=wheel.year,
        labels=format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="15" fill="' + INK + '">{}</text>',
            labels,
        ),
        arcs=format_html_join("", "{}", ((arc,) for arc in arcs)),
    )
