"""The officials' reads of a dialogue's map: access checks, the filtered points, the cluster
and density views (counted in the database on a grid fit to the map's area), counts per
category, and the moderators' queue (points and comments waiting, oldest first)."""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, FloatField, IntegerField, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Cast, Floor
from django.shortcuts import get_object_or_404
from django.utils import timezone

from torget.accounts.types import Actor
from torget.dialogues.models import Dialogue
from torget.dialogues.permissions import can_work_with
from torget.mapinput import geometry, permissions
from torget.mapinput.models import Category, Comment, Map, Point, Status

# The grids: the cluster view groups points on a coarse grid, the density view counts them
# on a finer one, both fit to the extent of the map's area (or of its points).
CLUSTER_CELLS = 12
DENSITY_CELLS = 40


# --- Access ------------------------------------------------------------------------------------


def _maps() -> QuerySet[Map]:
    return Map.objects.select_related("dialogue", "planned_method__method", "area")


def access_map_for_reading(user: Actor, pk: int) -> Map:
    map_ = get_object_or_404(_maps(), pk=pk)
    if not permissions.can_read_staff(user, map_):
        raise PermissionDenied
    return map_


def access_map_for_work(user: Actor, pk: int) -> Map:
    map_ = get_object_or_404(_maps(), pk=pk)
    if not permissions.can_manage(user, map_):
        raise PermissionDenied
    return map_


def access_point_for_reading(user: Actor, pk: int) -> Point:
    point = get_object_or_404(
        Point.objects.select_related(
            "map__dialogue",
            "map__planned_method__method",
            "map__area",
            "category",
            "hidden_by",
            "result_item",
            "case",
        ),
        pk=pk,
    )
    if not permissions.can_read_staff(user, point.map):
        raise PermissionDenied
    return point


def access_point_for_moderation(user: Actor, pk: int) -> Point:
    point = access_point_for_reading(user, pk)
    if not permissions.can_moderate(user, point.map):
        raise PermissionDenied
    return point


def maps_of(dialogue: Dialogue) -> QuerySet[Map]:
    """The dialogue's maps, each with its number of points and of points waiting."""
    return (
        Map.objects.filter(dialogue=dialogue)
        .select_related("planned_method__method")
        .annotate(
            point_count=Count("points"),
            pending_count=Count("points", filter=Q(points__status=Status.PENDING)),
        )
        .order_by("created_at", "id")
    )


def moderated_map_ids(user: Actor) -> list[int]:
    """The maps whose input `user` may moderate."""
    if can_work_with(user, None):
        return list(Map.objects.values_list("pk", flat=True))
    return [
        m.pk for m in Map.objects.select_related("dialogue") if permissions.can_moderate(user, m)
    ]


# --- Filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the officials narrowed the points to. Empty means all."""

    categories: tuple[int, ...] = ()
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    age_bands: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(
            self.categories or self.starts_on or self.ends_on or self.age_bands or self.statuses
        )


NO_AGE_BAND = "-"  # the filter value for "did not answer"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_points(map_: Map, filters: Filters) -> QuerySet[Point]:
    points = Point.objects.filter(map=map_)
    if filters.categories:
        points = points.filter(category_id__in=filters.categories)
    if filters.starts_on:
        points = points.filter(created_at__gte=_day_start(filters.starts_on))
    if filters.ends_on:
        points = points.filter(
            created_at__lt=_day_start(filters.ends_on + datetime.timedelta(days=1))
        )
    if filters.age_bands:
        bands = [("" if band == NO_AGE_BAND else band) for band in filters.age_bands]
        points = points.filter(age_band__in=bands)
    if filters.statuses:
        points = points.filter(status__in=filters.statuses)
    return points


# --- Clusters and density ----------------------------------------------------------------------


@dataclass(frozen=True)
class Extent:
    south: float
    west: float
    north: float
    east: float

    def cell_size(self, cells: int) -> tuple[float, float]:
        """(height, width) of a cell so that `cells` × `cells` cover the extent; never zero."""
        return (
            max((self.north - self.south) / cells, 1e-6),
            max((self.east - self.west) / cells, 1e-6),
        )


def map_extent(map_: Map, points: QuerySet[Point] | None = None) -> Extent | None:
    """The map's area's bounding box; without an area, the box of its points (one query)."""
    shape = geometry.allowed_shape(map_)
    if shape is not None:
        west, south, east, north = shape.bounds
        return Extent(south=south, west=west, north=north, east=east)
    box = (points if points is not None else Point.objects.filter(map=map_)).aggregate(
        south=Min("lat"), north=Max("lat"), west=Min("lon"), east=Max("lon")
    )
    if box["south"] is None:
        return None
    return Extent(**box)


@dataclass
class Cell:
    """One cell of a grid: where it is, how many points, the most common category."""

    row: int
    column: int
    south: float
    west: float
    north: float
    east: float
    count: int = 0
    lat: float = 0.0  # a representative position: the mean of its points
    lon: float = 0.0
    by_category: Counter[int] = field(default_factory=Counter)
    top_category: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "bounds": [
                [round(self.south, 6), round(self.west, 6)],
                [round(self.north, 6), round(self.east, 6)],
            ],
            "top": self.top_category,
        }


