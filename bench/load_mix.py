"""Proof: the load mix, for one app server and for a pair behind nginx.

Brings up the whole stack (bench/stack.py: PostgreSQL, Redis, PgBouncer with --pgbouncer,
two gunicorn servers behind nginx, two workers, an SMTP sink, the demo) and drives it with wrk
and bench/mix.lua: of every 10 requests, 8 page views (home, proposal list and details, areas
GeoJSON, the calendar, the fault map), 1 fault report with a photo through the citizens' web
form (multipart; the CSRF cookie and token as a browser sends them after loading the form),
and 1 support by a verified citizen (sessions made beforehand, each person supports each
proposal at most once).

The load is ramped by connections (wrk cannot hold a fixed rate): for each step it prints
requests/s, p95 and errors, and the sustained rate is the highest step with p95 < 300 ms and
no error at all. The same ramp against the minimal Django view (/bench/get/, added by the
bench's own urls) on the same servers gives the baseline, and each mix figure is printed as
a ratio against it: one server (nginx → the first gunicorn), then the pair (nginx → both).

After the run it checks: every accepted fault report (its receipt address) is a case in the
database and vice versa; every accepted support is a row, and each proposal's support count,
refreshed as the worker does, equals its rows; and no e-mail reached the SMTP sink twice (the
same recipient, subject and body), beyond the at-least-once case of a worker that died
between sending and recording (which this run does not provoke, so it must be 0).

    .venv/bin/python bench/load_mix.py                              # 20 s a step
    .venv/bin/python bench/load_mix.py --duration 5 --steps 2,8     # a quick check
    .venv/bin/python bench/load_mix.py --pgbouncer --processes 8

Needs wrk (apt-get install -y wrk), nginx, redis-server, PostgreSQL 15's binaries.
"""

import argparse
import datetime
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from stack import BOUNDARY, CSRF, FAULT_TEXT, Stack, fault_body, fault_category  # noqa: E402

P95_LIMIT_MS = 300


