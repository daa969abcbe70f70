"""Benchmark: the public proposal list (/forslag/) at 100,000 proposals.

Fills a PostgreSQL database with 100,000 proposals (90 % public, with supports counted,
topics, areas and Swedish text), serves Torget with gunicorn (production profile) and asks
wrk for each kind of list page for a few seconds: newest first, most supported, closing
soon, one category, one area, a full-text search, and a deep page, and the API's list
endpoints (PAGES below; a page that answers 404, an API not built yet, is skipped with a
note). Prints requests/s, p50/p95/p99 latency and the SQL queries per request for each page.
There is no HTTP cache in front: every request reaches Django (Django's own cache of the
list's counts and pages is on, as in production; --list-cache-seconds 0 turns it off, to
measure what each request costs when nothing is cached).

The queries are counted in-process before the wrk run (django.test.Client on the same
database, CaptureQueriesContext): "q" is a first request with an empty cache, then a second
one (what most requests under load are when the cache is on).

    .venv/bin/python bench/proposal_list.py
    .venv/bin/python bench/proposal_list.py --proposals 20000 --duration 5
    .venv/bin/python bench/proposal_list.py --list-cache-seconds 0

Needs wrk (apt-get install -y wrk). Creates and drops its own database, torget_bench.
"""

import argparse
import datetime
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import free_port, prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

# What is measured: name → address ({topic} and {area} are filled in after the fill). Add
# a row for a new list; rows that answer 404 (an API not built yet) are skipped with a note.
PAGES = {
    "newest": "/forslag/",
    "most supported": "/forslag/?sortera=mest-stod",
    "closing soon": "/forslag/?sortera=slutar-snart",
    "one category": "/forslag/?kategori={topic}",
    "one area": "/forslag/?omrade={area}",
    "search": "/forslag/?q=cykelbana+belysning",
    "page 2000": "/forslag/?sida=2000",
    "page 50": "/forslag/?sida=50",
    "api proposals": "/api/v1/forslag/",
    "api most supported": "/api/v1/forslag/?ordering=-support_count",
    "api one category": "/api/v1/forslag/?topic={topic_slug}",
    "api one area": "/api/v1/forslag/?area={area_slug}",
    "api deep cursor": "/api/v1/forslag/?cursor={deep_cursor}",
    "api faults": "/api/v1/felanmalningar/",
    "api dialogues": "/api/v1/dialoger/",
    "api budget": "/api/v1/medborgarbudget-projekt/",
    "api areas": "/api/v1/omraden/geojson/",
}
# Most requests allowed per page (issue 22).
MAX_QUERIES = 10

WORDS = (
    "cykelbana gångväg belysning park lekplats skola förskola bibliotek badplats utegym "
    "hundrastgård busshållplats trafik parkering träd blommor bänkar papperskorgar simhall "
    "ishall fotbollsplan konstgräs ungdomsgård fritidsgård äldreboende trygghet kameror "
    "snöröjning sandning återvinning laddstolpar solpaneler torget centrum stranden skogen"
).split()


