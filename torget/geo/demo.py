"""Demo data for geo: the demo municipality's areas, from `demo_data/areas.geojson`."""

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from torget.core import demo
from torget.core.demo import DemoContext
from torget.geo.models import Area
from torget.geo.services import areas_import_geojson

DATA = Path(__file__).resolve().parent / "demo_data"


@demo.register("geo")
def load(context: DemoContext) -> None:
    """The municipality, its utskottsområden, districts and localities (fictional shapes)."""
    data = json.loads((DATA / "areas.geojson").read_text(encoding="utf-8"))
    # Parents first: the municipality, then utskottsområden, then districts and localities.
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for feature in data["features"]:
        props = feature["properties"]
        groups[(props["kind"], props["parent"])].append(feature)
    order = {"kommun": 0, "utskottsomrade": 1, "stadsdel": 2, "ort": 2}
    for (kind, parent_name), features in sorted(groups.items(), key=lambda item: order[item[0][0]]):
        parent = Area.objects.get(name=parent_name) if parent_name else None
        result = areas_import_geojson(
            data={"type": "FeatureCollection", "features": features},
            kind=kind,
            parent=parent,
            source="demo",
        )
        context.changes += len(result.created) + len(result.updated)
    context.areas = {area.name: area for area in Area.objects.all()}
