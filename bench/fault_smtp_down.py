"""Fault: the mail server is down for a while (10 minutes by default).

Brings up the stack (bench/stack.py), stops its SMTP server, has citizens send fault reports
asking for an e-mail receipt, and keeps the SMTP server down for --minutes. During the outage
the receipts must wait in the outbox (queued or failed-and-retrying, none given up and none
delivered); once the server is back each must be delivered exactly once.

The bench retries quickly (every 2 s, doubling, at most 20 s apart, up to 200 attempts), so a
run ends soon after the server is back. With the production defaults
(NOTIFICATIONS_RETRY_BASE_SECONDS=60, doubling up to NOTIFICATIONS_RETRY_MAX_SECONDS=6 h,
NOTIFICATIONS_MAX_ATTEMPTS=8) a message keeps being retried for about four hours; after a
10-minute outage it goes at the next retry, at most about 8 minutes after the server is back.

    .venv/bin/python bench/fault_smtp_down.py                 # 10 minutes down
    .venv/bin/python bench/fault_smtp_down.py --minutes 1     # a quick check
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402

STATUSES = "SELECT status, count(*) FROM notifications_delivery WHERE channel = 'email' GROUP BY 1"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10, help="how long SMTP is down")
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--wait", type=int, default=120, help="seconds allowed to deliver after")
    args = parser.parse_args()

    with Stack(servers=1, workers=1, quiet=False) as stack:
        stack.django()
        body = fault_body(fault_category().pk)
        # The demo's own mail goes first, so that what waits below is the outage's.
        stack.wait_for_outbox(args.wait)
        before = len(stack.smtp.messages())
        stack.smtp.stop()
        down = time.monotonic()
        print(f"SMTP server stopped for {args.minutes:g} minutes", flush=True)
        accepted = [post_fault(stack.url, body) for _ in range(args.reports)]
        accepted_ok = sum(status == 302 for status, _ in accepted)
        time.sleep(max(args.minutes * 60 - (time.monotonic() - down), 0))
        during = dict(stack.sql(STATUSES))
        received_during = len(stack.smtp.messages()) - before
        print(f"after {args.minutes:g} minutes: deliveries by status {during}, "
              f"messages received {received_during}", flush=True)  # fmt: skip
        waiting = during.get("queued", 0) + during.get("failed", 0) + during.get("sending", 0)
        queued = received_during == 0 and not during.get("dead") and waiting >= accepted_ok > 0
        stack.smtp.start()
        back = time.monotonic()
        pending = stack.wait_for_outbox(args.wait)
        delivered_after = time.monotonic() - back
        after = dict(stack.sql(STATUSES))
        messages = stack.smtp.messages()
        duplicates = stack.smtp.duplicates()
        print(
            f"SMTP back: deliveries by status {after} after {delivered_after:.0f} s; "
            f"messages received {len(messages)}, duplicates {duplicates}, still queued {pending}"
        )
    verdict(
        queued and pending == 0 and duplicates == 0
        and len(messages) == after.get("sent", 0) == sum(after.values()),
        f"SMTP down {args.minutes:g} min: mail queued, then delivered once",
    )  # fmt: skip


if __name__ == "__main__":
    main()
