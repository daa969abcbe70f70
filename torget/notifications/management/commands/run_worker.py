import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from torget.notifications import sending
from torget.notifications.tasks import tick

logger = logging.getLogger("torget.worker")


def scheduler_loop(stop: threading.Event) -> None:
    """Enqueue the periodic sweep. Every worker runs this; the database lets one of them
    enqueue per period."""
    interval = settings.NOTIFICATIONS_TICK_SECONDS
    while not stop.is_set():
        try:
            close_old_connections()
            if sending.job_is_due("tick", next_run=lambda t: t + timedelta(seconds=interval)):
                tick.enqueue()
        except Exception:  # the worker keeps going; the next period tries again
            logger.exception("Scheduling the periodic sweep failed")
        finally:
            connection.close()
        stop.wait(interval)


# How often a running worker says it is alive; /healthz's HEALTHZ_WORKER_STALE_SECONDS allows
# for several missed beats.
HEARTBEAT_SECONDS = 15


def heartbeat_loop(stop: threading.Event) -> None:
    """Say "alive" while the worker runs. It beats from its own thread, so a long task does not
    make the worker look dead; a task that hangs shows instead as a growing queue age."""
    while not stop.is_set():
        try:
            close_old_connections()
            sending.worker_heartbeat()
        except Exception:  # a database away for a moment: the next beat tries again
            logger.exception("Recording the worker's heartbeat failed")
        finally:
            connection.close()
        stop.wait(HEARTBEAT_SECONDS)


class Command(BaseCommand):
    help = "Kör bakgrundsarbetaren: skickar e-post och sms ur utkorgen och sköter återförsök."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="do not enqueue the periodic sweep"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        try:
            from django.tasks import (  # type: ignore[import-not-found,unused-ignore]
                DEFAULT_TASK_BACKEND_ALIAS,
                task_backends,
            )
        except ImportError:
            from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]

        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(
                target=heartbeat_loop, args=(stop,), daemon=True, name="heartbeat"
            ).start()
        if not options["batch"] and not options["no_scheduler"]:
            threading.Thread(
                target=scheduler_loop, args=(stop,), daemon=True, name="scheduler"
            ).start()

        if not isinstance(backend, DatabaseBackend):
            # Another backend (e.g. RQ) runs tasks in its own workers (`manage.py rqworker`);
            # this process only keeps the periodic sweep going.
            self.stdout.write(
                f"Tasks run by {type(backend).__name__}; this process only schedules the sweep. "
                "Run that backend's workers too, e.g. manage.py rqworker --job-class django_tasks_rq.Job"
            )
            while not options["batch"]:
                time.sleep(3600)
            return

        worker_id = get_random_string(12)
        self.stdout.write(f"Torget worker {worker_id} started.")
        try:
            Worker(
                queue_names=["*"],
                interval=options["interval"],
                batch=options["batch"],
                backend_name=backend.alias,
                startup_delay=not options["batch"],
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        finally:
            stop.set()
