"""Reads of the map's public side: fetching-and-authorising (`access_*`), the list of places
a point can be placed by without the map, the published points as a sortable list and as
GeoJSON, and a point's visible comments. Hidden and waiting points and comments are never in
anything here that the public pages show (DOMAIN §7)."""

import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry.base import BaseGeometry

from torget.geo.models import Area, AreaKind
from torget.mapinput import geometry as drawings
from torget.mapinput.models import Category, Comment, Map, Point, Status
from torget.mapinput.permissions import can_view_public

# The list's orders: the parameter's value → the database's order.
ORDERS: dict[str, tuple[str, ...]] = {
    "nyast": ("-created_at", "-id"),
    "flest-haller-med": ("-agree_count", "-created_at", "-id"),
    "flest-kommentarer": ("-comment_count", "-created_at", "-id"),
}
DEFAULT_ORDER = "nyast"
PLACE_KINDS = (AreaKind.DISTRICT, AreaKind.LOCALITY)


def _maps() -> QuerySet[Map]:
    return Map.objects.select_related("dialogue", "planned_method", "area")


def access_map_public(dialogue_pk: int, pk: int) -> Map:
    """A map as citizens see it: 404 when its dialogue is not public, or under another
    dialogue's address."""
    map_ = get_object_or_404(_maps(), pk=pk, dialogue_id=dialogue_pk)
    if not can_view_public(map_):
        raise Http404
    return map_


def access_point_public(pk: int) -> Point:
    """A published point of a public map; anything else (waiting, hidden, a dialogue not
    public) does not exist for the public."""
    point = get_object_or_404(
        Point.objects.select_related(
            "category", "map__dialogue", "map__planned_method", "map__area"
        ),
        pk=pk,
        status=Status.PUBLISHED,
    )
    if not can_view_public(point.map):
        raise Http404
    return point


def maps_public_of(dialogue: Any) -> list[Map]:
    return list(_maps().filter(dialogue=dialogue).order_by("created_at", "id"))


def categories_of(map_: Map) -> list[Category]:
    return list(map_.categories.order_by("order", "id"))


def category_counts(map_: Map) -> dict[int, int]:
    """Published points per category (one query)."""
    rows = (
        Point.objects.filter(map=map_, status=Status.PUBLISHED)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["category_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Place:
    """A place in the list of places: a district or a locality inside the map's area, placed
    at its representative point (a point surely inside it)."""

    pk: int
    name: str
    lat: float
    lon: float
    shape: BaseGeometry


def places(map_: Map) -> list[Place]:
    """The districts and localities inside the map's area, by name (one or two queries)."""
    cached = getattr(map_, "_places", None)
    if cached is not None:
        return list(cached)
    allowed = drawings.allowed_shape(map_)
    areas = Area.objects.filter(kind__in=PLACE_KINDS)
    own = {area.pk for area in drawings.map_areas(map_)}
    if allowed is not None:
        min_lon, min_lat, max_lon, max_lat = allowed.bounds
        areas = areas.filter(
            Q(pk__in=own)
            | Q(
                max_lon__gte=min_lon,
                min_lon__lte=max_lon,
                max_lat__gte=min_lat,
                min_lat__lte=max_lat,
            )
        )
    found = []
    for area in areas.order_by("name", "pk"):
        try:
            point = area.shape.representative_point()
        except Exception:  # noqa: BLE001, S112 (a broken outline is no place to offer)
            continue
        if allowed is None or allowed.covers(point):
            found.append(
                Place(pk=area.pk, name=area.name, lat=point.y, lon=point.x, shape=area.shape)
            )
    map_._places = found  # type: ignore[attr-defined]
    return list(found)


def place_name(point: Point, places_: list[Place]) -> str:
    """Where a point is, in words: the citizen's own words, else the smallest place in the
    map's list that holds it, else ""."""
    if point.address:
        return point.address
    at = ShapelyPoint(point.lon, point.lat)
    holding = [place for place in places_ if place.shape.covers(at)]
    if not holding:
        return ""
    return min(holding, key=lambda place: place.shape.area).name


def published_points(
    map_: Map, *, order: str = DEFAULT_ORDER, category: int | None = None
) -> QuerySet[Point]:
    points = Point.objects.filter(map=map_, status=Status.PUBLISHED).select_related("category")
    if category is not None:
        points = points.filter(category_id=category)
    return points.order_by(*ORDERS.get(order, ORDERS[DEFAULT_ORDER]))


def visible_comments(point: Point) -> list[Comment]:
    """A point's comments as the public sees them: published ones, and hidden ones (shown as
    "hidden by a moderator" with the reason, never their text); waiting ones are left out."""
    return list(
        point.comments.filter(status__in=[Status.PUBLISHED, Status.HIDDEN]).order_by(
            "created_at", "id"
        )
    )


def has_agreed(point: Point, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return point.agrees.filter(user=user).exists()


GEOJSON_CACHE_SECONDS = 600


def points_geojson(map_: Map) -> str:
    """The map's published points as a GeoJSON FeatureCollection: id, category, shape, the
    comment as plain text, the counts and the point's address. Nothing about who placed it
    (no author, shown name, age band or address hash).

    Kept in the cache under a key made of what the published points are now (how many, the
    sum and largest of their ids, the sums of their counts: one aggregate query), so a point
    hidden, published or agreed with gives a new key at once; building it is then one query,
    with each geometry passed on as the database's JSON text, never parsed."""
    published = Point.objects.filter(map=map_, status=Status.PUBLISHED)
    state = published.aggregate(
        n=Count("id"), ids=Sum("id"), top=Max("id"), a=Sum("agree_count"), c=Sum("comment_count")
    )
    key = "mapinput:geojson:{}:{}".format(
        map_.pk, ":".join(str(state[k] or 0) for k in ("n", "ids", "top", "a", "c"))
    )
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    marker = 2_147_483_647
    before, after = reverse("mapinput:point", kwargs={"pk": marker}).split(str(marker))
    rows = (
        published.order_by("-created_at", "-id")
        .annotate(geometry_text=Cast("geometry", output_field=TextField()))
        .values_list(
            "pk",
            "category_id",
            "category__name",
            "shape",
            "geometry_text",
            "comment",
            "agree_count",
            "comment_count",
        )
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    features = [
        f'{{"type":"Feature","id":{pk},"geometry":{geometry},"properties":'
        + dumps(
            {
                "id": pk,
                "category_id": category_id,
                "category": category,
                "shape": shape,
                "comment": comment,
                "agree_count": agrees,
                "comment_count": comments,
                "url": f"{before}{pk}{after}",
            }
        )
        + "}"
        for pk, category_id, category, shape, geometry, comment, agrees, comments in rows
    ]
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    cache.set(key, body, GEOJSON_CACHE_SECONDS)
    return body


def area_geojson(map_: Map) -> str:
    """The map's area as GeoJSON (for the outline on the map), or "null"."""
    return json.dumps(drawings.allowed_geojson(map_))
