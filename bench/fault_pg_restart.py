"""Fault: PostgreSQL restarted under load.

Brings up the stack (bench/stack.py), has citizens send fault reports through the web form
from several threads, restarts the stack's own PostgreSQL in the middle (pg_ctl stop -m fast,
then start), and keeps sending. PASS when:
- the app recovers without being restarted: after PostgreSQL is back, reports are accepted
  again within --recover seconds and every one sent in the last seconds of the run is;
- no accepted report is lost: every receipt a citizen got (the 302 to /arende/<token>/kvitto/)
  is a case in the database. Cases nobody got a receipt for (saved, but the answer failed
  as PostgreSQL went away) are counted and printed, not failed: the citizen saw an error.
While PostgreSQL is down, citizens get an error page (counted and printed), never a receipt.

    .venv/bin/python bench/fault_pg_restart.py                  # 60 s, restart after 20 s
    .venv/bin/python bench/fault_pg_restart.py --seconds 30 --restart-after 10 --pgbouncer
"""

import argparse
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import FAULT_TEXT, Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60, help="how long citizens send")
    parser.add_argument("--restart-after", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4, help="citizens sending at once")
    parser.add_argument("--recover", type=int, default=30, help="seconds allowed to recover")
    parser.add_argument("--pgbouncer", action="store_true", help="PgBouncer in front")
    args = parser.parse_args()

    with Stack(servers=1, workers=1, pgbouncer=args.pgbouncer, quiet=False) as stack:
        stack.django()
        body = fault_body(fault_category().pk)
        log: list[tuple[float, int, str]] = []  # (time, status, token)
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def citizen() -> None:
            session = requests.Session()
            while time.monotonic() < stop:
                try:
                    status, token = post_fault(stack.url, body, session)
                except requests.RequestException:
                    status, token = 0, ""
                with lock:
                    log.append((time.monotonic(), status, token))

        threads = [threading.Thread(target=citizen) for _ in range(args.threads)]
        for thread in threads:
            thread.start()
        time.sleep(args.restart_after)
        down = time.monotonic()
        stack.restart_postgres()
        up = time.monotonic()
        print(f"PostgreSQL restarted: down for {up - down:.1f} s", flush=True)
        for thread in threads:
            thread.join()

        from django.db import connections

        from torget.feedback.models import Case

        connections.close_all()  # this process's own connection went with the restart

        receipts = {token for _, status, token in log if status == 302 and token}
        stored = set(Case.objects.filter(description=FAULT_TEXT).values_list("token", flat=True))
        errors = [status for _, status, _ in log if status != 302]
        after = [(t, status) for t, status, _ in log if t > up]
        first_ok = next((t for t, status in after if status == 302), None)
        tail = [status for t, status in after if t > stop - 5]
        print(
            f"sent {len(log)} reports: {len(receipts)} receipts, {len(errors)} errors "
            f"(statuses {sorted(set(errors))}); cases in the database: {len(stored)}"
        )
        recovered = (
            first_ok is not None
            and first_ok - up <= args.recover
            and all(status == 302 for status in tail)
        )
        print(
            "first accepted report after the restart: "
            + (f"{first_ok - up:.1f} s" if first_ok else "none")
            + f"; last 5 s all accepted: {all(s == 302 for s in tail) and bool(tail)}"
        )
        lost, unreceipted = receipts - stored, stored - receipts
        print(
            f"receipts without a case: {len(lost)}; cases without a receipt: {len(unreceipted)} "
            "(saved, but the answer was an error: the citizen may send it again)"
        )
    verdict(
        recovered and not lost and bool(tail),
        "PostgreSQL restart: the app recovered by itself and no accepted report was lost",
    )


if __name__ == "__main__":
    main()
