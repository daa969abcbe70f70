from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torget.geo.models import Area, PopulationFigure, PopulationImport
from torget.geo.population import AGE_BANDS, RESPONDENT_AGE_BANDS, age_band_label


def areas_public() -> QuerySet[Area]:
    return Area.objects.select_related("parent")


class AreaFamily(NamedTuple):
    below: list[int]  # the area and every area inside it, at any depth
    above: list[int]  # the area and the areas it lies in, nearest first


def area_family(area: Area) -> AreaFamily:
    """The areas a page about `area` reads from: what happens in Berga happens in Söder too,
    and Söder's utskott is Berga's. One query: the area tree is small (tens or hundreds)."""
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    children: dict[int, list[int]] = {}
    for pk, parent_id in parents.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    below, level = [area.pk], [area.pk]
    while level:
        level = [pk for parent in level for pk in children.get(parent, []) if pk not in below]
        below.extend(level)
    above = [area.pk]
    parent = parents.get(area.pk)
    while parent is not None and parent not in above:
        above.append(parent)
        parent = parents.get(parent)
    return AreaFamily(below=below, above=above)


def areas_within(area_ids: list[int]) -> list[int]:
    """The areas given and every area inside them, at any depth (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found, level = list(dict.fromkeys(area_ids)), list(dict.fromkeys(area_ids))
    while level:
        level = [pk for parent in level for pk in children.get(parent, []) if pk not in found]
        found.extend(level)
    return found


# --- Population and representativeness -------------------------------------------------------


def population_current() -> PopulationImport | None:
    """The population figures in force (with who read them in), or None before any import."""
    return PopulationImport.objects.filter(is_current=True).select_related("imported_by").first()


@dataclass(frozen=True)
class PopulationTableRow:
    area: Area
    counts: list[int]  # one per band of PopulationTable.bands
    total: int


@dataclass(frozen=True)
class PopulationGroupRow:
    group: str
    area: Area
    age_band: str  # "" for all ages
    age_band_label: str
    count: int


@dataclass(frozen=True)
class PopulationTable:
    """The current figures for a page: areas down, age bands across, with totals."""

    bands: list[tuple[str, str]]  # (value, label) of every band, youngest first
    rows: list[PopulationTableRow]
    band_totals: list[int]
    total: int
    groups: list[PopulationGroupRow]


def population_table(source: PopulationImport) -> PopulationTable:
    """One query: the import's figures with their areas."""
    by_area: dict[int, dict[str, int]] = defaultdict(dict)
    areas: dict[int, Area] = {}
    groups: list[PopulationGroupRow] = []
    figures = PopulationFigure.objects.filter(source=source).select_related("area")
    for figure in figures:
        if figure.group:
            groups.append(
                PopulationGroupRow(
                    group=figure.group,
                    area=figure.area,
                    age_band=figure.age_band,
                    age_band_label=age_band_label(figure.age_band) if figure.age_band else "",
                    count=figure.count,
                )
            )
            continue
        areas[figure.area_id] = figure.area
        by_area[figure.area_id][figure.age_band] = figure.count
    rows = [
        PopulationTableRow(
            area=area,
            counts=[by_area[area.pk].get(band, 0) for band in AGE_BANDS],
            total=sum(by_area[area.pk].values()),
        )
        for area in sorted(areas.values(), key=lambda a: a.name.casefold())
    ]
    band_totals = [sum(row.counts[i] for row in rows) for i in range(len(AGE_BANDS))]
    groups.sort(key=lambda g: (g.group.casefold(), g.area.name.casefold(), g.age_band))
    return PopulationTable(
        bands=[(band, age_band_label(band)) for band in AGE_BANDS],
        rows=rows,
        band_totals=band_totals,
        total=sum(band_totals),
        groups=groups,
    )


RepresentativenessBy = Literal["age_band", "area", "both"]
# A respondent's background: (area id or None, age band or None), as a survey or consultation
# gathered it; None where the respondent did not answer that question.
BackgroundKey = tuple[int | None, str | None]


@dataclass(frozen=True)
class RepresentativenessRow:
    """One group (an age band, an area, or an area's age band) of the comparison."""

    area: Area | None  # None when by="age_band"
    age_band: str | None  # None when by="area"
    label: str  # "Berga", "16–19 år" or "Berga, 16–19 år"
    population: int
    population_share: float  # of the population compared with, 0–1
    respondents: int
    respondent_share: float  # of the respondents counted in the shares, 0–1
    ratio: float | None  # respondent_share / population_share; None when the group has no one
    under_reached: bool


@dataclass(frozen=True)
class Representativeness:
    """How well the respondents mirror the population (*representativitet*).

    `has_population` is False when no population figures are imported: `rows` is empty and
    the page shows `empty_message` instead of the table.
    """

    by: RepresentativenessBy
    has_population: bool
    rows: list[RepresentativenessRow] = field(default_factory=list)
    population: int = 0  # people in the groups compared (the shares' denominator)
    respondents: int = 0  # respondents in those groups (the shares' denominator)
    not_given: int = 0  # *ej angivet*: did not answer the background question(s) used
    unmatched: int = 0  # gave an area or age band that has no population figure
    threshold: float = 0.5  # ratio below which a group counts as under-reached
    source: PopulationImport | None = None

    @property
    def empty_message(self) -> str:
        return _("Ingen befolkningsstatistik är inläst.")

    @property
    def under_reached(self) -> list[RepresentativenessRow]:
        return [row for row in self.rows if row.under_reached]


