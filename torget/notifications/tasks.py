"""The notifications app's background work, as tasks of the Tasks framework.

The backend is a setting (TASKS): the durable database backend by default, Redis (RQ) for
large installations. Moving to Django 6 means importing `task` from django.tasks.
"""

import logging
import math
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

try:  # Django 6
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2 with the django-tasks backport
    from django_tasks import task

from torget.notifications import sending
from torget.notifications.models import Delivery, DeliveryStatus, Frequency, Notification

logger = logging.getLogger(__name__)


@task()
def deliver_batch(limit: int = 0) -> int:
    """Send up to `limit` due messages. A full batch means more are waiting, so it queues its
    own successor; several running at once share the work without overlap."""
    limit = limit or settings.NOTIFICATIONS_BATCH_SIZE
    sent = sending.deliver_due(worker_id=get_random_string(16), limit=limit)
    if sent == limit:
        deliver_batch.enqueue(limit)
    return sent


def _start_sending(parallel: int) -> None:
    for _ in range(parallel):
        deliver_batch.enqueue()


@task()
def expand_notification(notification_id: int) -> int:
    parallel = settings.NOTIFICATIONS_PARALLEL_BATCHES
    created = sending.notification_expand(
        notification_id, on_first_batch=lambda: _start_sending(parallel)
    )
    # Batches started early may have caught up with the fan-out and stopped; start a few
    # more for the rest. Each continues itself while work remains.
    _start_sending(min(math.ceil(created / settings.NOTIFICATIONS_BATCH_SIZE), parallel) or 1)
    return created


@task()
def tick() -> dict[str, Any]:
    """Periodic sweep (every NOTIFICATIONS_TICK_SECONDS): the safety net under the wake-ups."""
    now = timezone.now()
    report: dict[str, Any] = {"released": sending.stale_release()}
    # Fan-outs whose wake-up was lost (crash after commit, queue down).
    stuck = Notification.objects.filter(
        expanded_at__isnull=True, created_at__lt=now - timedelta(minutes=1)
    )
    for notification_id in stuck.values_list("pk", flat=True)[:100]:
        expand_notification.enqueue(notification_id)
    # Messages due now, including retries whose back-off has passed.
    if Delivery.objects.filter(status__in=sending.DUE, next_attempt_at__lte=now).exists():
        deliver_batch.enqueue()
    # Digests: the weekly ones on the configured weekday and hour, the daily ones every day
    # at their hour; each job runs once per period however many workers sweep.
    if sending.job_is_due(sending.WEEKLY_DIGEST_JOB, next_run=sending.next_digest_time):
        report["digests"] = sending.digests_compose(frequencies=[Frequency.WEEKLY])
        deliver_batch.enqueue()
    if sending.job_is_due(sending.DAILY_DIGEST_JOB, next_run=sending.next_daily_digest_time):
        report["daily_digests"] = sending.digests_compose(frequencies=sending.DAILY_JOB_FREQUENCIES)
        deliver_batch.enqueue()
    # Old delivery records go with the retention plan's nightly run (torget.retention).
    if sending.job_is_due(
        sending.TASK_RESULTS_PRUNE_JOB, next_run=sending.next_task_results_prune_time
    ):
        report["task_results_pruned"] = sending.task_results_prune()
    # Other apps' periodic work (a proposal's signing period ending, …): `on_tick()` on
    # their AppConfig. One app's failure must not stop the sweep or the others.
    for config in apps.get_app_configs():
        hook = getattr(config, "on_tick", None)
        if hook is not None:
            try:
                report[config.label] = hook()
            except Exception:
                logger.exception("Periodic work of %s failed", config.label)
    report["waiting"] = Delivery.objects.filter(status__in=sending.DUE).count()
    report["dead"] = Delivery.objects.filter(status=DeliveryStatus.DEAD).count()
    return report
