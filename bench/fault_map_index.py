"""Experiment: the map's bounding-box query with a covering index, on fault_map.py's database.

selectors.cases_in_bbox asks for the newest 500 public reports in a box. PostgreSQL estimates
the rows in a box as if latitude and longitude were independent; where reports cluster (a
locality in the countryside) it can expect ~1,000 rows, find ~17,000, fetch them all from the
table and sort them. The alternative measured here picks the 500 ids from an index alone and
fetches only those:

    CREATE INDEX … ON feedback_case (lat, lon) INCLUDE (created_at, id)
        WHERE is_public AND merged_into_id IS NULL AND kind = 'fel'

    newest = <the same filter>.order_by("-created_at").values("pk")[:limit]
    Case.objects.filter(pk__in=newest).order_by("-created_at").values(…)

It prints the database time (EXPLAIN ANALYZE) per box size for the selector as it is, the
selector with the index added, and the two-step query, and checks that the two queries return
the same reports. Everything happens in one transaction that is rolled back: the database is
left as fault_map.py made it. No migration; an experiment.

    .venv/bin/python bench/fault_map.py --reports 500000     # first, to fill torget_bench
    .venv/bin/python bench/fault_map_index.py
"""

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from support_storm import environment  # noqa: E402

INDEX = (
    "CREATE INDEX feedback_case_public_map_cover ON feedback_case (lat, lon) "
    "INCLUDE (created_at, id) WHERE is_public AND merged_into_id IS NULL AND kind = 'fel'"
)
FIELDS = ("number", "lat", "lon", "category__name", "status__name", "is_open", "created_at")
Box = tuple[float, float, float, float]


def two_step(
    *, min_lon: float, min_lat: float, max_lon: float, max_lat: float, limit: int = 500
) -> list[dict[str, Any]]:
    from torget.feedback.models import Case, Kind

    newest = (
        Case.objects.filter(
            is_public=True,
            merged_into__isnull=True,
            kind=Kind.FAULT,
            lat__gte=min_lat,
            lat__lte=max_lat,
            lon__gte=min_lon,
            lon__lte=max_lon,
        )
        .order_by("-created_at")
        .values("pk")[:limit]
    )
    return list(Case.objects.filter(pk__in=newest).order_by("-created_at").values(*FIELDS))


def database_ms(query: Callable[..., list[dict[str, Any]]], box: Box) -> tuple[float, str]:
    """Execution time of the SQL the query sends, warmed, from EXPLAIN ANALYZE."""
    from django.db import connection

    captured: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    values = dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), box, strict=True))
    for _ in range(3):
        with connection.execute_wrapper(capture):
            query(**values)
    sql, params = captured[-1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (float(found.group(1)) if found else float("nan")), plan


def table(
    label: str, query: Callable[..., list[dict[str, Any]]], sets: dict[str, list[Box]]
) -> None:
    from fault_map import SIZES

    for size in SIZES:
        times = sorted(database_ms(query, box)[0] for box in sets[size])
        print(
            f"{label:<22} {size:<13} median {times[len(times) // 2]:6.1f} ms   "
            f"worst {times[-1]:6.1f} ms   ({len(times)} boxes)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=5, help="the seed fault_map.py used")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench")
    args = parser.parse_args()
    os.environ.update(environment(args.database_url))
    import django

    django.setup()
    from django.db import connection, transaction
    from fault_map import boxes

    from torget.feedback import selectors
    from torget.feedback.models import Case

    print(f"database: {Case.objects.count()} fault reports")
    sets = boxes(args.seed)
    table("selector", selectors.cases_in_bbox, sets)
    with transaction.atomic():
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(INDEX)
            cursor.execute("ANALYZE feedback_case")
            cursor.execute(
                "SELECT pg_size_pretty(pg_relation_size('feedback_case_public_map_cover')), "
                "pg_size_pretty(pg_relation_size('feedback_case_public_map'))"
            )
            new_size, old_size = cursor.fetchone()
        print(
            f"covering index built in {time.perf_counter() - started:.1f} s: {new_size} "
            f"(feedback_case_public_map: {old_size})"
        )
        table("selector + index", selectors.cases_in_bbox, sets)
        table("two steps + index", two_step, sets)
        for size in ("street", "district", "municipality"):
            for box in sets[size]:
                values = dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), box, strict=True))
                now = [row["number"] for row in selectors.cases_in_bbox(**values)]
                then = [row["number"] for row in two_step(**values)]
                assert now == then, f"the two queries differ for {box}"
        worst = max(sets["district"], key=lambda box: database_ms(selectors.cases_in_bbox, box)[0])
        print(f"\ntwo steps + index, the selector's worst district box {worst}:")
        print(database_ms(two_step, worst)[1])
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
