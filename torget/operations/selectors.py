"""Reads for /healthz and /metrics: each check and figure from the database at the moment it
is asked for, so every app server and every gunicorn worker answers the same."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from torget.notifications import selectors as notifications
from torget.notifications.models import DeliveryStatus
from torget.proposals.selectors import supports_given

DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


@dataclass
class Check:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.detail}


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max(0.0, round((now - moment).total_seconds(), 1))


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        ok = cursor.fetchone() == (1,)
    return Check(ok)


def check_cache() -> Check:
    # A key of its own per call: two load balancers asking at once must not read each other's.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return Check(ok)


def check_worker(now: datetime) -> Check:
    age = _age(notifications.worker_last_heartbeat(), now)
    limit = settings.HEALTHZ_WORKER_STALE_SECONDS
    return Check(age is not None and age <= limit, {"age_seconds": age, "max_seconds": limit})


def task_queue_oldest_due() -> datetime | None:
    """Since when the longest-waiting task has been ready to run (None when none waits, or
    when another backend than the database keeps the tasks)."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS_BACKEND:
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    oldest = ready.aggregate(
        # A task without a time to wait for is due from when it was queued; one with such a
        # time, from whichever came later.
        now_=Min("enqueued_at", filter=Q(run_after=get_date_max())),
        later=Min(Greatest("enqueued_at", "run_after"), filter=~Q(run_after=get_date_max())),
    )
    moments = [m for m in (oldest["now_"], oldest["later"]) if m is not None]
    return min(moments) if moments else None


def check_queues(now: datetime) -> Check:
    limit = settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS
    task_age = _age(task_queue_oldest_due(), now)
    outbox_age = _age(notifications.outbox_oldest_due(), now)
    ok = all(age is None or age <= limit for age in (task_age, outbox_age))
    return Check(
        ok,
        {"tasks_age_seconds": task_age, "outbox_age_seconds": outbox_age, "max_seconds": limit},
    )


CHECKS = ("database", "cache", "worker", "queues")


def health(names: tuple[str, ...] = CHECKS) -> dict[str, Check]:
    """The checks named, by name. A check that raises (the database away, Redis down) fails
    with the kind of error, never its message: /healthz is public and messages may hold
    addresses."""
    now = timezone.now()
    runs = {
        "database": check_database,
        "cache": check_cache,
        "worker": lambda: check_worker(now),
        "queues": lambda: check_queues(now),
    }
    checks: dict[str, Check] = {}
    for name in names:
        run = runs[name]
        try:
            checks[name] = run()
        except Exception as error:  # any failure is an answer here, never a 500
            checks[name] = Check(False, {"error": type(error).__name__})
    return checks


@dataclass
class Figures:
    outbox: dict[str, int]
    outbox_oldest_due_age: float | None
    tasks_ready: int | None
    tasks_oldest_due_age: float | None
    supports_total: int
    supports_last_hour: int
    worker_heartbeat_age: float | None


def figures() -> Figures:
    """What /metrics reports beside the request counts."""
    now = timezone.now()
    tasks_ready: int | None = None
    if settings.TASKS["default"]["BACKEND"] == DATABASE_TASKS_BACKEND:
        from django_tasks_db.models import DBTaskResult

        tasks_ready = DBTaskResult.objects.ready().aggregate(n=Count("pk"))["n"]
    return Figures(
        outbox=notifications.outbox_counts(),
        outbox_oldest_due_age=_age(notifications.outbox_oldest_due(), now),
        tasks_ready=tasks_ready,
        tasks_oldest_due_age=_age(task_queue_oldest_due(), now),
        supports_total=supports_given(),
        supports_last_hour=supports_given(since=now - timedelta(hours=1)),
        worker_heartbeat_age=_age(notifications.worker_last_heartbeat(), now),
    )


PENDING_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.FAILED, DeliveryStatus.SENDING)
FAILED_STATUSES = (DeliveryStatus.FAILED, DeliveryStatus.DEAD)