def _area_resolver(area_ids: set[int]) -> dict[int, int]:
    """Each area mapped to itself or the nearest area it lies in that has figures (a
    respondent in Berga counts for Söder when the figures are given per utskottsområde)."""
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    resolved: dict[int, int] = {}
    for pk in parents:
        current: int | None = pk
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current in area_ids:
                resolved[pk] = current
                break
            seen.add(current)
            current = parents.get(current)
    return resolved


def representativeness(
    counts: Mapping[BackgroundKey, int] | Iterable[tuple[BackgroundKey, int]],
    *,
    by: RepresentativenessBy = "age_band",
    bands: Iterable[str] | None = None,
) -> Representativeness:
    """Compare the respondents of a survey or consultation with the imported population.

    `counts` maps a background to how many respondents gave it: the key is
    `(area_id, age_band)`, either part None when the respondent left that question
    unanswered, e.g. `{(berga.pk, "16-19"): 12, (None, "30-44"): 4, (None, None): 3}`.
    Pairs of (key, count) are taken too (a queryset's `values_list` turned into them).
    Age bands are the values of `geo.population.AgeBand`.

    `by` picks the groups: "age_band" (the whole municipality per band), "area" (per area,
    all the compared ages together) or "both" (per area and band). Areas are those of the
    current population figures; a respondent's area that lies inside one of them counts for
    it. `bands` are the ages compared, by default those who can respond (12 and older, see
    `RESPONDENT_AGE_BANDS`) and any band a respondent gave.

    For each group: the population and its share of the compared population, the respondents
    and their share of the respondents counted, `ratio` = respondent share / population share,
    and `under_reached` when the ratio is below settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO
    or when people live there and no one responded. A respondent who did not give the
    background used is counted in `not_given` (*ej angivet*), one whose area or band has no
    figure in `unmatched`; neither is in the shares. Three queries at most (two for "age_band"),
    one when nothing is imported.
    """
    if by not in ("age_band", "area", "both"):
        raise ValueError(f"by must be 'age_band', 'area' or 'both', not {by!r}")
    threshold = float(settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO)
    source = PopulationImport.objects.filter(is_current=True).first()
    if source is None:
        return Representativeness(by=by, has_population=False, threshold=threshold)
    items = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
    compared = list(RESPONDENT_AGE_BANDS if bands is None else bands)
    for (_area, band), _count in items:
        if band is not None and band in AGE_BANDS and band not in compared:
            compared.append(band)
    compared = [band for band in AGE_BANDS if band in compared]

    figures = list(
        PopulationFigure.objects.filter(
            source=source, group="", age_band__in=compared
        ).select_related("area")
    )
    areas = {f.area_id: f.area for f in figures}
    resolve = _area_resolver(set(areas)) if by != "age_band" else {}

    def key_of(area_id: int | None, band: str | None) -> tuple[int | None, str | None]:
        return (area_id if by != "age_band" else None, band if by != "area" else None)

    population: dict[tuple[int | None, str | None], int] = defaultdict(int)
    for figure in figures:
        population[key_of(figure.area_id, figure.age_band)] += figure.count

    respondents: dict[tuple[int | None, str | None], int] = defaultdict(int)
    not_given = unmatched = 0
    for (area_id, band), count in items:
        if count <= 0:
            continue
        needs_area, needs_band = by != "age_band", by != "area"
        if (needs_area and area_id is None) or (needs_band and band is None):
            not_given += count
            continue
        if needs_band and band not in compared:
            unmatched += count
            continue
        resolved = resolve.get(area_id) if needs_area and area_id is not None else None
        if needs_area and resolved is None:
            unmatched += count
            continue
        key = key_of(resolved, band)
        if key not in population:
            unmatched += count
            continue
        respondents[key] += count

    total_population = sum(population.values())
    total_respondents = sum(respondents.values())
    band_order = {band: index for index, band in enumerate(AGE_BANDS)}

    def order(key: tuple[int | None, str | None]) -> tuple[str, int]:
        area_id, band = key
        name = areas[area_id].name.casefold() if area_id is not None else ""
        return (name, band_order.get(band, -1) if band is not None else -1)

    rows = []
    for key in sorted(population, key=order):
        area_id, band = key
        area = areas[area_id] if area_id is not None else None
        people = population[key]
        answered = respondents.get(key, 0)
        population_share = people / total_population if total_population else 0.0
        respondent_share = answered / total_respondents if total_respondents else 0.0
        ratio = respondent_share / population_share if population_share else None
        labels = [area.name if area else "", age_band_label(band) if band else ""]
        rows.append(
            RepresentativenessRow(
                area=area,
                age_band=band,
                label=", ".join(label for label in labels if label),
                population=people,
                population_share=population_share,
                respondents=answered,
                respondent_share=respondent_share,
                ratio=ratio,
                under_reached=people > 0
                and (answered == 0 or (ratio is not None and ratio < threshold)),
            )
        )
    return Representativeness(
        by=by,
        has_population=True,
        rows=rows,
        population=total_population,
        respondents=total_respondents,
        not_given=not_given,
        unmatched=unmatched,
        threshold=threshold,
        source=source,
    )
