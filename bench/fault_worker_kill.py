"""Fault: a worker killed (SIGKILL) in the middle of a batch of e-mail.

Brings up the stack (bench/stack.py) with two workers and a slow SMTP sink (each message takes
--smtp-delay seconds, so a batch is in flight for a while), has citizens send --reports fault
reports asking for an e-mail receipt, and kills one worker with SIGKILL while both are sending
(deliveries claimed by two workers at once). The survivor's sweep hands the dead worker's
claims back once their lease runs out (NOTIFICATIONS_CLAIM_SECONDS, 20 s in the bench) and
sends them. PASS when every receipt is delivered (none lost) and the duplicates at the SMTP
sink are no more than the deliveries that were claimed at the moment of the kill: the
documented at-least-once case, a message sent but not yet recorded as sent.

    .venv/bin/python bench/fault_worker_kill.py
    .venv/bin/python bench/fault_worker_kill.py --reports 100 --smtp-delay 0.1
"""

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402

SENDING = "SELECT count(*), count(DISTINCT claimed_by) FROM notifications_delivery WHERE status = 'sending'"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=200, help="fault reports with receipts")
    parser.add_argument("--smtp-delay", type=float, default=0.1, help="seconds per message")
    parser.add_argument("--wait", type=int, default=180, help="seconds allowed to drain")
    args = parser.parse_args()

    stack = Stack(
        servers=1, workers=2, smtp_delay=args.smtp_delay, quiet=False,
        extra_env={"NOTIFICATIONS_BATCH_SIZE": "20"},
    )  # fmt: skip
    with stack:
        stack.django()
        body = fault_body(fault_category().pk)
        accepted: list[str] = []
        lock = threading.Lock()
        count = iter(range(args.reports))

        def citizen() -> None:
            session = requests.Session()
            for _ in count:
                try:
                    status, token = post_fault(stack.url, body, session)
                except requests.RequestException:
                    continue
                if status == 302:
                    with lock:
                        accepted.append(token)

        threads = [threading.Thread(target=citizen) for _ in range(4)]
        for thread in threads:
            thread.start()
        # Wait until two workers are sending at the same moment, then kill the first.
        deadline = time.monotonic() + args.wait
        claimed = 0
        while time.monotonic() < deadline:
            claimed, claimants = stack.sql(SENDING)[0]
            if claimants >= 2:
                break
            time.sleep(0.05)
        victim = stack.worker_processes[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        print(f"worker killed with SIGKILL while {claimed} deliveries were claimed", flush=True)
        for thread in threads:
            thread.join()
        pending = stack.wait_for_outbox(args.wait)
        (deliveries, retried) = stack.sql(
            "SELECT count(*), count(*) FILTER (WHERE attempts > 1) FROM notifications_delivery "
            "WHERE channel = 'email' AND status = 'sent'"
        )[0]
        (unsent,) = stack.sql(
            "SELECT count(*) FROM notifications_delivery WHERE channel = 'email' "
            "AND status <> 'sent'"
        )[0]
        messages = stack.smtp.messages()
        distinct = len({key for key, _ in messages})
        duplicates = len(messages) - distinct
        print(
            f"{len(accepted)} reports accepted; e-mail deliveries sent: {deliveries} "
            f"({retried} after a retry), not sent: {unsent}, still queued: {pending}; "
            f"SMTP sink: {len(messages)} messages, {distinct} distinct, {duplicates} duplicates "
            f"(allowed: at most the {claimed} claimed at the kill)"
        )
    verdict(
        unsent == 0 and distinct == deliveries and deliveries >= len(accepted) > 0
        and duplicates <= claimed,
        "worker killed mid-batch: no message lost, duplicates only within at-least-once",
    )  # fmt: skip


if __name__ == "__main__":
    main()
