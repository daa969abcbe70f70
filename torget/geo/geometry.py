"""GeoJSON in, shapely out, with messages a municipality's administrator understands."""

from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import shape as to_shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

ALLOWED_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    pass


def parse_area_geometry(geojson: Any) -> BaseGeometry:
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ALLOWED_TYPES:
        raise GeometryError(_("Geometrin måste vara en GeoJSON Polygon eller MultiPolygon."))
    try:
        geometry = to_shape(geojson)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise GeometryError(
            _("Geometrin kunde inte läsas: %(error)s") % {"error": error}
        ) from error
    if geometry.is_empty:
        raise GeometryError(_("Geometrin är tom."))
    if not geometry.is_valid:
        raise GeometryError(
            _("Geometrin är ogiltig: %(reason)s") % {"reason": explain_validity(geometry)}
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise GeometryError(
            _("Koordinaterna ligger utanför WGS 84 (longitud, latitud). Är de i SWEREF 99?")
        )
    return geometry


def bounds_of(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return float(min_lon), float(min_lat), float(max_lon), float(max_lat)
