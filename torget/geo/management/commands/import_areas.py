import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torget.geo.models import Area, AreaKind
from torget.geo.services import AreaImportError, areas_import_geojson


class Command(BaseCommand):
    help = "Importera områden (Polygon/MultiPolygon) från en GeoJSON-fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="GeoJSON FeatureCollection, WGS 84")
        parser.add_argument("--kind", required=True, choices=AreaKind.values)
        parser.add_argument("--name-property", default="name", help="property holding the name")
        parser.add_argument("--parent", help="slug of the area the imported areas lie in")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        parent = None
        if options["parent"]:
            parent = Area.objects.filter(slug=options["parent"]).first()
            if parent is None:
                raise CommandError(f"No area with slug {options['parent']!r}.")
        try:
            result = areas_import_geojson(
                data=data,
                kind=options["kind"],
                name_property=options["name_property"],
                parent=parent,
                source=path.name,
            )
        except AreaImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} areas created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged from {path.name}."
            )
        )