def fill(count: int) -> tuple[int, int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from torget.geo.models import Area, AreaKind
    from torget.organisation.models import Municipality, Topic
    from torget.proposals.models import Proposal, Status

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    Municipality.objects.create(name="Benchby kommun")
    topics = [Topic.objects.create(name=f"Ämne {n}", slug=f"amne-{n}") for n in range(8)]
    areas = [
        Area.objects.create(
            name=f"Område {n}",
            slug=f"omrade-{n}",
            kind=AreaKind.DISTRICT,
            geometry={
                "type": "Polygon",
                "coordinates": [[[15, 58], [16, 58], [16, 59], [15, 59], [15, 58]]],
            },
        )
        for n in range(12)
    ]
    rng = random.Random(4)
    today = timezone.localdate()
    now = timezone.now()
    statuses = [Status.SIGNING] * 3 + [
        Status.UNSUPPORTED,
        Status.UNSUPPORTED,
        Status.TO_COUNCIL,
        Status.PREPARING,
        Status.DECIDED,
        Status.REGISTERED,
        Status.REJECTED,
    ]
    started = time.perf_counter()
    for offset in range(0, count, 10_000):
        batch = []
        for n in range(offset, min(offset + 10_000, count)):
            status = rng.choice(statuses)
            age = rng.randint(1, 1500)
            words = rng.sample(WORDS, 12)
            proposal = Proposal(
                title=" ".join(words[:4]).capitalize(),
                body=" ".join(words * 4),
                topic=rng.choice(topics),
                area=rng.choice(areas) if rng.random() < 0.7 else None,
                author_name=f"Person {n}",
                status=status,
                created_at=now - datetime.timedelta(days=age),
                published_at=now - datetime.timedelta(days=age - 1),
                signing_ends_on=today + datetime.timedelta(days=rng.randint(0, 90))
                if status == Status.SIGNING
                else today - datetime.timedelta(days=age - 91),
                threshold=50,
                support_count=rng.randint(0, 400),
            )
            if status == Status.DECIDED:
                proposal.outcome = "bifall"
            batch.append(proposal)
        Proposal.objects.bulk_create(batch)
    print(f"setup: {count} proposals in {time.perf_counter() - started:.1f} s")
    fill_other_lists(count, areas, rng)
    call_command("dbshell", "--", "-c", "VACUUM ANALYZE", verbosity=0)
    return topics[3].pk, areas[5].pk


def fill_other_lists(count: int, areas: list, rng: random.Random) -> None:
    """As many public fault reports, dialogues and citizen-budget ideas as proposals, for the
    API's other big lists: one of each made the way the test suite makes them (through the
    services, with everything they need), then copied in bulk with their own numbers and
    dates."""
    from django.utils import timezone

    from torget.budget.models import Idea, Phase
    from torget.budget.tests.factories import budget_round, idea
    from torget.dialogues.models import Dialogue
    from torget.dialogues.tests.factories import cast, opened
    from torget.feedback.models import Case
    from torget.feedback.tests.factories import make_case

    started = time.perf_counter()
    now = timezone.now()
    people = cast()
    case, dialogue = make_case(), opened(people)
    budget = budget_round(phase=Phase.VOTING)
    first_idea = idea(budget)
    for offset in range(0, count, 10_000):
        cases, dialogues, ideas = [], [], []
        for n in range(offset, min(offset + 10_000, count)):
            created = now - datetime.timedelta(minutes=rng.randint(1, 1500 * 24 * 60))
            case.pk, case.number = None, f"B{n:07d}"
            case.token, case.api_token = f"bench-{n}", f"bench-api-{n}"
            case.created_at = case.updated_at = created
            case.area = rng.choice(areas)
            cases.append(Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.fields}))
            dialogue.pk = None
            dialogue.title = f"Dialog {n}"
            dialogues.append(
                Dialogue(**{f.attname: getattr(dialogue, f.attname) for f in Dialogue._meta.fields})
            )
            first_idea.pk, first_idea.number = None, n + 2
            first_idea.title = f"Idé {n}"
            ideas.append(
                Idea(**{f.attname: getattr(first_idea, f.attname) for f in Idea._meta.fields})
            )
        Case.objects.bulk_create(cases)
        Dialogue.objects.bulk_create(dialogues)
        Idea.objects.bulk_create(ideas)
    print(
        f"setup: {count} fault reports, dialogues and budget ideas each "
        f"in {time.perf_counter() - started:.1f} s"
    )


