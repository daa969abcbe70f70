"""Benchmark: the public map's GeoJSON (/felanmalan/karta.geojson?bbox=…) at 500,000 fault
reports.

Loads the demo municipality (`load_demo`: areas, förvaltningar, units), adds fault categories
through the ORM (routed the way `services.route` routes them) and copies 500,000 fault reports
straight into PostgreSQL (COPY; not through case_create, which would take hours): points spread
over the demo's districts and localities (dense in town, sparse in the countryside), three
years of reports, most of them closed, a few hidden by staff or merged. Then it serves Torget
with gunicorn (production profile) and asks wrk, for a few seconds per size, for a mix of
bounding boxes:

    street        ~300 m x 300 m around existing reports     (zoomed in on a street)
    district      the bounding box of each district/locality  (a stadsdel or an ort)
    city          ~8 km x 5 km around the town centre         (the town at a glance)
    municipality  the whole municipality's bounding box       (the map's first view)

and prints requests/s and p50/p95/p99 latency per size, the reports per answer, and the
EXPLAIN (ANALYZE, BUFFERS) plan of the selector's query (selectors.cases_in_bbox) for the
smallest and the largest box: it should use the partial index feedback_case_public_map (or,
where the box holds most reports, the created_at index) and stop at the LIMIT cap. There is
no cache in front: every request reaches Django.

    .venv/bin/python bench/fault_map.py
    .venv/bin/python bench/fault_map.py --reports 50000 --duration 5
    .venv/bin/python bench/fault_map.py --reuse            # keep the database of the last run

bench/fault_map_index.py compares, on the database this leaves, the selector's query with an
alternative index and query (in a transaction that is rolled back).

Needs wrk (apt-get install -y wrk). Creates and drops its own database, torget_bench.
"""

import argparse
import datetime
import json
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import free_port, prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

# Used only when the demo has no fault categories of its own:
# (code, name, group, förvaltning, unit).
CATEGORIES = [
    ("gatubelysning", "Gatubelysning", "Gator och trafik", "SBF", "Gata och park"),
    ("gator", "Hål i gata, gång- eller cykelväg", "Gator och trafik", "SBF", "Gata och park"),
    ("snorojning", "Snöröjning och halka", "Gator och trafik", "SBF", "Gata och park"),
    ("klotter", "Klotter och skadegörelse", "Parker och natur", "SBF", "Gata och park"),
    ("lekplatser", "Lekplatser", "Fritid", "KFF", "Fritid och föreningar"),
]
TEXTS = [
    "Lampan i stolpen vid övergångsstället lyser inte.",
    "Stort hål i asfalten på cykelbanan, farligt i mörker.",
    "Ingen har plogat gångvägen till skolan.",
    "Klotter på väggen vid busshållplatsen.",
    "Papperskorgen är full och skräpet blåser omkring.",
    "Gungan på lekplatsen är trasig.",
    "En gren har fallit över gångvägen.",
]
YEARS = 3
SIZES = ["street", "district", "city", "municipality"]


# --- The data ---------------------------------------------------------------------------------


