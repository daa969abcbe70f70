"""Benchmark: one event to 100,000 followers of one area.

Reports the time to enqueue (the caller's transaction, commit included), the time the worker
needs to fan the event out into deliveries, and the delivery rate to a local SMTP sink
(messages/s) with the number of worker processes.

    .venv/bin/python bench/notify_fanout.py                      # PostgreSQL, 2 workers
    .venv/bin/python bench/notify_fanout.py --workers 4 --subscribers 20000
    .venv/bin/python bench/notify_fanout.py --database-url sqlite:///var/bench.sqlite3 --workers 1

It creates (and drops) its own database, torget_bench, on the PostgreSQL server.
"""

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def smtp_sink(port: int, counter) -> None:
    """A real SMTP server in its own process that accepts and counts, nothing more."""
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.run(asyncio.sleep(10**6))
    finally:
        controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench")
    args = parser.parse_args()

    port = free_port()
    env = {
        **os.environ,
        "TORGET_ENV": "test",  # the test profile carries the neutral message template used here
        "DJANGO_SETTINGS_MODULE": "torget.settings",
        "DATABASE_URL": args.database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NOTIFICATIONS_BATCH_SIZE": str(args.batch_size),
        "NOTIFICATIONS_PARALLEL_BATCHES": str(max(args.workers, 1) * 2),
    }
    os.environ.update(env)
    prepare_database(args.database_url)

    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from torget.geo.models import Area, AreaKind
    from torget.notifications import notices
    from torget.notifications.models import Delivery, DeliveryStatus, Notification, Subscription
    from torget.notifications.services import notify

    # The suite's notice kind (its templates are in torget/testing), registered as the test
    # suite's fixture does; the workers only send e-mail, which needs no registry.
    notices.register("test.event", example={}, followers=True)

    call_command("migrate", verbosity=0)
    area = Area.objects.create(
        name="Berga",
        slug="berga",
        kind=AreaKind.DISTRICT,
        geometry={
            "type": "Polygon",
            "coordinates": [[[15, 58], [16, 58], [16, 59], [15, 59], [15, 58]]],
        },
    )
    area_type = ContentType.objects.get_for_model(Area)
    now = timezone.now()
    started = time.perf_counter()
    for offset in range(0, args.subscribers, 10_000):
        Subscription.objects.bulk_create(
            [
                Subscription(
                    target_type=area_type,
                    target_id=area.pk,
                    email=f"foljare{n:06d}@example.se",
                    confirmed_at=now,
                    token=f"bench-{n}",
                )
                for n in range(offset, min(offset + 10_000, args.subscribers))
            ]
        )
    print(
        f"setup: {args.subscribers} subscribers of one area in {time.perf_counter() - started:.1f} s"
    )

    counter = multiprocessing.Value("l", 0)
    sink = multiprocessing.Process(target=smtp_sink, args=(port, counter), daemon=True)
    sink.start()
    time.sleep(0.5)

    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.05", "--no-scheduler"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    time.sleep(5)  # let the workers start (Django start-up) before the clock starts

    # Warm up what a long-running web process has warm (template loaders, content types,
    # the task backend) with the same call for an area that nobody follows.
    quiet = Area.objects.create(
        name="Ryd", slug="ryd", kind=AreaKind.DISTRICT, geometry=area.geometry
    )
    notify(template="test.event", context={"title": "warm-up", "url": "/"}, followers_of=[quiet])
    started = time.perf_counter()
    with transaction.atomic():
        notification = notify(
            template="test.event",
            context={"title": "Medborgardialog om Bergaparken startar", "url": "/omraden/berga/"},
            followers_of=[area],
        )
    enqueue_ms = (time.perf_counter() - started) * 1000

    try:
        expanded_s = None
        first_sent = None
        while True:
            time.sleep(0.25)
            elapsed = time.perf_counter() - started
            if (
                expanded_s is None
                and Notification.objects.filter(
                    pk=notification.pk, expanded_at__isnull=False
                ).exists()
            ):
                expanded_s = elapsed
            if first_sent is None and counter.value:
                first_sent = elapsed
            if counter.value >= args.subscribers:
                break
            if elapsed > 3600:
                raise SystemExit("gave up after an hour")
        done_s = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        sink.terminate()

    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"database: {database}, workers: {args.workers}, batch size: {args.batch_size}")
    print(f"enqueue (notify + commit): {enqueue_ms:.1f} ms")
    print(f"fan-out into deliveries: {expanded_s:.1f} s after commit")
    print(f"first message at the SMTP sink: {first_sent:.1f} s after commit")
    print(f"all {counter.value} messages delivered: {done_s:.1f} s after commit")
    print(
        f"delivery rate: {counter.value / (done_s - first_sent):.0f} messages/s "
        f"(overall incl. fan-out: {counter.value / done_s:.0f} messages/s)"
    )
    print(f"deliveries marked sent: {sent}")


if __name__ == "__main__":
    main()