def queries_per_request(pages: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """For each page: its status and the SQL queries of a first (empty cache) and a second
    request, counted in this process against the bench database."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    cache.clear()
    for name, path in pages.items():
        figures = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            figures.append(len(captured.captured_queries))
        counts[name] = (response.status_code, figures[0], figures[1])
    return counts


def api_placeholders(topic: int, area: int) -> dict[str, str]:
    """The slugs the API filters on, and its cursor 40,000 rows in (found by walking there:
    keyset paging costs the same at any depth, which this shows)."""
    from django.test import Client

    from torget.geo.models import Area
    from torget.organisation.models import Topic

    client = Client(SERVER_NAME="127.0.0.1")
    url, cursor = "/api/v1/forslag/?page_size=500", ""
    for _page in range(80):
        response = client.get(url)
        if response.status_code != 200 or not response.json().get("next"):
            break
        url = response.json()["next"].split("127.0.0.1", 1)[-1]
    if "cursor=" in url:
        cursor = url.split("cursor=", 1)[1].split("&", 1)[0]
    return {
        "topic_slug": Topic.objects.get(pk=topic).slug,
        "area_slug": Area.objects.get(pk=area).slug,
        "deep_cursor": cursor,
    }


def reuse() -> tuple[int, int]:
    """The category and area measured, from a database an earlier run filled."""
    import django

    django.setup()
    from django.core.management import call_command

    from torget.geo.models import Area
    from torget.organisation.models import Topic

    # The code may have changed since: its migrations and static files, as a deploy does.
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    return Topic.objects.get(slug="amne-3").pk, Area.objects.get(slug="omrade-5").pk


def run_wrk(
    base: str,
    path: str,
    args: argparse.Namespace,
    connections: int | None = None,
    duration: int | None = None,
) -> dict[str, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections or args.connections}",
            f"-d{duration or args.duration}s",
            "-s",
            str(BENCH / "get_paths.lua"),
            base,
        ],
        env={**os.environ, "BENCH_PATH": path},
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
        raise SystemExit(f"{path}: unexpected statuses {bad}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench")
    parser.add_argument(
        "--cache-url", default="", help="e.g. redis://127.0.0.1:6379/3 (default: in-process)"
    )
    parser.add_argument(
        "--list-cache-seconds",
        type=int,
        default=None,
        help="PROPOSALS_LIST_CACHE_SECONDS for the server (0: no cached counts or pages)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database filled by an earlier run"
    )
    args = parser.parse_args()

    env = environment(args.database_url, args.cache_url)
    # One machine sends everything: the API's per-IP limit would stop the benchmark itself.
    env["API_RATE_PER_MINUTE"] = "100000000"
    if args.list_cache_seconds is not None:
        env["PROPOSALS_LIST_CACHE_SECONDS"] = str(args.list_cache_seconds)
    os.environ.update(env)
    if args.reuse:
        topic, area = reuse()
    else:
        prepare_database(args.database_url)
        topic, area = fill(args.proposals)
    values = {"topic": topic, "area": area, **api_placeholders(topic, area)}
    pages = {name: path.format(**values) for name, path in PAGES.items()}
    counted = queries_per_request(pages)

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
                requests.get(base + "/forslag/", timeout=60)
                break
            except requests.RequestException:
                time.sleep(0.2)
        print(
            f"server: gunicorn, {args.workers} sync workers; wrk: {args.connections} "
            f"connections, {args.duration} s per page; {args.proposals} proposals"
        )
        print("q: SQL queries of a first request (empty cache) / a second one")
        over = []
        for name, path in pages.items():
            status, first, second = counted[name]
            if status == 404:
                print(f"{name:<18} {path[:40]:<40} skipped: 404 (not built yet)")
                continue
            # Warm up: every worker imports its views and fills its caches before wrk measures
            # (requests one at a time may all reach the same worker: wrk's connections, as many
            # as twice the workers, reach them all).
            for _ in range(4 * args.workers):
                requests.get(base + path, timeout=30).raise_for_status()
            run_wrk(base, path, args, connections=2 * args.workers, duration=2)
            figures = run_wrk(base, path, args)
            print(
                f"{name:<18} {path[:40]:<40} {figures['rate']:6.0f} req/s  "
                f"p50 {figures['p50_us'] / 1000:6.1f} ms  p95 {figures['p95_us'] / 1000:6.1f} ms  "
                f"p99 {figures['p99_us'] / 1000:6.1f} ms  q {first}/{second}"
            )
            if max(first, second) > MAX_QUERIES:
                over.append(name)
        if over:
            print(f"more than {MAX_QUERIES} queries per request: {', '.join(over)}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
