"""Benchmark: many verified people support one proposal at once.

Serves Torget with gunicorn on PostgreSQL (production profile) and drives it with wrk
(64 connections). Each request is a different person with a fresh e-ID step in their
session, POSTing to /forslag/<id>/stod/. Reports supports/s, p50/p95 latency and the final
count (it must equal the number of people who sent a support), and, from the same server
with the same configuration in the same run, the throughput of the smallest Django POST view
(/bench/post/) as the baseline, and the ratio between them (target: at least 0.5). Also from
the same run: the support page's work without storing the support (/bench/support-checks/), the
ceiling for that ratio on this machine. The three run in turn for each of --rounds rounds (a
proposal each), and the medians of the rounds' ratios are printed last: a small virtual
machine's speed drifts by a third from minute to minute, so only figures from the same round
are compared.

    .venv/bin/python bench/support_storm.py                   # 3 rounds, 20 s each
    .venv/bin/python bench/support_storm.py --duration 30 --workers 8 --threshold 50

Needs wrk (apt-get install -y wrk) and, as production does, Redis for the shared cache
(--cache-url, redis://127.0.0.1:6379/2 by default). Creates and drops its own database,
torget_bench.
"""

import argparse
import datetime
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import free_port, prepare_database  # noqa: E402


def environment(database_url: str, cache_url: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "TORGET_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{BENCH}:{ROOT}",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "smtp://127.0.0.1:1",
        # Plain HTTP on the loopback: no TLS redirect, no proxy header.
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_TLS_PROXY": "false",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "torget-bench-static"),
        "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "torget-bench-media"),
        # What production start-up requires (the links in mail are never followed here).
        "SITE_URL": "https://torget.bench.invalid",
        "CSRF_TRUSTED_ORIGINS": "https://torget.bench.invalid,http://127.0.0.1",
        "LOG_LEVEL": "ERROR",
        # One machine sends everything: the per-IP limits would stop the benchmark itself.
        "PROPOSALS_SUPPORT_RATE_PER_IP": "100000000",
        "PROPOSALS_SUPPORT_RATE_PER_USER": "100000000",
        # Setting up many people takes a while; their e-ID steps must still count.
        "IDENTITY_FRESH_SECONDS": "3600",
        # As in production with several processes (README): rate limits and cached counts are
        # shared through Redis, and each of its round trips counts in the figures.
        **({"CACHE_URL": cache_url} if cache_url else {}),
    }