def grid(points: QuerySet[Point], extent: Extent, cells: int, names: dict[int, str]) -> list[Cell]:
    """The points counted per cell of a `cells` × `cells` grid over `extent`, in ONE query
    (the cell indices computed in the database), most points first. Points outside the
    extent count in the nearest edge cell."""
    height, width = extent.cell_size(cells)
    rows = (
        points.order_by()
        .annotate(
            cell_row=Cast(
                Floor((F("lat") - Value(extent.south)) / Value(height)),
                IntegerField(),
            ),
            cell_column=Cast(
                Floor((F("lon") - Value(extent.west)) / Value(width)),
                IntegerField(),
            ),
        )
        .values("cell_row", "cell_column", "category_id")
        .annotate(
            n=Count("id"),
            mean_lat=Avg("lat", output_field=FloatField()),
            mean_lon=Avg("lon", output_field=FloatField()),
        )
    )
    found: dict[tuple[int, int], Cell] = {}
    sums: dict[tuple[int, int], list[float]] = {}
    for row in rows:
        r = min(max(int(row["cell_row"]), 0), cells - 1)
        c = min(max(int(row["cell_column"]), 0), cells - 1)
        cell = found.get((r, c))
        if cell is None:
            cell = found[(r, c)] = Cell(
                row=r,
                column=c,
                south=extent.south + r * height,
                west=extent.west + c * width,
                north=extent.south + (r + 1) * height,
                east=extent.west + (c + 1) * width,
            )
            sums[(r, c)] = [0.0, 0.0]
        n = int(row["n"])
        cell.count += n
        cell.by_category[row["category_id"]] += n
        sums[(r, c)][0] += float(row["mean_lat"]) * n
        sums[(r, c)][1] += float(row["mean_lon"]) * n
    for key, cell in found.items():
        cell.lat = sums[key][0] / cell.count
        cell.lon = sums[key][1] / cell.count
        # The most common category; on a tie the one first in the map's order (lowest id
        # among equals keeps it stable).
        top = max(cell.by_category.items(), key=lambda item: (item[1], -_order(names, item[0])))[0]
        cell.top_category = names.get(top, "")
    return sorted(found.values(), key=lambda cell: (-cell.count, -cell.lat, cell.lon))


def _order(names: dict[int, str], pk: int) -> int:
    keys = list(names)
    return keys.index(pk) if pk in keys else len(keys)


@dataclass
class Overview:
    """What the officials' page shows of a map's input, for the filters given."""

    total: int
    extent: Extent | None
    clusters: list[Cell]
    density: list[Cell]
    by_category: list[tuple[Category, int]]
    by_status: dict[str, int]
    density_max: int = 0
    cell_height_m: int = 0
    cell_width_m: int = 0


def _metres(extent: Extent, cells: int) -> tuple[int, int]:
    height, width = extent.cell_size(cells)
    mid = math.radians((extent.north + extent.south) / 2)
    return round(height * 111_320), round(width * 111_320 * math.cos(mid))


def overview(map_: Map, filters: Filters, categories: list[Category]) -> Overview:
    """Counts, clusters and density of the filtered points: a fixed number of queries,
    whatever the number of points (each grouped in the database)."""
    points = filtered_points(map_, filters)
    names = {category.pk: category.name for category in categories}
    per_category = dict(
        points.order_by()
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    by_status = dict(
        points.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    total = sum(per_category.values())
    extent = map_extent(map_, points) if total else map_extent_cheap(map_)
    clusters: list[Cell] = []
    density: list[Cell] = []
    if total and extent is not None:
        clusters = grid(points, extent, CLUSTER_CELLS, names)
        density = grid(points, extent, DENSITY_CELLS, names)
    height_m, width_m = _metres(extent, DENSITY_CELLS) if extent else (0, 0)
    return Overview(
        total=total,
        extent=extent,
        clusters=clusters,
        density=density,
        by_category=[(category, per_category.get(category.pk, 0)) for category in categories],
        by_status=by_status,
        density_max=max((cell.count for cell in density), default=0),
        cell_height_m=height_m,
        cell_width_m=width_m,
    )


def map_extent_cheap(map_: Map) -> Extent | None:
    """The area's box without a query on the points (when there are none to count)."""
    shape = geometry.allowed_shape(map_)
    if shape is None:
        return None
    west, south, east, north = shape.bounds
    return Extent(south=south, west=west, north=north, east=east)


# --- The moderators' queue ---------------------------------------------------------------------

POINT = "punkt"
COMMENT = "kommentar"


def queue_entries(map_ids: list[int]) -> QuerySet[Any]:
    """Points and comments waiting for review on these maps, as (kind, id, created_at) rows,
    OLDEST FIRST: a union the paginator counts and slices in the database."""
    points = Point.objects.filter(map_id__in=map_ids, status=Status.PENDING).values_list(
        Value(POINT), "id", "created_at"
    )
    comments = Comment.objects.filter(point__map_id__in=map_ids, status=Status.PENDING).values_list(
        Value(COMMENT), "id", "created_at"
    )
    return points.order_by().union(comments.order_by(), all=True).order_by("created_at", "id")


def queue_page_objects(rows: list[Any]) -> list[tuple[str, Any]]:
    """The points and comments of one page of the queue, in the page's order (two queries)."""
    point_ids = [row[1] for row in rows if row[0] == POINT]
    comment_ids = [row[1] for row in rows if row[0] == COMMENT]
    points = Point.objects.select_related("map", "category").in_bulk(point_ids)
    comments = Comment.objects.select_related("point__map", "point__category").in_bulk(comment_ids)
    found: list[tuple[str, Any]] = []
    for kind, pk, _created in rows:
        obj = points.get(pk) if kind == POINT else comments.get(pk)
        if obj is not None:
            found.append((kind, obj))
    return found


def pending_count(map_: Map) -> int:
    return (
        Point.objects.filter(map=map_, status=Status.PENDING).count()
        + Comment.objects.filter(point__map=map_, status=Status.PENDING).count()
    )
