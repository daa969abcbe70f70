"""Where a map takes input, and what a citizen's drawing is: GeoJSON in, checked, out.

The map's area is its own area, else the union of its dialogue's areas, else the whole
municipality (the municipality's area in geo, if there is one; no limit if not). Anything
placed must lie inside it (a line or an area wholly inside): DOMAIN §7, issue 20."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import mapping
from shapely.geometry import shape as to_shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from torget.geo.models import Area, AreaKind
from torget.mapinput.models import Map, Shape

GEOJSON_TYPES = {"Point": Shape.POINT, "LineString": Shape.LINE, "Polygon": Shape.AREA}
# A drawing with more vertices than this is refused (a line or an area drawn by hand).
MAX_VERTICES = 500


def map_areas(map_: Map) -> list[Area]:
    if map_.area_id:
        return [map_.area]  # type: ignore[list-item]
    areas = list(map_.dialogue.areas.all())
    if areas:
        return areas
    return list(Area.objects.filter(kind=AreaKind.MUNICIPALITY))


def allowed_shape(map_: Map) -> BaseGeometry | None:
    """The map's area as one shape; None when the municipality has no area at all."""
    areas = map_areas(map_)
    if not areas:
        return None
    return unary_union([area.shape for area in areas])


def allowed_geojson(map_: Map) -> dict[str, Any] | None:
    shape = allowed_shape(map_)
    return dict(mapping(shape)) if shape is not None else None


@dataclass(frozen=True)
class Drawing:
    shape: str  # models.Shape
    geometry: dict[str, Any]  # GeoJSON geometry, coordinates rounded to 6 decimals (~0.1 m)
    lat: float  # a point on it: the point itself or a representative point
    lon: float


def _rounded(coordinates: Any) -> Any:
    if (
        isinstance(coordinates, (list, tuple))
        and coordinates
        and isinstance(coordinates[0], (int, float))
    ):
        return [round(float(c), 6) for c in coordinates[:2]]
    return [_rounded(c) for c in coordinates]


def parse_drawing(geojson: Any, *, allowed: BaseGeometry | None, shapes: set[str]) -> Drawing:
    """A citizen's point, line or area, checked: readable GeoJSON of an allowed kind, valid,
    not too large, and inside `allowed`. Raises ValidationError with a message for the
    citizen (field "geometry")."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({"geometry": message})

    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    kind = GEOJSON_TYPES.get(str(geojson.get("type"))) if isinstance(geojson, dict) else None
    if kind is None:
        raise refuse(_("Markera en punkt, en linje eller en yta på kartan."))
    if kind not in shapes:
        raise refuse(_("Den här kartan tar inte emot den sortens markering."))
    try:
        geometry = to_shape({"type": geojson["type"], "coordinates": geojson["coordinates"]})
        rounded = {"type": geojson["type"], "coordinates": _rounded(geojson["coordinates"])}
        geometry = to_shape(rounded)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        GEOSException,
        ShapelyError,
    ) as error:
        raise refuse(_("Markeringen kunde inte läsas.")) from error
    if geometry.is_empty or not geometry.is_valid:
        raise refuse(_("Markeringen är ogiltig, till exempel en yta som korsar sig själv."))
    if len(geometry.exterior.coords if kind == Shape.AREA else geometry.coords) > MAX_VERTICES:
        raise refuse(_("Markeringen har för många punkter. Förenkla den."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise refuse(_("Markeringen ligger utanför kartan."))
    if allowed is not None and not allowed.covers(geometry):
        raise refuse(_("Markeringen ligger utanför dialogens område. Markera inom området."))
    point = geometry if kind == Shape.POINT else geometry.representative_point()
    return Drawing(shape=kind, geometry=rounded, lat=float(point.y), lon=float(point.x))