def prepare(users: int, threshold: int, rounds: int = 1) -> tuple[list[int], Path]:
    """A proposal collecting support for each round, and `users` sessions that have just
    passed e-ID (each supports every round's proposal once)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from torget.accounts.models import User
    from torget.identity.models import Residence, Verification
    from torget.identity.selectors import COOKIE_NAME, verification_token
    from torget.organisation.models import Municipality, Topic
    from torget.proposals.models import Proposal, Status

    call_command("migrate", verbosity=0)
    # Error and limit pages render templates that need the static files' manifest.
    call_command("collectstatic", "--noinput", verbosity=0)
    Municipality.objects.create(name="Benchby kommun", proposal_support_threshold=threshold)
    author = User.objects.create_user("forfattare@example.se", display_name="Författaren")
    topic = Topic.objects.create(name="Trafik", slug="trafik")
    now = timezone.now()
    proposals = [
        Proposal.objects.create(
            title=f"Cykelbana längs ån, del {n + 1}",
            body="…",
            topic=topic,
            author=author,
            author_name="Författaren",
            status=Status.SIGNING,
            published_at=now,
            signing_ends_on=timezone.localdate() + timezone.timedelta(days=90),
            threshold=threshold,
        )
        for n in range(rounds)
    ]
    started = time.perf_counter()
    lines = []
    # Line 0 is an extra person, not one of the N: wrk builds its first thread's first request
    # for its own checks and may never send it. The N people are lines 1…N.
    for offset in range(0, users + 1, 5000):
        batch = range(offset, min(offset + 5000, users + 1))
        verifications = Verification.objects.bulk_create(
            [
                Verification(
                    person_key=secrets.token_hex(32),
                    method="bench",
                    residence=Residence.YES,
                    birth_date=datetime.date(1980, 1, 1),
                    verified_at=timezone.now(),
                )
                for _ in batch
            ]
        )
        # Each person's browser holds the signed cookie of their e-ID step, as after /legitimera/.
        lines += [
            f"{COOKIE_NAME}={verification_token(v)} {secrets.token_hex(16)}" for v in verifications
        ]
    path = Path(tempfile.mkstemp(prefix="torget-bench-users-", suffix=".txt")[1])
    path.write_text("\n".join(lines) + "\n")
    print(f"setup: {users} people with a fresh e-ID step in {time.perf_counter() - started:.1f} s")
    return [proposal.pk for proposal in proposals], path


def run_wrk(
    url: str,
    path: str,
    users: Path,
    args: argparse.Namespace,
    *,
    duration: int,
    done: "Callable[[], bool] | None" = None,
) -> dict[str, Any]:
    """Run wrk for `duration` seconds, or until `done()` says so (then SIGINT, as a person
    pressing Ctrl-C: wrk stops and prints its summary)."""
    env = {
        **os.environ,
        "BENCH_USERS": str(users),
        "BENCH_THREADS": str(args.threads),
        "BENCH_PATH": path,
    }
    process = subprocess.Popen(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH / "post_sessions.lua"),
            url,
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done is not None:
        while process.poll() is None:
            time.sleep(0.1)
            if done():
                process.send_signal(signal.SIGINT)
                break
    output, _ = process.communicate()
    result = dict(re.findall(r"(\w+)=(\d+)", output.split("RESULT", 1)[1].splitlines()[0]))
    figures: dict[str, Any] = {key: float(value) for key, value in result.items()}
    figures["statuses"] = dict(re.findall(r"STATUS (\d+) (\d+)", output))
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn worker processes")
    parser.add_argument(
        "--worker-threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (more than 1: the gthread worker class)",
    )
    parser.add_argument("--users", type=int, default=40_000, help="N: people who support")
    parser.add_argument("--threshold", type=int, default=50)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="baseline, support without storing, and storm (on a proposal of its own) in turn; "
        "this machine's speed drifts, so each ratio compares figures from the same round",
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/2",
        help="the shared cache, as production has it (locmemcache:// for one per process)",
    )
    args = parser.parse_args()

    env = environment(args.database_url, args.cache_url)
    os.environ.update(env)
    prepare_database(args.database_url)
    proposal_ids, users = prepare(args.users, args.threshold, args.rounds)

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
            f"--worker-class={'gthread' if args.worker_threads > 1 else 'sync'}",
            f"--threads={args.worker_threads}",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        for _ in range(100):
            try:
                requests.get(base + "/bench/post/", timeout=10)  # 405: the server is up
                break
            except (requests.ConnectionError, requests.Timeout):  # still starting
                time.sleep(0.2)
        print(
            f"server: gunicorn, {args.workers} workers"
            + (
                f" × {args.worker_threads} threads (gthread)"
                if args.worker_threads > 1
                else " (sync)"
            )
            + f"; wrk: {args.threads} threads, "
            f"{args.connections} connections, {args.duration} s per run; "
            f"{args.users} people; {args.rounds} round(s)"
        )
        # Warm every worker (imports, connections) with the baseline view.
        run_wrk(base, "/bench/post/", users, args, duration=3)
        for number, proposal_id in enumerate(proposal_ids, 1):
            print(f"round {number}:")
            results.append(storm_round(base, proposal_id, users, args))
    finally:
        server.terminate()
        server.wait()
    users.unlink()

    ratios = sorted(r["ratio"] for r in results)
    ceilings = sorted(r["ceiling"] for r in results)
    print(
        f"ratio supports/s ÷ baseline requests/s: median {statistics.median(ratios):.2f} "
        f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
    )
    print(
        "ceiling, the support without storing it ÷ baseline: "
        f"median {statistics.median(ceilings):.2f} "
        f"(rounds: {', '.join(f'{c:.2f}' for c in ceilings)})"
    )
    exact = all(r["counted"] == args.users and r["crossings"] == 1 for r in results)
    print(
        f"every round's count equal to N and its threshold crossed once: {'yes' if exact else 'NO'}"
    )


def storm_round(
    base: str, proposal_id: int, users: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """One round: the baseline, the support without storing it, then everyone supports
    `proposal_id`. Prints the round's figures and returns its ratios."""
    baseline = run_wrk(base, "/bench/post/", users, args, duration=args.duration)
    print(
        f"  baseline POST: {baseline['rate']:.0f} requests/s, "
        f"p50 {baseline['p50_us'] / 1000:.1f} ms, p95 {baseline['p95_us'] / 1000:.1f} ms, "
        f"statuses {baseline['statuses']}"
    )
    # The same people through everything the support page does except storing the support:
    # the ceiling for the supports' figure (rate limits are per person and per IP, and the
    # benchmark's are set out of reach).
    checks = run_wrk(
        base, f"/bench/support-checks/{proposal_id}/", users, args, duration=args.duration
    )
    print(
        f"  support without storing it (e-ID step, rate limits, confirmation): "
        f"{checks['rate']:.0f} requests/s, p50 {checks['p50_us'] / 1000:.1f} ms, "
        f"p95 {checks['p95_us'] / 1000:.1f} ms, statuses {checks['statuses']}"
    )
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min

    from torget.identity.models import Verification
    from torget.proposals.models import Event, EventKind, Proposal, Support

    progress = {"count": -1, "since": time.monotonic()}

    def all_in() -> bool:
        """Everyone's support is in, or nothing has arrived for 3 s (wrk has run out)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM proposals_support WHERE proposal_id = %s", [proposal_id]
            )
            count = cursor.fetchone()[0]
        if count != progress["count"]:
            progress.update(count=count, since=time.monotonic())
        return count >= args.users + 1 or time.monotonic() - progress["since"] > 3

    storm = run_wrk(base, f"/forslag/{proposal_id}/stod/", users, args, duration=600, done=all_in)
    time.sleep(1)

    extra = Verification.objects.order_by("pk").values_list("pk", flat=True).first()
    counted = (
        Support.objects.filter(proposal_id=proposal_id, withdrawn_at__isnull=True)
        .exclude(verification_id=extra)
        .count()
    )
    crossings = Event.objects.filter(proposal_id=proposal_id, kind=EventKind.THRESHOLD).count()
    status = Proposal.objects.get(pk=proposal_id).status
    span = Support.objects.filter(proposal_id=proposal_id).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    seconds = (span["last"] - span["first"]).total_seconds()
    rate = counted / seconds
    print(
        f"  supports: {rate:.0f} supports/s ({counted} in {seconds:.1f} s, from the supports' "
        f"own timestamps); wrk: {storm['rate']:.0f} requests/s, "
        f"p50 {storm['p50_us'] / 1000:.1f} ms, p95 {storm['p95_us'] / 1000:.1f} ms, "
        f"statuses {storm['statuses']}"
    )
    print(
        f"  final count: {counted} of N = {args.users} people "
        f"{'OK' if counted == args.users else 'MISMATCH'}; "
        f"threshold {args.threshold} crossed {crossings} time(s), status now {status!r}"
    )
    if counted != args.users:
        # Which people have no support, by their line in the users' file: wrk builds a
        # thread's first request before its connection opens, and that one may never be sent.
        supported = set(
            Support.objects.filter(proposal_id=proposal_id).values_list(
                "verification_id", flat=True
            )
        )
        ids = list(Verification.objects.order_by("pk").values_list("pk", flat=True))
        missing = [index for index, pk in enumerate(ids) if pk not in supported and index > 0]
        print(f"  people without a support (line numbers in the users' file): {missing[:10]}")
    ratio, ceiling = rate / baseline["rate"], checks["rate"] / baseline["rate"]
    print(f"  ratio {ratio:.2f}; ceiling (without storing) {ceiling:.2f}")
    return {"ratio": ratio, "ceiling": ceiling, "counted": counted, "crossings": crossings}


if __name__ == "__main__":
    main()
