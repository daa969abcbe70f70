"""Demo data for geo: the demo municipality's areas, from `demo_data/areas.geojson`, and
the population of its districts and localities per age band."""

import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from torget.core import demo
from torget.core.demo import DemoContext
from torget.geo.models import Area, PopulationImport
from torget.geo.population import AGE_BANDS
from torget.geo.services import areas_import_geojson, population_import

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


DEMO_POPULATION_FILE = "befolkning-demo.csv"
# Shares per age band (0-11 … 80+) of a Swedish municipality, in per mille.
TYPICAL = (140, 50, 47, 130, 190, 240, 145, 58)
STUDENTS = (90, 30, 45, 380, 170, 150, 95, 40)
FAMILIES = (190, 65, 55, 120, 230, 210, 95, 35)
RURAL = (125, 52, 48, 85, 160, 270, 185, 75)
# (people, age profile, born abroad in per cent): fictional, in the proportions of real places.
POPULATION = {
    "Innerstaden": (21400, TYPICAL, 14),
    "Tallboda": (4100, FAMILIES, 9),
    "Johannelund": (5600, TYPICAL, 12),
    "Skäggetorp": (10200, FAMILIES, 58),
    "Ryd": (9800, STUDENTS, 38),
    "Lambohov": (8900, STUDENTS, 27),
    "Ekholmen": (8300, TYPICAL, 22),
    "Berga": (7600, TYPICAL, 31),
    "Linghem": (4900, FAMILIES, 8),
    "Malmslätt": (5700, FAMILIES, 10),
    "Vikingstad": (2900, RURAL, 6),
    "Ekängen": (1300, RURAL, 5),
}


def demo_population_csv(names: list[str]) -> str:
    """The demo file: every district and locality, all bands, and those born abroad."""
    lines = ["område;åldersgrupp;antal;målgrupp"]
    for name in names:
        people, profile, abroad = POPULATION[name]
        for band, per_mille in zip(AGE_BANDS, profile, strict=True):
            lines.append(f"{name};{band};{people * per_mille // 1000};")
        lines.append(f"{name};;{people * abroad // 100};utrikes-fodda")
    return "\n".join(lines) + "\n"


@demo.register("population", after=["geo"])
def load_population(context: DemoContext) -> None:
    """Befolkningsstatistik for the districts and localities, once (a real import replaces it)."""
    if PopulationImport.objects.exists():
        return
    names = [name for name in POPULATION if Area.objects.filter(name=name).exists()]
    if not names:
        return
    text = demo_population_csv(names)
    population_import(file=io.BytesIO(text.encode()), actor=None, file_name=DEMO_POPULATION_FILE)
    context.changes += 1
