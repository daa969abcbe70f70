import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify
from shapely.geometry import Point

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.geo.geometry import GeometryError, parse_area_geometry
from torget.geo.models import Area, AreaKind, PopulationFigure, PopulationImport
from torget.geo.population_file import MAX_FILE_BYTES, PopulationFileError, read_population_file


def areas_containing_point(*, lon: float, lat: float) -> list[Area]:
    """Every area that contains the point (boundary included), outermost first.

    The bounding-box columns narrow the candidates in the database; shapely decides.
    """
    candidates = Area.objects.filter(
        min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    )
    point = Point(lon, lat)
    found = [area for area in candidates if area.shape.covers(point)]
    return sorted(found, key=lambda area: (-area.shape.area, area.name))


def area_smallest_containing_point(
    *, lon: float, lat: float, kind: str | None = None
) -> Area | None:
    areas = [a for a in areas_containing_point(lon=lon, lat=lat) if kind is None or a.kind == kind]
    return areas[-1] if areas else None


@dataclass
class ImportResult:
    created: list[Area]
    updated: list[Area]
    unchanged: list[Area]


class AreaImportError(ValueError):
    pass


@transaction.atomic
def areas_import_geojson(
    *,
    data: dict[str, Any],
    kind: str,
    name_property: str = "name",
    parent: Area | None = None,
    actor: AbstractBaseUser | None = None,
    source: str = "",
) -> ImportResult:
    """Create or update areas from a GeoJSON FeatureCollection, matched by slug of the name.

    All or nothing: one invalid feature rolls the whole import back and names the feature.
    """
    if kind not in AreaKind.values:
        raise AreaImportError(
            f"Unknown area kind {kind!r}; choose one of {', '.join(AreaKind.values)}."
        )
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise AreaImportError("The file must be a GeoJSON FeatureCollection.")
    result = ImportResult(created=[], updated=[], unchanged=[])
    for index, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") or {}
        name = str(properties.get(name_property) or "").strip()
        if not name:
            raise AreaImportError(f"Feature {index} has no property {name_property!r}.")
        try:
            parse_area_geometry(feature.get("geometry"))
        except GeometryError as error:
            raise AreaImportError(f"Feature {index} ({name}): {error}") from error
        slug = str(properties.get("slug") or slugify(name))
        area = Area.objects.filter(slug=slug).first()
        is_new = area is None
        if area is None:
            area = Area(slug=slug)
        values = {
            "name": name,
            "kind": kind,
            "parent_id": parent.pk if parent else None,
            "geometry": feature["geometry"],
            "description": str(properties.get("description", area.description or "")),
        }
        if not is_new and all(getattr(area, field) == value for field, value in values.items()):
            result.unchanged.append(area)  # importing the same file twice changes nothing
            continue
        for field, value in values.items():
            setattr(area, field, value)
        area.full_clean()
        area.save()
        (result.created if is_new else result.updated).append(area)
        audit.record(
            actor=actor,
            actor_label="" if actor else "import",
            action="area.imported" if is_new else "area.reimported",
            obj=area,
            changes={"source": source} if source else {},
        )
    return result


def areas_as_feature_collection(areas: Iterable[Area]) -> str:
    features = [
        {
            "type": "Feature",
            "id": area.slug,
            "properties": {
                "name": area.name,
                "kind": area.kind,
                "kind_label": str(area.get_kind_display()),
                "url": area.get_absolute_url(),
            },
            "geometry": area.geometry,
        }
        for area in areas
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


@transaction.atomic
def population_import(
    *, file: IO[bytes], actor: Actor | None, file_name: str = ""
) -> PopulationImport:
    """Replace the population figures (*befolkningsstatistik*) with those in a CSV file.

    The format is described in `population_file`. A file with any bad line is refused whole
    (PopulationFileError, whose messages name the lines) and the current figures stay; a good
    one replaces them in the same transaction, so a reader sees the old figures or the new,
    never a mix. `file_name` defaults to the upload's own name.
    """
    raw = file.read(MAX_FILE_BYTES + 1)
    figures = read_population_file(raw)
    name = (file_name or str(getattr(file, "name", "") or "")).rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())[:255]
    # Locks the current import (PostgreSQL), so two uploads at once replace one after the other.
    previous = list(PopulationImport.objects.select_for_update().filter(is_current=True))
    PopulationFigure.objects.filter(source__in=previous).delete()
    PopulationImport.objects.filter(pk__in=[p.pk for p in previous]).update(is_current=False)
    source = PopulationImport.objects.create(
        imported_by=user_or_none(actor), file_name=name, row_count=len(figures)
    )
    PopulationFigure.objects.bulk_create(
        [
            PopulationFigure(
                source=source,
                area=figure.area,
                age_band=figure.age_band,
                group=figure.group,
                count=figure.count,
            )
            for figure in figures
        ],
        batch_size=2000,
    )
    audit.record(
        actor=actor,
        actor_label="" if actor is not None else "import",
        action="geo.population_imported",
        obj=source,
        changes={
            "file": name,
            "rows": len(figures),
            "people": sum(f.count for f in figures if not f.group),
            "replaced": [p.pk for p in previous],
        },
    )
    return source


__all__ = [
    "AreaImportError",
    "ImportResult",
    "PopulationFileError",
    "area_smallest_containing_point",
    "areas_as_feature_collection",
    "areas_containing_point",
    "areas_import_geojson",
    "population_import",
]