def fill(count: int, seed: int) -> None:
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from torget.feedback.models import Case, CaseStatus
    from torget.organisation.selectors import municipality_get

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    categories, weights = _categories()
    rng = np.random.default_rng(seed)
    points = _points(rng, count)
    print(f"setup: demo municipality, {len(categories)} categories, {count} points in its areas")

    fields = [f for f in Case._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    first_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    statuses = {status.slug: status for status in CaseStatus.objects.all()}
    sla_days = municipality_get().feedback_sla_days
    rows = _rows(rng, count, first_id, categories, weights, points, statuses, sla_days)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY feedback_case ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(_value(row, f) for f in fields))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('feedback_case', 'id'), max(id)) "
            "FROM feedback_case"
        )
        cursor.execute("VACUUM ANALYZE feedback_case")
    public = Case.objects.filter(is_public=True, merged_into__isnull=True).count()
    print(
        f"setup: {count} fault reports ({public} public and not merged) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _value(row: dict[str, Any], field: Any) -> Any:
    if field.attname in row:
        return row[field.attname]
    if field.null:
        return None
    default = field.get_default()
    if isinstance(default, dict | list):
        return json.dumps(default)
    return default


def _categories() -> tuple[list[tuple[Any, dict[int, tuple[int, int | None]]]], list[float]]:
    """The demo's fault categories, each with its (förvaltning, unit) per area as
    services.route gives it (snow clearing in the eastern countryside has a route of its
    own), and each one's share of the reports: the first ones are the common ones."""
    from torget.feedback.models import Category, CategoryRoute, CategoryUse
    from torget.feedback.services import route
    from torget.geo.models import Area
    from torget.organisation.models import Administration, Unit

    if not Category.objects.filter(use=CategoryUse.FAULT, is_active=True).exists():
        for order, (code, name, group, abbreviation, unit_name) in enumerate(CATEGORIES):
            administration = Administration.objects.get(abbreviation=abbreviation)
            category = Category(
                code=code,
                name=name,
                group=group,
                use=CategoryUse.FAULT,
                administration=administration,
                unit=Unit.objects.get(administration=administration, name=unit_name),
                order=order,
            )
            category.full_clean()
            category.save()
    snow = Category.objects.filter(code="snorojning").first()
    if snow is not None:
        CategoryRoute.objects.get_or_create(
            category=snow,
            area=Area.objects.get(name="Utskottsområde Östra landsbygden"),
            defaults={"administration": Administration.objects.get(abbreviation="KLF")},
        )
    areas = list(Area.objects.all())
    result = []
    for category in Category.objects.filter(use=CategoryUse.FAULT, is_active=True).order_by(
        "order", "pk"
    ):
        routes = {}
        for area in areas:
            responsible, unit = route(category, area)
            routes[area.pk] = (responsible.pk, unit.pk if unit else None)
        result.append((category, routes))
    weights = [1 / (index + 2) for index in range(len(result))]
    return result, [w / sum(weights) for w in weights]


def _points(rng: Any, count: int) -> tuple[Any, Any, Any]:
    """Points inside the demo's areas: 70 % in the districts (by their size), 15 % in the
    localities, 15 % anywhere in the municipality; each with its smallest area."""
    import numpy as np
    from shapely import contains_xy

    from torget.geo.models import Area, AreaKind

    areas = list(Area.objects.all())
    districts = [a for a in areas if a.kind == AreaKind.DISTRICT]
    localities = [a for a in areas if a.kind == AreaKind.LOCALITY]
    municipality = next(a for a in areas if a.kind == AreaKind.MUNICIPALITY)
    regions = districts + localities + [municipality]
    shares = np.array(
        [0.70 * a.shape.area / sum(d.shape.area for d in districts) for a in districts]
        + [0.15 * a.shape.area / sum(d.shape.area for d in localities) for a in localities]
        + [0.15]
    )
    per_region = rng.multinomial(count, shares / shares.sum())
    lon_parts, lat_parts = [], []
    for area, wanted in zip(regions, per_region, strict=True):
        found_lon, found_lat, found = [], [], 0
        while found < wanted:
            lon = rng.uniform(area.min_lon, area.max_lon, wanted * 2)
            lat = rng.uniform(area.min_lat, area.max_lat, wanted * 2)
            inside = contains_xy(area.shape, lon, lat)
            found_lon.append(lon[inside])
            found_lat.append(lat[inside])
            found += int(inside.sum())
        lon_parts.append(np.concatenate(found_lon)[:wanted])
        lat_parts.append(np.concatenate(found_lat)[:wanted])
    lon, lat = np.concatenate(lon_parts), np.concatenate(lat_parts)
    order = rng.permutation(count)
    lon, lat = lon[order], lat[order]
    # The smallest area containing each point, as services.locate finds it.
    area_ids = np.full(count, municipality.pk)
    for area in sorted(areas, key=lambda a: a.shape.area, reverse=True):
        area_ids[contains_xy(area.shape, lon, lat)] = area.pk
    return lon.round(6), lat.round(6), area_ids


def _rows(
    rng: Any,
    count: int,
    first_id: int,
    categories: list[tuple[Any, dict[int, tuple[int, int | None]]]],
    weights: list[float],
    points: tuple[Any, Any, Any],
    statuses: dict[str, Any],
    sla_days: int,
) -> Iterator[dict[str, Any]]:
    """The reports in the order they came in (ids follow time, as in a real database).
    Reads nothing from the database: the COPY has the connection while this runs."""
    from functools import lru_cache

    from django.utils import timezone

    from torget.core.workdays import add_working_days
    from torget.feedback.models import Kind, ReplyChannel, Source

    lon, lat, area_ids = points
    respond_by = lru_cache(maxsize=None)(lambda day: add_working_days(day, sla_days))
    now = timezone.now()
    ages = sorted(rng.uniform(0, YEARS * 365 * 86400, count), reverse=True)
    category_index = rng.choice(len(categories), size=count, p=weights)
    chance = rng.random((count, 6))
    delays = rng.exponential(4 * 86400, (count, 2))
    for n in range(count):
        pk = first_id + n
        created = now - datetime.timedelta(seconds=float(ages[n]))
        age_days = (now - created).days
        category, routes = categories[category_index[n]]
        administration_id, unit_id = routes[int(area_ids[n])]
        roll, visibility, merge, channel, source, text = chance[n]
        if roll < min(0.92, age_days / 45):
            slug = "atgardat" if roll < 0.7 else "avslutat" if roll < 0.88 else "vidarebefordrat"
        else:
            slug = "mottaget" if roll > 0.97 else "pagar" if roll > 0.94 else "besvarat"
        merged_into = None
        if merge < 0.015 and pk > first_id and slug != "mottaget":
            slug, merged_into = "avslutat", int(rng.integers(first_id, pk))
        status = statuses[slug]
        answered = slug != "mottaget"
        first_response = created + datetime.timedelta(seconds=float(delays[n][0]))
        closed = first_response + datetime.timedelta(seconds=float(delays[n][1]))
        if status.is_closed and closed > now:
            closed = now
        email = channel < 0.3
        local = timezone.localtime(created)
        yield {
            "id": pk,
            "number": f"{local.year}-{pk:05d}",
            "kind": Kind.FAULT.value,
            "category_id": category.pk,
            "description": TEXTS[int(text * len(TEXTS))],
            "lat": float(lat[n]),
            "lon": float(lon[n]),
            "address": "",
            "area_id": int(area_ids[n]),
            "attributes": "{}",
            "status_id": status.pk,
            "is_open": not status.is_closed,
            "administration_id": administration_id,
            "unit_id": unit_id,
            "reporter_email": f"person{pk}@example.se" if email else "",
            "reply_channel": (ReplyChannel.EMAIL if email else ReplyChannel.NONE).value,
            "source": (Source.OPEN311 if source < 0.1 else Source.WEB).value,
            "is_public": visibility > 0.03,
            "merged_into_id": merged_into,
            "token": secrets.token_urlsafe(32),
            "created_at": created,
            "updated_at": closed if status.is_closed else created,
            "respond_by": respond_by(local.date()),
            "first_response_at": min(first_response, now) if answered else None,
            "closed_at": closed if status.is_closed else None,
        }


# --- The boxes --------------------------------------------------------------------------------


def boxes(seed: int) -> dict[str, list[tuple[float, float, float, float]]]:
    """Boxes of each size, (min_lon, min_lat, max_lon, max_lat)."""
    import random

    from torget.feedback.models import Case
    from torget.geo.models import Area, AreaKind

    rng = random.Random(seed)
    areas = list(Area.objects.all())
    municipality = next(a for a in areas if a.kind == AreaKind.MUNICIPALITY)
    town = [a.pk for a in areas if a.kind == AreaKind.DISTRICT]
    centre = Area.objects.get(name="Utskottsområde Centrum")
    # Street level: ~300 m around where reports are (a visitor zooms in on one).
    dlat = 0.15 / 111.32
    dlon = 0.15 / (111.32 * math.cos(math.radians(municipality.shape.centroid.y)))
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    candidates = rng.sample(range(1, last + 1), min(last, 2000))
    sample = list(
        Case.objects.filter(area_id__in=town, pk__in=candidates)
        .order_by("pk")
        .values_list("lon", "lat")[:40]
    )
    street = [(lon - dlon, lat - dlat, lon + dlon, lat + dlat) for lon, lat in sample]
    district = [
        (a.min_lon, a.min_lat, a.max_lon, a.max_lat)
        for a in areas
        if a.kind in (AreaKind.DISTRICT, AreaKind.LOCALITY)
    ]
    # The town at a glance: ~8 km x 5 km around points near the centre.
    city = []
    for _ in range(10):
        lon = rng.uniform(centre.min_lon, centre.max_lon)
        lat = rng.uniform(centre.min_lat, centre.max_lat)
        city.append((lon - 0.07, lat - 0.023, lon + 0.07, lat + 0.023))
    whole = [
        (municipality.min_lon, municipality.min_lat, municipality.max_lon, municipality.max_lat)
    ]
    return {"street": street, "district": district, "city": city, "municipality": whole}


def path_of(box: tuple[float, float, float, float]) -> str:
    return "/felanmalan/karta.geojson?bbox=" + ",".join(f"{v:.5f}" for v in box)


# --- The query plan ---------------------------------------------------------------------------


def explain(box: tuple[float, float, float, float]) -> tuple[str, int]:
    """EXPLAIN (ANALYZE, BUFFERS) of exactly the query selectors.cases_in_bbox sends."""
    from django.db import connection

    from torget.feedback import selectors

    captured: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    values = dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), box, strict=True))
    for _ in range(3):  # warm: the plan of a query a visitor sends again and again
        with connection.execute_wrapper(capture):
            rows = selectors.cases_in_bbox(**values, limit=selectors.MAP_LIMIT)
    sql, params = captured[-1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan, len(rows)


def plan_summary(plan: str) -> str:
    indexes = sorted(
        set(re.findall(r"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?using (\w+)", plan))
    )
    indexes += sorted(set(re.findall(r"Bitmap Index Scan on (\w+)", plan)) - set(indexes))
    limit = "Limit" in plan.split("\n", 1)[0]
    took = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (
        f"indexes {', '.join(indexes) or 'none (sequential scan)'}; "
        f"{'LIMIT at the top' if limit else 'NO LIMIT'}; "
        f"{float(took.group(1)) if took else float('nan'):.1f} ms"
    )


# --- Load ------------------------------------------------------------------------------------


def run_wrk(base: str, paths: list[str], args: argparse.Namespace) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", prefix="torget-bench-paths-", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "30s",
                "-s",
                str(BENCH / "fault_map.lua"),
                base,
            ],
            env={**os.environ, "BENCH_PATHS": listing.name},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    figures = {
        k: float(v)
        for k, v in re.findall(r"(\w+)=(\d+)", output.split("RESULT", 1)[1].splitlines()[0])
    }
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    bad = {c: n for c, n in re.findall(r"STATUS (\d+) (\d+)", output) if c != "200"}
    if bad:
        raise SystemExit(f"unexpected statuses {bad}")
    return figures


