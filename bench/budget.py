"""Benchmark: a citizen budget of 50 projects and 100,000 ballots.

(a) Voting: ballots cast through the real HTTP ballot flow on gunicorn + PostgreSQL
(production profile), driven by wrk: each request is a different person with a fresh e-ID
step (its signed cookie), POSTing their choices to /medborgarbudget/<id>/rosta/bekrafta/
(`budget:ballot_confirm`). Reports ballots/s and p50/p95 latency, and checks that the number
of current ballots equals the number of people. Without the HTTP mode (--http-ballots 0),
`--inprocess-ballots N` casts through `budget.voting.vote_cast` in this process instead.

(b) Counting: N ballots are stored directly (bulk_create, a spread of popular and less
popular projects within the budget, as a knapsack ballot), then the round is counted by the
greedy rule and by the Method of Equal Shares (`budget.counting.count`), each --repeat times;
reports the time of each, and checks that two counts are identical.

    .venv/bin/python bench/budget.py                                 # counting, 100,000 ballots
    .venv/bin/python bench/budget.py --ballots 20000 --http-ballots 20000 --duration 60
    .venv/bin/python bench/budget.py --ballots 0 --inprocess-ballots 2000

The HTTP mode needs wrk (apt-get install -y wrk); the form's field for the chosen projects is
--choice-field (default "choices", one value per project). Creates and drops its own
database (--database-url, default torget_bench_budget).
"""

import argparse
import datetime
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import free_port, prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

PROJECTS = 50
AMOUNT = 5_000_000


def build_round(phase: str, rng: random.Random) -> Any:
    """A round in `phase` with 50 projects costing 50,000–1,000,000 kr, budget 5 million."""
    from torget.budget.tests import factories

    round = factories.budget_round(phase=phase, amount=AMOUNT)
    for n in range(PROJECTS):
        factories.project(round, rng.randrange(50_000, 1_000_001, 10_000), title=f"Projekt {n + 1}")
    return round


def ballot_choices(costs: dict[int, int], weights: list[float], rng: random.Random) -> list[int]:
    """A knapsack ballot: projects drawn by popularity while they fit in the budget."""
    numbers = list(costs)
    chosen: list[int] = []
    spent = 0
    for _ in range(rng.randint(1, 8)):
        number = rng.choices(numbers, weights=weights)[0]
        if number not in chosen and spent + costs[number] <= AMOUNT:
            chosen.append(number)
            spent += costs[number]
    return chosen


def bench_counting(ballots: int, repeat: int, rng: random.Random) -> None:
    from torget.budget import counting
    from torget.budget.models import Ballot, CountingMethod, Phase

    round = build_round(Phase.COUNTING, rng)
    costs = dict(round.ideas.values_list("number", "cost"))
    weights = [rng.random() ** 2 + 0.01 for _ in costs]
    started = time.perf_counter()
    for offset in range(0, ballots, 10_000):
        Ballot.objects.bulk_create(
            [
                Ballot(
                    round=round,
                    chain=secrets.token_hex(32),
                    choices=ballot_choices(costs, weights, rng),
                )
                for _ in range(min(10_000, ballots - offset))
            ]
        )
    print(
        f"setup: {ballots} ballots over {PROJECTS} projects in {time.perf_counter() - started:.1f} s"
    )
    distinct = len(counting.ballots_of(round)[0])
    print(f"distinct ballots (counted once each, with their number): {distinct}")
    for method in CountingMethod.values:
        times = []
        results = []
        for _ in range(repeat):
            started = time.perf_counter()
            results.append(counting.count(round, method=method))
            times.append(time.perf_counter() - started)
        result = results[0]
        same = all(r == result for r in results)
        print(
            f"count {method}: median {statistics.median(times):.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in times)}); funded {len(result['funded'])} "
            f"projects for {result['spent']} of {result['budget']} kr; "
            f"identical every run: {'yes' if same else 'NO'}"
        )
    started = time.perf_counter()
    ballots_read = counting.ballots_of(round)
    print(
        f"of which reading the ballots: {time.perf_counter() - started:.2f} s ({sum(ballots_read[0].values())} ballots)"
    )


def verifications(n: int) -> list[Any]:
    from django.utils import timezone

    from torget.identity.models import Residence, Verification

    made: list[Any] = []
    for offset in range(0, n, 5000):
        made += Verification.objects.bulk_create(
            [
                Verification(
                    person_key=secrets.token_hex(32),
                    method="bench",
                    residence=Residence.YES,
                    birth_date=datetime.date(1980, 1, 1),
                    verified_at=timezone.now(),
                )
                for _ in range(min(5000, n - offset))
            ]
        )
    return made


