"""Benchmark: fault reports POSTed through Open311 (POST /open311/v2/requests.xml).

Serves Torget with gunicorn on PostgreSQL (production profile) and drives it with wrk: each
request is an urlencoded GeoReport v2 report with an api_key (many integrations, so no single
key meets its per-minute limit), a point inside the municipality (found in its district, routed
by area), answers to the category's questions (one of them multi-valued) and, every other
request, the reporter's e-mail (a receipt queued in the outbox). Reports requests/s and
p50/p95 latency, checks that every 200 became exactly one case, and, from the same server in
the same run, the smallest Django POST view (/bench/post/) as the baseline.

    .venv/bin/python bench/open311_post.py                       # 20 s, 16 connections
    .venv/bin/python bench/open311_post.py --duration 30 --workers 8 --connections 64

Needs wrk (apt-get install -y wrk). Creates and drops its own database, torget_bench_open311.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import free_port, prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

SERVICE = "gatubelysning"


def prepare(keys: int) -> Path:
    """A municipality with districts, one fault category with questions, `keys` integrations."""
    import django

    django.setup()
    from django.core.management import call_command

    from torget.feedback.models import AttributeType, Category, CategoryAttribute, CategoryUse
    from torget.feedback.open311.keys import api_client_create
    from torget.geo.models import Area, AreaKind
    from torget.organisation.models import Administration, Municipality

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    Municipality.objects.create(name="Benchby kommun")

    def square(lon: float, lat: float, size: float) -> dict[str, Any]:
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}

    municipality = Area.objects.create(
        name="Benchby", slug="benchby", kind=AreaKind.MUNICIPALITY, geometry=square(15, 58, 1)
    )
    for row in range(3):
        for column in range(3):
            Area.objects.create(
                name=f"Distrikt {row}{column}",
                slug=f"distrikt-{row}{column}",
                kind=AreaKind.DISTRICT,
                parent=municipality,
                geometry=square(15 + column / 3, 58 + row / 3, 1 / 3),
            )
    administration = Administration.objects.create(
        name="Samhällsbyggnadsförvaltningen", slug="samhallsbyggnad"
    )
    category = Category.objects.create(
        name="Gatubelysning", code=SERVICE, use=CategoryUse.FAULT, administration=administration
    )
    CategoryAttribute.objects.create(
        category=category,
        code="typ",
        description="Vad är fel?",
        datatype=AttributeType.SINGLE,
        required=True,
        values=[
            {"key": "slackt", "name": "Lampan lyser inte"},
            {"key": "blinkar", "name": "Blinkar"},
        ],
    )
    CategoryAttribute.objects.create(
        category=category,
        code="tider",
        description="När?",
        datatype=AttributeType.MULTI,
        values=[{"key": k, "name": k} for k in ("natt", "kvall", "dag")],
    )
    started = time.perf_counter()
    lines = [api_client_create(name=f"Integration {n}")[1] for n in range(keys)]
    path = Path(tempfile.mkstemp(prefix="torget-bench-keys-", suffix=".txt")[1])
    path.write_text("\n".join(lines) + "\n")
    print(f"setup: {keys} integrations with keys in {time.perf_counter() - started:.1f} s")
    return path


def run_wrk(
    url: str, path: str, keys: Path, args: argparse.Namespace, *, duration: int
) -> dict[str, Any]:
    output = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH / "open311_post.lua"),
            url,
        ],
        env={**os.environ, "BENCH_KEYS": str(keys), "BENCH_PATH": path, "BENCH_SERVICE": SERVICE},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = dict(re.findall(r"(\w+)=(\d+)", output.split("RESULT", 1)[1].splitlines()[0]))
    figures: dict[str, Any] = {key: float(value) for key, value in result.items()}
    figures["statuses"] = {code: int(n) for code, n in re.findall(r"STATUS (\d+) (\d+)", output)}
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def line(name: str, figures: dict[str, Any]) -> str:
    return (
        f"{name}: {figures['rate']:.0f} requests/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
        f"p95 {figures['p95_us'] / 1000:.1f} ms, p99 {figures['p99_us'] / 1000:.1f} ms, "
        f"statuses {figures['statuses']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--keys", type=int, default=200, help="integrations (api keys)")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench_open311"
    )
    args = parser.parse_args()

    env = environment(args.database_url)
    os.environ.update(env)
    prepare_database(args.database_url)
    keys = prepare(args.keys)

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
            "--worker-class=sync",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                requests.get(base + "/bench/post/", timeout=10)  # 405: the server is up
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        print(
            f"server: gunicorn, {args.workers} sync workers; wrk: {args.threads} threads, "
            f"{args.connections} connections, {args.duration} s per run; {args.keys} api keys"
        )
        # Warm every worker (imports, connections, caches) on both paths.
        run_wrk(base, "/bench/post/", keys, args, duration=2)
        run_wrk(base, "/open311/v2/requests.xml", keys, args, duration=3)
        time.sleep(1)  # requests the warm-up left in flight finish before the count
        import django

        django.setup()
        from torget.feedback.models import Case

        before = Case.objects.count()
        baseline = run_wrk(base, "/bench/post/", keys, args, duration=args.duration)
        print(line("baseline POST (/bench/post/)", baseline))
        posted = run_wrk(base, "/open311/v2/requests.xml", keys, args, duration=args.duration)
        print(line("Open311 POST requests.xml", posted))
        time.sleep(1)
    finally:
        server.terminate()
        server.wait()

    from torget.feedback.models import Case, Source
    from torget.geo.models import AreaKind
    from torget.notifications.models import Notification

    created = Case.objects.count() - before
    ok = posted["statuses"].get("200", 0)
    # wrk stops with up to one request per connection in flight; those may still be saved.
    matches = ok <= created <= ok + args.connections
    print(
        f"cases created in the measured run: {created} for {ok} answers 200 "
        f"{'OK' if matches else 'MISMATCH'}; all from Open311: "
        f"{Case.objects.exclude(source=Source.OPEN311).count() == 0}; "
        f"with a district: {Case.objects.filter(area__kind=AreaKind.DISTRICT).count()} of "
        f"{Case.objects.count()}; receipts queued: {Notification.objects.count()}"
    )
    print(f"ratio Open311 ÷ baseline requests/s: {posted['rate'] / baseline['rate']:.2f}")
    keys.unlink()


if __name__ == "__main__":
    main()