def prepare(stack: Stack, people: int, folder: Path) -> dict[str, Any]:
    """The page views, the fault report's body and the supporters' sessions."""
    stack.django()
    from django.utils import timezone

    from torget.identity.models import Residence, Verification
    from torget.identity.selectors import COOKIE_NAME, verification_token
    from torget.proposals.models import Proposal, Status

    public = Proposal.objects.exclude(published_at=None).order_by("pk")
    gets = ["/", "/forslag/", "/forslag/?sortera=mest-stod", "/api/v1/omraden/geojson/",
            "/kalendarium/", "/felanmalan/karta.geojson", "/omraden.geojson"]  # fmt: skip
    gets += [f"/forslag/{pk}/" for pk in public.values_list("pk", flat=True)[:12]]
    gets = [path for path in gets if requests.get(stack.url + path, timeout=60).status_code == 200]
    (folder / "gets.txt").write_text("\n".join(gets) + "\n")

    category = fault_category()
    (folder / "fault.bin").write_bytes(fault_body(category.pk))
    probe = requests.post(
        stack.url + "/felanmalan/",
        data=(folder / "fault.bin").read_bytes(),
        headers={
            "Cookie": f"csrftoken={CSRF}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
        allow_redirects=False,
        timeout=60,
    )
    if probe.status_code != 302:
        raise SystemExit(f"the fault report form refused the bench's report: {probe.status_code}")

    signing = list(
        Proposal.objects.filter(
            status=Status.SIGNING, signing_ends_on__gte=timezone.localdate()
        ).values_list("pk", flat=True)
    )
    if not signing:
        raise SystemExit("the demo has no proposal open for support")
    verifications = Verification.objects.bulk_create(
        [
            Verification(
                person_key=secrets.token_hex(32),
                method="bench",
                residence=Residence.YES,
                birth_date=datetime.date(1980, 1, 1),
                verified_at=timezone.now(),
            )
            for _ in range(people)
        ]
    )
    lines = [
        f"{COOKIE_NAME}={verification_token(v)} {secrets.token_hex(16)} /forslag/{pk}/stod/"
        for v in verifications
        for pk in signing
    ]
    (folder / "supports.txt").write_text("\n".join(lines) + "\n")
    return {"gets": gets, "category": category.pk, "signing": signing, "pairs": len(lines)}


def run_wrk(url: str, connections: int, args: argparse.Namespace, folder: Path, mode: str) -> dict:
    threads = min(2, connections)
    env = {
        **os.environ,
        "BENCH_MODE": mode,
        "BENCH_GETS": str(folder / "gets.txt"),
        "BENCH_FAULT": str(folder / "fault.bin"),
        "BENCH_BOUNDARY": BOUNDARY,
        "BENCH_SUPPORTS": str(folder / f"supports-{mode}-{connections}.txt"),
        "BENCH_THREADS": str(threads),
        "BENCH_RECEIPTS": str(folder / f"receipts-{url.rsplit(':', 1)[1]}-{connections}"),
    }
    # Each step takes its own share of the person × proposal pairs: one support each.
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{args.duration}s", "--timeout", "10s",
         "-s", str(BENCH / "mix.lua"), url],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    line = output.split("RESULT", 1)[1].splitlines()[0]
    figures: dict[str, Any] = {k: float(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["statuses"] = dict(re.findall(r"STATUS (\d+) (\d+)", output))
    return figures


def ramp(url: str, args: argparse.Namespace, folder: Path, mode: str, pairs: list[str]) -> float:
    """Each step of connections in turn; the sustained rate is the best step within limits."""
    best = 0.0
    for connections in args.steps:
        share, pairs[:] = pairs[: args.pairs_per_step], pairs[args.pairs_per_step :]
        (folder / f"supports-{mode}-{connections}.txt").write_text("\n".join(share) + "\n")
        figures = run_wrk(url, connections, args, folder, mode)
        receipts = [
            line
            for path in folder.glob(f"receipts-{url.rsplit(':', 1)[1]}-{connections}-*.txt")
            for line in path.read_text().splitlines()
        ]
        posts = (
            f"  supports {sum(1 for r in receipts if '/forslag/' in r)}/"
            f"{len(share)} planned, fault reports {sum(1 for r in receipts if '/arende/' in r)}"
            if mode == "mix"
            else ""
        )
        within = figures["p95_us"] / 1000 < P95_LIMIT_MS and figures["errors"] == 0
        if within:
            best = max(best, figures["rate"])
        print(
            f"  {mode:<8} {connections:>3} connections: {figures['rate']:7.0f} requests/s  "
            f"p95 {figures['p95_us'] / 1000:7.1f} ms  errors {figures['errors']:.0f}  "
            f"statuses {figures['statuses']}{posts}{'' if within else '  (over the limits)'}",
            flush=True,
        )
        if not within:
            break
    return best


def check(stack: Stack, folder: Path, allowance: int) -> bool:
    from django.db.models import Count

    from torget.feedback.models import Case
    from torget.proposals.models import Proposal, Support
    from torget.proposals.services.support import support_counts_refresh

    receipts = [
        line for path in folder.glob("receipts-*.txt") for line in path.read_text().splitlines()
    ]
    tokens = {m.group(1) for line in receipts if (m := re.search(r"/arende/([^/]+)/kvitto/", line))}
    supported = [m.group(1) for line in receipts if (m := re.match(r"/forslag/(\d+)/$", line))]
    ok = True
    cases = set(Case.objects.filter(token__in=tokens).values_list("token", flat=True))
    web_cases = Case.objects.filter(description=FAULT_TEXT).count()
    # wrk stops each step with requests in flight: those are stored but their answers are not
    # read, so a few cases have no receipt (at most one per connection a step).
    in_flight = web_cases - 1 - len(tokens)
    print(
        f"fault reports: {len(tokens)} receipts, {len(cases)} of them found as cases; "
        f"{web_cases} bench cases in the database: the probe before the run, and "
        f"{in_flight} whose answer wrk didn't read when a step ended (allowed: {allowance})"
    )
    ok &= len(cases) == len(tokens) and 0 <= in_flight <= allowance
    rows = Support.objects.filter(verification__method="bench").values("proposal").annotate(
        n=Count("pk")
    )  # fmt: skip
    by_proposal = {row["proposal"]: row["n"] for row in rows}
    expected: dict[int, int] = {}
    for pk in supported:
        expected[int(pk)] = expected.get(int(pk), 0) + 1
    # Every accepted support is a row; rows without a receipt only from the steps' ends.
    none_lost = all(by_proposal.get(pk, 0) >= n for pk, n in expected.items())
    unread = sum(by_proposal.values()) - len(supported)
    print(
        f"supports: {len(supported)} accepted (302), {sum(by_proposal.values())} rows; "
        f"every accepted one stored: {none_lost}; {unread} whose answer wrk didn't read "
        f"(allowed: {allowance})"
    )
    ok &= none_lost and 0 <= unread <= allowance
    support_counts_refresh(proposal_ids=list(by_proposal))
    exact = all(
        p.support_count == p.supports.filter(withdrawn_at__isnull=True).count()
        for p in Proposal.objects.filter(pk__in=list(by_proposal))
    )
    print(f"support counts after the refresh equal to the rows: {exact}")
    ok &= exact
    pending = stack.wait_for_outbox(120)
    (sent,) = stack.sql(
        "SELECT count(*) FROM notifications_delivery WHERE channel = 'email' AND status = 'sent'"
    )[0]
    received = len(stack.smtp.messages())
    duplicates = stack.smtp.duplicates()
    print(
        f"e-mail: {sent} deliveries sent, {received} messages at the SMTP sink, "
        f"{duplicates} duplicates, {pending} still queued after 120 s"
    )
    ok &= duplicates == 0 and received == sent and pending == 0
    return bool(ok)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per step")
    parser.add_argument(
        "--steps",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[2, 4, 8, 16, 32, 64],
        help="connections per step, comma-separated",
    )
    parser.add_argument("--processes", type=int, default=4, help="gunicorn processes a server")
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    parser.add_argument("--pgbouncer", action="store_true")
    parser.add_argument(
        "--people",
        type=int,
        default=20_000,
        help="verified citizens made; each supports each open proposal once, and a step that "
        "runs out of them sends page views instead (the step's line shows supports/planned)",
    )
    args = parser.parse_args()

    stack = Stack(
        servers=2, workers=args.workers, server_processes=args.processes,
        pgbouncer=args.pgbouncer, quiet=False,
    )  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="torget-mix-"))
    with stack:
        info = prepare(stack, args.people, folder)
        pairs = (folder / "supports.txt").read_text().splitlines()
        # Enough pairs for the busiest step; the rest are spread over the steps.
        runs = 2 * 2 * len(args.steps)
        args.pairs_per_step = max(len(pairs) // runs, 1)
        print(
            f"mix: {len(info['gets'])} pages, fault category {info['category']}, "
            f"{len(info['signing'])} proposals open for support × {args.people} people; "
            f"{args.duration} s a step; servers: gunicorn × {args.processes} processes each"
            + (", PgBouncer" if args.pgbouncer else ""),
            flush=True,
        )
        for label, url in (("one server", stack.single_url), ("the pair", stack.url)):
            for _ in range(3):  # warm every process up
                requests.get(url + "/", timeout=60)
            print(f"{label}:")
            baseline = ramp(url, args, folder, "baseline", pairs)
            mix = ramp(url, args, folder, "mix", pairs)
            ratio = mix / baseline if baseline else 0.0
            print(
                f"{label}: sustained mix {mix:.0f} requests/s, minimal view {baseline:.0f} "
                f"requests/s, ratio {ratio:.2f} (p95 < {P95_LIMIT_MS} ms, 0 errors)",
                flush=True,
            )
            if label == "one server":
                single = mix
            else:
                print(
                    "the pair ÷ one server: "
                    + (f"{mix / single:.2f}" if single else "n/a (one server: no step in limits)")
                )
        time.sleep(2)
        ok = check(stack, folder, allowance=2 * sum(args.steps))
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