def bench_inprocess(n: int, rng: random.Random) -> None:
    from torget.budget import voting
    from torget.budget.models import Ballot, Phase

    round = build_round(Phase.VOTING, rng)
    costs = dict(round.ideas.values_list("number", "cost"))
    weights = [rng.random() ** 2 + 0.01 for _ in costs]
    people = verifications(n)
    latencies = []
    started = time.perf_counter()
    try:
        for verification in people:
            began = time.perf_counter()
            voting.vote_cast(
                round=round,
                verification=verification,
                choices=ballot_choices(costs, weights, rng),
            )
            latencies.append(time.perf_counter() - began)
    except NotImplementedError:
        print("in-process voting: budget.voting.vote_cast is not available in this branch")
        return
    took = time.perf_counter() - started
    latencies.sort()
    counted = Ballot.objects.filter(round=round, superseded=False).count()
    print(
        f"in-process voting: {n} ballots in {took:.1f} s = {n / took:.0f} ballots/s; "
        f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms; "
        f"current ballots {counted} (must be {n})"
    )


LUA = r"""
-- POST a ballot as the next verified person of this thread (one "cookie csrftoken body" a line).
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter); counter = counter + 1; table.insert(threads, thread)
end
function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  users = {}; local i = 0
  for line in io.lines(os.getenv("BENCH_USERS")) do
    if i % nthreads == id then table.insert(users, line) end
    i = i + 1
  end
  sent = 0; statuses = {}; target = os.getenv("BENCH_PATH")
end
function request()
  local n = sent + 1
  if n > #users then n = #users else sent = n end
  local cookie, csrf, body = users[n]:match("(%S+) (%S+) (%S+)")
  return wrk.format("POST", target, {
    ["Cookie"] = cookie .. "; csrftoken=" .. csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrfmiddlewaretoken=" .. csrf .. "&" .. body)
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do merged[code] = (merged[code] or 0) + n end
  end
  io.write("RESULT requests=", summary.requests, " duration_us=", summary.duration,
           " p50_us=", latency:percentile(50), " p95_us=", latency:percentile(95), "\n")
  for code, n in pairs(merged) do io.write("STATUS ", code, " ", n, "\n") end
end
"""


def bench_http(n: int, args: argparse.Namespace, env: dict[str, str], rng: random.Random) -> None:
    import re

    import requests
    from django.urls import reverse

    from torget.budget.models import Ballot, Phase
    from torget.identity.selectors import COOKIE_NAME, verification_token

    round = build_round(Phase.VOTING, rng)
    costs = dict(round.ideas.values_list("number", "cost"))
    weights = [rng.random() ** 2 + 0.01 for _ in costs]
    people = verifications(n)
    lines = [
        f"{COOKIE_NAME}={verification_token(v)} {secrets.token_hex(16)} "
        + "&".join(f"{args.choice_field}={c}" for c in ballot_choices(costs, weights, rng))
        for v in people
    ]
    users = Path(tempfile.mkstemp(prefix="torget-bench-ballots-", suffix=".txt")[1])
    users.write_text("\n".join(lines) + "\n")
    script = Path(tempfile.mkstemp(prefix="torget-bench-ballot-", suffix=".lua")[1])
    script.write_text(LUA)
    path = reverse("budget:ballot_confirm", args=[round.pk])
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
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                requests.get(base + "/bench/post/", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        process = subprocess.run(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                base + path,
            ],
            env={
                **os.environ,
                "BENCH_USERS": str(users),
                "BENCH_THREADS": str(args.threads),
                "BENCH_PATH": path,
            },
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.terminate()
        server.wait()
        users.unlink()
        script.unlink()
    output = process.stdout
    figures = {
        k: float(v)
        for k, v in re.findall(r"(\w+)=(\d+)", output.split("RESULT", 1)[1].splitlines()[0])
    }
    statuses = dict(re.findall(r"STATUS (\d+) (\d+)", output))
    counted = Ballot.objects.filter(round=round, superseded=False).count()
    rate = counted / (figures["duration_us"] / 1e6)
    print(
        f"HTTP voting ({args.workers} gunicorn workers, wrk {args.threads} threads × "
        f"{args.connections} connections): {figures['requests']:.0f} requests, statuses {statuses}; "
        f"{counted} current ballots (people: {n}) = {rate:.0f} ballots/s; "
        f"p50 {figures['p50_us'] / 1000:.1f} ms, p95 {figures['p95_us'] / 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=100_000, help="ballots to count (0: skip)")
    parser.add_argument("--repeat", type=int, default=2, help="counts per method")
    parser.add_argument("--http-ballots", type=int, default=0, help="people voting over HTTP")
    parser.add_argument("--inprocess-ballots", type=int, default=0, help="people voting in-process")
    parser.add_argument("--choice-field", default="choices")
    parser.add_argument("--duration", type=int, default=120, help="seconds of HTTP voting at most")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench_budget"
    )
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/2")
    args = parser.parse_args()

    env = environment(args.database_url, args.cache_url)
    os.environ.update(env)
    prepare_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if args.ballots:
        bench_counting(args.ballots, args.repeat, rng)
    if args.inprocess_ballots:
        bench_inprocess(args.inprocess_ballots, rng)
    if args.http_ballots:
        call_command("collectstatic", "--noinput", verbosity=0)
        bench_http(args.http_ballots, args, env, rng)


if __name__ == "__main__":
    main()
