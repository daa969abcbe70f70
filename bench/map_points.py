"""Benchmark: a dialogue's map with 20,000 points; the public GeoJSON feed, the accessible
list and a point's page.

Builds an open map in Berga (the map's test factories) and bulk-creates N points spread
over its area (points, with every twentieth hidden by a moderator), with agree and comment
counts, then times through Django's test client, in one process on PostgreSQL with the
production profile: the map's GeoJSON (all published points), the list page (newest first
and most agreed first) and a point's page, each as p50/p95 of a number of runs, with the
number of database queries per request (fixed whatever the number of points).

    .venv/bin/python bench/map_points.py
    .venv/bin/python bench/map_points.py --points 5000 --runs 20

Creates and drops its own database, torget_bench_map (or --database-url).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

COMMENTS = (
    "Mörkt under gångtunneln på kvällen.",
    "Här behövs ett övergångsställe.",
    "Bra plats för bänkar och träd.",
    "Cyklisterna kör fort här, det är otryggt för barnen.",
    "Klätterträdet måste få stå kvar!",
)


def build_map(count: int, rng: random.Random) -> tuple[Any, list[int]]:
    from django.utils import timezone

    from torget.mapinput.models import HideReason, Point, Shape, Status
    from torget.mapinput.tests.factories import citizen, map_

    m = map_()
    categories = list(m.categories.all())
    authors = [citizen() for _ in range(50)]
    now = timezone.now()
    rows = []
    for n in range(count):
        lat, lon = rng.uniform(59.3005, 59.3195), rng.uniform(18.0005, 18.0195)
        hidden = n % 20 == 0
        author = rng.choice(authors)
        rows.append(
            Point(
                map=m,
                category=rng.choice(categories),
                shape=Shape.POINT,
                geometry={"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                lat=lat,
                lon=lon,
                comment=rng.choice(COMMENTS),
                author=author,
                shown_name=author.public_name,
                status=Status.HIDDEN if hidden else Status.PUBLISHED,
                hidden_reason=HideReason.SPAM if hidden else "",
                hidden_at=now if hidden else None,
                agree_count=rng.randint(0, 40),
                comment_count=rng.randint(0, 8),
                created_at=now - __import__("datetime").timedelta(minutes=n),
            )
        )
    created = Point.objects.bulk_create(rows, batch_size=2000)
    return m, [p.pk for p in created if p.status == Status.PUBLISHED]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30, help="requests to each page")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench_map"
    )
    args = parser.parse_args()

    env = environment(args.database_url)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.update(env)
    prepare_database(args.database_url)

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(20)
    started = time.perf_counter()
    m, published = build_map(args.points, rng)
    print(
        f"built a map of {args.points} points ({len(published)} published) "
        f"in {time.perf_counter() - started:.1f} s (bulk_create)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    kwargs = {"dialogue_pk": m.dialogue_id, "pk": m.pk}
    pages = [
        ("map GeoJSON (public)", reverse("mapinput:geojson", kwargs=kwargs), {}),
        ("list, newest first", reverse("mapinput:list", kwargs=kwargs), {}),
        (
            "list, most agreed, page 50",
            reverse("mapinput:list", kwargs=kwargs),
            {"ordning": "flest-haller-med", "sida": 50},
        ),
        ("point page", reverse("mapinput:point", args=[published[len(published) // 2]]), {}),
        ("map page", reverse("mapinput:map", kwargs=kwargs), {}),
    ]
    for label, url, params in pages:
        cache.clear()  # the first request builds what later ones may find cached
        queries: list[str] = []

        def counted(run: Any, sql: str, *rest: Any, seen: list[str] = queries) -> Any:
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(counted):
            start = time.perf_counter()
            response = client.get(url, params)
            cold = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        durations = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url, params)
            durations.append(time.perf_counter() - start)
        print(
            f"{label:<28} p50 {1000 * percentile(durations, 0.5):8.1f} ms  "
            f"p95 {1000 * percentile(durations, 0.95):8.1f} ms  "
            f"first {1000 * cold:8.1f} ms  "
            f"{len(queries):2d} queries  {len(response.content) / 1024:8.0f} KiB"
        )


if __name__ == "__main__":
    main()
