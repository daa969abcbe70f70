"""Fault: Redis (the shared cache: cached pages and counts, rate limits) goes down.

Brings up the stack (bench/stack.py; sessions live in PostgreSQL, the cache and the rate
limits in Redis), then asks a set of pages and sends a fault report (which passes a rate
limit) three times: with Redis up, with Redis stopped, and after Redis is started again.

What Torget does when the cache is down (torget/core/ratelimit.py, torget/core/cache.py): see
README, "Proof: load, faults and restore". PASS when, while Redis is down, every page still
answers 200, a rate-limited submission is either accepted or refused with a clear page (4xx),
never a server error, and everything works again once Redis is back without a restart.

    .venv/bin/python bench/fault_redis_down.py
"""

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402

PAGES = ["/", "/forslag/", "/forslag/?sortera=mest-stod", "/felanmalan/", "/kalendarium/",
         "/api/v1/omraden/geojson/"]  # fmt: skip


def round_trip(stack: Stack, body: bytes, pages: list[str]) -> dict[str, int]:
    statuses = {page: requests.get(stack.url + page, timeout=120).status_code for page in pages}
    statuses["POST /felanmalan/"] = post_fault(stack.url, body)[0]
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--down", type=int, default=10, help="seconds Redis stays down")
    args = parser.parse_args()

    with Stack(servers=1, workers=1, quiet=False) as stack:
        stack.django()
        from torget.proposals.models import Proposal

        body = fault_body(fault_category().pk)
        detail = Proposal.objects.exclude(published_at=None).order_by("pk").first()
        pages = PAGES + ([f"/forslag/{detail.pk}/"] if detail else [])
        before = round_trip(stack, body, pages)
        print(f"Redis up:         {before}", flush=True)
        stack.stop_redis()
        time.sleep(1)
        down = round_trip(stack, body, pages)
        print(f"Redis down:       {down}", flush=True)
        time.sleep(args.down)
        stack.start_redis()
        time.sleep(1)
        after = round_trip(stack, body, pages)
        print(f"Redis back again: {after}", flush=True)
    pages_ok = all(down[page] == 200 for page in pages)
    post = down["POST /felanmalan/"]
    post_ok = post == 302 or 400 <= post < 500
    print(f"pages while down: {'all 200' if pages_ok else 'NOT all 200'}; "
          f"fault report while down: {post}")  # fmt: skip
    verdict(
        all(status == 200 for page, status in before.items() if page in pages)
        and pages_ok and post_ok
        and all(status in (200, 302) for status in after.values()),
        "Redis down: pages keep working, rate-limited posts fail safe, recovery without restart",
    )  # fmt: skip


if __name__ == "__main__":
    main()