def measure(
    base: str, sets: dict[str, list[tuple[float, float, float, float]]], args: argparse.Namespace
) -> None:
    print(
        f"{'box':<13} {'boxes':>5} {'reports':>8} {'capped':>6} {'kB':>5} "
        f"{'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for size in SIZES:
        paths = [path_of(box) for box in sets[size]]
        counts, capped, sizes = [], 0, []
        for path in paths:
            response = requests.get(base + path, timeout=60)
            response.raise_for_status()
            data = response.json()
            counts.append(len(data["features"]))
            capped += bool(data.get("truncated"))
            sizes.append(len(response.content))
        figures = run_wrk(base, paths, args)
        print(
            f"{size:<13} {len(paths):>5} {sum(counts) / len(counts):>8.0f} "
            f"{capped / len(paths):>6.0%} {sum(sizes) / len(sizes) / 1024:>5.0f} "
            f"{figures['rate']:>6.0f} {figures['p50_us'] / 1000:>7.1f} "
            f"{figures['p95_us'] / 1000:>7.1f} {figures['p99_us'] / 1000:>7.1f}"
        )


def report_plans(sets: dict[str, list[tuple[float, float, float, float]]]) -> None:
    for size in SIZES:
        times = []
        for box in sets[size][:12]:
            plan, _rows = explain(box)
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            times.append(float(took.group(1)) if took else float("nan"))
        times.sort()
        print(
            f"query {size:<13} median {times[len(times) // 2]:6.1f} ms, "
            f"worst {times[-1]:6.1f} ms over {len(times)} boxes; "
            f"first: {plan_summary(explain(sets[size][0])[0])}"
        )
    for label, box in (
        ("smallest (street)", sets["street"][0]),
        ("largest (municipality)", sets["municipality"][0]),
    ):
        plan, rows = explain(box)
        print(
            f"\nEXPLAIN (ANALYZE, BUFFERS), {label} box {path_of(box).split('=', 1)[1]}: {rows} rows"
        )
        print(plan)
        print(f"-> {plan_summary(plan)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per box size")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench")
    args = parser.parse_args()

    env = environment(args.database_url)
    os.environ.update(env)
    if not args.reuse:
        prepare_database(args.database_url)
        fill(args.reports, args.seed)
    import django

    django.setup()
    from torget.feedback.models import Case

    print(f"database: {Case.objects.count()} fault reports")
    sets = boxes(args.seed)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "torget.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                requests.get(base + "/felanmalan/karta.geojson", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        print(
            f"server: gunicorn, {args.workers} sync workers; wrk: {args.connections} "
            f"connections, {args.duration} s per box size"
        )
        measure(base, sets, args)
        report_plans(sets)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
