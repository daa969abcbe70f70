"""Generates areas.geojson: the demo municipality's plausible, fictional polygons.

A town of eight districts (an inner city and a ring of seven) inside a municipality whose
countryside is split into four parts, each with one locality; seven utskottsområden group
them, three in the town and four outside (seed 000). Run once; the output is committed.

    python torget/geo/demo_data/generate_areas.py > torget/geo/demo_data/areas.geojson
"""

import json
import math

from shapely.geometry import Point, Polygon, mapping
from shapely.ops import unary_union

CENTRE_LAT, CENTRE_LON = 58.4100, 15.6200
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = KM_PER_DEG_LAT * math.cos(math.radians(CENTRE_LAT))
INNER_KM, TOWN_KM = 1.6, 5.0


def wobble(angle: float, amount: float) -> float:
    """A repeatable irregularity, so borders don't look drawn with a compass."""
    return 1 + amount * (math.sin(3 * angle) * 0.6 + math.sin(7 * angle + 1.3) * 0.4)


def ring_points(radius: float, start: float, end: float, amount: float, steps: int = 24):
    return [
        (
            radius * wobble(math.radians(a), amount) * math.cos(math.radians(a)),
            radius * wobble(math.radians(a), amount) * math.sin(math.radians(a)),
        )
        for a in (start + (end - start) * i / steps for i in range(steps + 1))
    ]


def sector(inner: float, outer: float, start: float, end: float, amount: float = 0.05) -> Polygon:
    outer_arc = ring_points(outer, start, end, amount)
    inner_arc = ring_points(inner, end, start, amount) if inner else [(0.0, 0.0)]
    return Polygon(outer_arc + inner_arc)


def to_lonlat(geometry):
    def convert(coords):
        return [
            (round(CENTRE_LON + x / KM_PER_DEG_LON, 5), round(CENTRE_LAT + y / KM_PER_DEG_LAT, 5))
            for x, y in coords
        ]

    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    converted = [
        Polygon(convert(p.exterior.coords), [convert(i.coords) for i in p.interiors])
        for p in polygons
    ]
    result = unary_union(converted).buffer(0)
    if not result.is_valid or result.is_empty:
        raise ValueError("generated an invalid polygon")
    return result


inner_city = Polygon(ring_points(INNER_KM, 0, 360, 0.08, steps=48))
town = Polygon(ring_points(TOWN_KM, 0, 360, 0.05, steps=72))
municipality = Polygon(ring_points(22.0, 0, 360, 0.12, steps=120))

town_districts = {
    # name: (start angle, end angle) of the ring sector, degrees from east, counter-clockwise
    "Tallboda": (-20, 30),
    "Johannelund": (30, 75),
    "Skäggetorp": (75, 130),
    "Ryd": (130, 200),
    "Lambohov": (200, 250),
    "Ekholmen": (250, 295),
    "Berga": (295, 340),
}
districts = {"Innerstaden": inner_city}
for name, (start, end) in town_districts.items():
    districts[name] = sector(0, 8, start, end).intersection(town).difference(inner_city)

localities = {
    # name: (angle, distance km, radius km)
    "Linghem": (20, 11, 1.6),
    "Malmslätt": (170, 9.5, 2.0),
    "Vikingstad": (215, 15, 1.6),
    "Ekängen": (310, 8.5, 1.3),
}
locality_shapes = {
    name: Point(d * math.cos(math.radians(a)), d * math.sin(math.radians(a))).buffer(r, 16)
    for name, (a, d, r) in localities.items()
}

countryside = {
    "Östra landsbygden": ((-20, 120), "Linghem"),
    "Västra landsbygden": ((120, 200), "Malmslätt"),
    "Sydvästra landsbygden": ((200, 280), "Vikingstad"),
    "Södra landsbygden": ((280, 340), "Ekängen"),
}
committee_areas = {
    "Utskottsområde Centrum": unary_union(
        [districts[n] for n in ("Innerstaden", "Johannelund", "Tallboda")]
    ),
    "Utskottsområde Norr och väster": unary_union([districts[n] for n in ("Skäggetorp", "Ryd")]),
    "Utskottsområde Söder": unary_union([districts[n] for n in ("Lambohov", "Ekholmen", "Berga")]),
}
for name, ((start, end), _locality) in countryside.items():
    committee_areas[f"Utskottsområde {name}"] = (
        sector(0, 40, start, end, 0).intersection(municipality).difference(town)
    )

features = [{"name": "Storeby kommun", "kind": "kommun", "parent": None, "geometry": municipality}]
parents = {
    "Innerstaden": "Utskottsområde Centrum",
    "Johannelund": "Utskottsområde Centrum",
    "Tallboda": "Utskottsområde Centrum",
    "Skäggetorp": "Utskottsområde Norr och väster",
    "Ryd": "Utskottsområde Norr och väster",
    "Lambohov": "Utskottsområde Söder",
    "Ekholmen": "Utskottsområde Söder",
    "Berga": "Utskottsområde Söder",
}
for name, shape in committee_areas.items():
    features.append(
        {"name": name, "kind": "utskottsomrade", "parent": "Storeby kommun", "geometry": shape}
    )
for name, shape in districts.items():
    features.append({"name": name, "kind": "stadsdel", "parent": parents[name], "geometry": shape})
for name, ((_s, _e), locality) in countryside.items():
    features.append(
        {
            "name": locality,
            "kind": "ort",
            "parent": f"Utskottsområde {name}",
            "geometry": locality_shapes[locality],
        }
    )

collection = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f["name"], "kind": f["kind"], "parent": f["parent"]},
            "geometry": mapping(to_lonlat(f["geometry"])),
        }
        for f in features
    ],
}
print(json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
