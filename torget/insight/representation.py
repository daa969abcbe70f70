"""Representativeness (*representativitet*): who took part, against the population and
against the target groups the dialogue planned to reach.

What is counted: the participants of every registered source (representation_sources: meeting
registrations, survey and consultation answers, forum posters, map contributors, budget
voters), each person once per source, with the background they chose to give. A person who
took part in two ways is in two sources, so "Totalt" counts participations, not people.

Against the population: each age band's and each area's share of the participants who gave
that background, beside its share of the population (the current population import; for a
dialogue with areas, the population of those areas). Against the plan: the participants who
said they belong to each planned target group, in the sources that ask it.

Under-reached (*underrepresenterad*), the documented rule:
- an age band or area where people live is under-reached when its share of the participants
  is below settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO (0.5 by default: half) of its share
  of the population, or when nobody from it took part; it is judged only once at least 5
  participants gave that background (fewer say nothing about the groups);
- a planned target group is under-reached when fewer than 5 participants said they belong to
  it, or when the municipality imported a figure for the group and its share of the
  participants asked is below the same fraction of its share of the population.

Every count is shown through representation_suppression: 1–4 as "färre än 5", with secondary
suppression so no hidden count can be worked out from a total. One set of queries per page,
whatever the number of participants (a query per source and five more).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from torget.dialogues.models import NOT_PUBLIC, Dialogue, PlannedTargetGroup
from torget.geo.models import Area, PopulationFigure, PopulationImport
from torget.geo.population import RESPONDENT_AGE_BANDS, age_band_label
from torget.insight.representation_sources import Counts, Source, sources
from torget.insight.representation_suppression import SMALL, Line, Shown, suppress

NOT_GIVEN = "not-given"
TOTAL = "total"


def threshold() -> float:
    return float(settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO)


@dataclass(frozen=True)
class GroupRow:
    """One age band or area: the participants per source and in total, as shown."""

    key: str
    label: str
    by_source: list[Shown]
    total: Shown
    population: int | None  # None for the "not given" row
    population_share: float | None
    participant_share: float | None  # None where the total is hidden
    under_reached: bool

    @property
    def population_percent(self) -> int | None:
        return None if self.population_share is None else round(self.population_share * 100)

    @property
    def participant_percent(self) -> int | None:
        return None if self.participant_share is None else round(self.participant_share * 100)


@dataclass(frozen=True)
class Breakdown:
    """A table of participants per group (age band or area) and source, with the population."""

    key: str  # "age_band" or "area"
    title: str
    caption: str
    rows: list[GroupRow]  # the groups, then the "not given" row
    source_totals: list[Shown]
    total: Shown
    judged: bool  # enough participants gave this background to flag groups

    @property
    def groups(self) -> list[GroupRow]:
        return [row for row in self.rows if row.population is not None]

    @property
    def under_reached(self) -> list[GroupRow]:
        return [row for row in self.rows if row.under_reached]


@dataclass(frozen=True)
class TargetGroupRow:
    key: str
    name: str
    effort: str
    seldom_heard: bool
    by_source: list[Shown]
    total: Shown
    population: int | None
    population_share: float | None
    participant_share: float | None
    under_reached: bool

    @property
    def population_percent(self) -> int | None:
        return None if self.population_share is None else round(self.population_share * 100)

    @property
    def participant_percent(self) -> int | None:
        return None if self.participant_share is None else round(self.participant_share * 100)


@dataclass(frozen=True)
class SourceRow:
    source: Source
    participants: Shown


@dataclass
class Representation:
    """Everything a representativeness page shows, suppressed."""

    dialogue: Dialogue | None
    sources: list[Source]
    source_rows: list[SourceRow]
    total: Shown
    has_population: bool
    population_source: PopulationImport | None = None
    population_total: int = 0
    reference_areas: list[Area] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    target_sources: list[Source] = field(default_factory=list)
    target_groups: list[TargetGroupRow] = field(default_factory=list)
    threshold: float = 0.5

    @property
    def anyone(self) -> bool:
        return self.total.count > 0

    @property
    def small(self) -> int:
        return SMALL

    @property
    def threshold_percent(self) -> int:
        return round(self.threshold * 100)

    @property
    def under_reached(self) -> list[str]:
        labels = [row.label for b in self.breakdowns for row in b.under_reached]
        return labels + [row.name for row in self.target_groups if row.under_reached]


# --- Population ---------------------------------------------------------------------------------


def _parents() -> dict[int, int | None]:
    return dict(Area.objects.values_list("pk", "parent_id"))


def _ancestors(pk: int, parents: dict[int, int | None]) -> list[int]:
    """The area and the areas it lies in, nearest first."""
    found: list[int] = []
    current: int | None = pk
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found


def _reference_areas(
    figure_areas: set[int], dialogue_areas: Collection[int], parents: dict[int, int | None]
) -> set[int]:
    """The areas whose population a page compares with: for a dialogue with areas, the
    figures' areas inside them (or the nearest one around an area without figures inside);
    otherwise the whole municipality. Never an area and one inside it (no one counted twice)."""
    if dialogue_areas:
        chosen: set[int] = set()
        for area in dialogue_areas:
            inside = {pk for pk in figure_areas if area in _ancestors(pk, parents)}
            if inside:
                chosen |= inside
            else:
                around = [pk for pk in _ancestors(area, parents) if pk in figure_areas]
                chosen |= set(around[:1])
    else:
        chosen = set(figure_areas)
    return {pk for pk in chosen if not any(a in chosen for a in _ancestors(pk, parents)[1:])}


# --- Building the tables -----------------------------------------------------------------------


def _lines(groups: Sequence[Hashable], keys: list[str], prefix: str) -> list[Line[Hashable]]:
    """A table's sums: each group across the sources, each source down the groups, and the
    totals both ways (the source totals and the grand total are shared by the tables)."""
    lines: list[Line[Hashable]] = []
    for group in groups:
        lines.append(
            Line(cells=[(prefix, group, key) for key in keys], total=(prefix, group, TOTAL))
        )
    for key in [*keys, TOTAL]:
        lines.append(Line(cells=[(prefix, group, key) for group in groups], total=(TOTAL, key)))
    return lines


def _comparison_rows(
    *,
    groups: list[tuple[str, str, int]],  # key, label, population
    counted: dict[str, Counter[str]],  # group key -> source key -> participants
    shown: dict[Hashable, Shown],
    prefix: str,
    keys: list[str],
) -> tuple[list[GroupRow], bool]:
    population_total = sum(people for _key, _label, people in groups)
    given = sum(sum(counted[key].values()) for key, _label, _people in groups)
    judged = given >= SMALL
    rows = []
    for key, label, people in [*groups, (NOT_GIVEN, _("Ej angivet eller annat"), -1)]:
        total = shown[(prefix, key, TOTAL)]
        is_group = people >= 0
        population_share = people / population_total if is_group and population_total else None
        participants = sum(counted[key].values())
        share = participants / given if given else 0.0
        ratio = share / population_share if population_share else None
        under = bool(
            is_group
            and judged
            and people > 0
            and (participants == 0 or (ratio is not None and ratio < threshold()))
        )
        rows.append(
            GroupRow(
                key=key,
                label=label,
                by_source=[shown[(prefix, key, source)] for source in keys],
                total=total,
                population=people if is_group else None,
                population_share=population_share,
                participant_share=total.share(given) if is_group else None,
                under_reached=under,
            )
        )
    return rows, judged


def representation_build(
    *,
    dialogue: Dialogue | None = None,
    dialogue_ids: Collection[int] | None = None,
    areas: Collection[int] = (),
) -> Representation:
    """The representativeness of a dialogue (its target groups and areas taken from it), of
    some dialogues (`dialogue_ids`, compared with the population of `areas`) or of all
    (nothing given). Queries: one per source, and at most five more."""
    if dialogue is not None:
        dialogue_ids = [dialogue.pk]
        areas = list(dialogue.areas.values_list("pk", flat=True))
    registered = sources()
    per_source: dict[str, Counts] = {s.key: s.counts(dialogue_ids) for s in registered}
    keys = [s.key for s in registered]

    current = PopulationImport.objects.filter(is_current=True).first()
    figures: list[PopulationFigure] = []
    if current is not None:
        figures = list(
            PopulationFigure.objects.filter(source=current)
            .filter(Q(group="", age_band__in=RESPONDENT_AGE_BANDS) | ~Q(group=""))
            .select_related("area")
        )
    parents = _parents() if figures else {}
    by_age = [f for f in figures if not f.group]
    reference = _reference_areas({f.area_id for f in by_age}, areas, parents)
    by_age = [f for f in by_age if f.area_id in reference]
    area_names = {f.area_id: f.area for f in by_age}
    resolve: dict[int, str] = {}
    for pk in parents:
        for ancestor in _ancestors(pk, parents):
            if ancestor in reference:
                resolve[pk] = str(ancestor)
                break

    # Participants per group and source.
    age_counts: dict[str, Counter[str]] = defaultdict(Counter)
    area_counts: dict[str, Counter[str]] = defaultdict(Counter)
    source_totals: Counter[str] = Counter()
    for key, source_counts in per_source.items():
        for background, n in source_counts.items():
            source_totals[key] += n
            band = background.age_band if background.age_band in RESPONDENT_AGE_BANDS else None
            age_counts[band or NOT_GIVEN][key] += n
            area = resolve.get(background.area_id) if background.area_id is not None else None
            area_counts[area or NOT_GIVEN][key] += n

    population_by_band: Counter[str] = Counter()
    population_by_area: Counter[str] = Counter()
    for figure in by_age:
        population_by_band[figure.age_band] += figure.count
        population_by_area[str(figure.area_id)] += figure.count
    age_groups = [
        (band, age_band_label(band), population_by_band[band])
        for band in RESPONDENT_AGE_BANDS
        if band in population_by_band or age_counts.get(band)
    ]
    area_groups = [
        (str(pk), area.name, population_by_area[str(pk)])
        for pk, area in sorted(area_names.items(), key=lambda item: item[1].name.casefold())
    ]

    # Target groups of the plan, in the sources that ask them.
    planned: list[PlannedTargetGroup] = []
    if dialogue is not None:
        planned = list(dialogue.target_groups.select_related("group").order_by("id"))
    target_sources = [s for s in registered if s.asks_target_groups]
    target_counts: dict[str, Counter[str]] = defaultdict(Counter)
    asked = 0
    for s in target_sources:
        asked += source_totals[s.key]
        for background, n in per_source[s.key].items():
            for group in background.target_groups:
                target_counts[group][s.key] += n

    # One suppression over every number the page shows.
    counts: dict[Hashable, int] = {(TOTAL, key): source_totals[key] for key in keys}
    counts[(TOTAL, TOTAL)] = sum(source_totals.values())
    lines: list[Line[Hashable]] = [Line(cells=[(TOTAL, key) for key in keys], total=(TOTAL, TOTAL))]
    for prefix, groups, counted in (
        ("age", age_groups, age_counts),
        ("area", area_groups, area_counts),
    ):
        names = [key for key, _label, _people in groups] + [NOT_GIVEN]
        for name in names:
            for key in keys:
                counts[(prefix, name, key)] = counted[name][key]
            counts[(prefix, name, TOTAL)] = sum(counted[name].values())
        lines += _lines(names, keys, prefix)
    target_keys = [s.key for s in target_sources]
    for row in planned:
        name = _planned_key(row)
        for key in target_keys:
            counts[("tg", name, key)] = target_counts[name][key]
        counts[("tg", name, TOTAL)] = sum(target_counts[name].values())
        lines.append(
            Line(cells=[("tg", name, key) for key in target_keys], total=("tg", name, TOTAL))
        )
    shown: dict[Hashable, Shown] = suppress(counts, lines)

    population_total = sum(population_by_band.values())
    breakdowns = []
    if current is not None and population_total:
        for prefix, groups, counted, title, caption in (
            (
                "age",
                age_groups,
                age_counts,
                _("Per åldersgrupp"),
                _("Deltagare per åldersgrupp och sätt att delta, jämfört med befolkningen"),
            ),
            (
                "area",
                area_groups,
                area_counts,
                _("Per område"),
                _("Deltagare per område och sätt att delta, jämfört med befolkningen"),
            ),
        ):
            rows, judged = _comparison_rows(
                groups=groups, counted=counted, shown=shown, prefix=prefix, keys=keys
            )
            breakdowns.append(
                Breakdown(
                    key="age_band" if prefix == "age" else "area",
                    title=title,
                    caption=caption,
                    rows=rows,
                    source_totals=[shown[(TOTAL, key)] for key in keys],
                    total=shown[(TOTAL, TOTAL)],
                    judged=judged,
                )
            )

    group_population: Counter[str] = Counter()
    for figure in figures:
        if figure.group and figure.area_id in reference and not figure.age_band:
            group_population[figure.group] += figure.count
    target_rows = []
    for row in planned:
        name = _planned_key(row)
        total = shown[("tg", name, TOTAL)]
        people = group_population.get(name)
        population_share = people / population_total if people and population_total else None
        participants = sum(target_counts[name].values())
        share = participants / asked if asked else 0.0
        ratio = share / population_share if population_share else None
        target_rows.append(
            TargetGroupRow(
                key=name,
                name=str(row),
                effort=row.effort,
                seldom_heard=bool(row.group and row.group.seldom_heard),
                by_source=[shown[("tg", name, key)] for key in target_keys],
                total=total,
                population=people,
                population_share=population_share,
                participant_share=total.share(asked),
                under_reached=participants < SMALL or (ratio is not None and ratio < threshold()),
            )
        )

    return Representation(
        dialogue=dialogue,
        sources=registered,
        source_rows=[SourceRow(s, shown[(TOTAL, s.key)]) for s in registered],
        total=shown[(TOTAL, TOTAL)],
        has_population=current is not None and population_total > 0,
        population_source=current,
        population_total=population_total,
        reference_areas=sorted(area_names.values(), key=lambda a: a.name.casefold()),
        breakdowns=breakdowns,
        target_sources=target_sources,
        target_groups=target_rows,
        threshold=threshold(),
    )


def _planned_key(row: PlannedTargetGroup) -> str:
    """How participants name a planned group: the checklist group's code, or the written-in
    name (as the surveys' background question and the meeting registration store it)."""
    return row.group.code if row.group is not None else row.other


def representation_for_dialogue(dialogue: Dialogue) -> Representation:
    return representation_build(dialogue=dialogue)


def representation_overall() -> Representation:
    return representation_build()


# --- For the utskott's area report ---------------------------------------------------------------


def _period_bounds(period: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """A period as (start, end): a pair, or anything with start/end (or starts_on/ends_on)."""
    if period is None:
        return None, None
    if isinstance(period, tuple | list) and len(period) == 2:
        return period[0], period[1]
    start = getattr(period, "start", None) or getattr(period, "starts_on", None)
    end = getattr(period, "end", None) or getattr(period, "ends_on", None)
    return start, end


def representation_summary(area: Area, period: Any = None) -> Representation | None:
    """Representativeness of the public dialogues of `area` (or of an area inside it) that
    ran in `period` (a (start, end) pair of dates, or an object with start/end), compared with
    the area's population; None when nobody took part or nothing is imported. Render it with
    the template "insight/representation/_summary.html" (context variable `representation`)."""
    family = _family_below(area)
    dialogues = Dialogue.objects.exclude(status__in=NOT_PUBLIC).filter(areas__in=family)
    start, end = _period_bounds(period)
    if end is not None:
        dialogues = dialogues.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
    if start is not None:
        dialogues = dialogues.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    ids = list(dialogues.values_list("pk", flat=True).distinct())
    if not ids:
        return None
    result = representation_build(dialogue_ids=ids, areas=[area.pk])
    if not result.anyone or not result.has_population:
        return None
    return result


def _family_below(area: Area) -> list[int]:
    parents = _parents()
    return [pk for pk in parents if area.pk in _ancestors(pk, parents)]


def under_reached_labels(rows: Iterable[GroupRow]) -> list[str]:
    return [row.label for row in rows if row.under_reached]
