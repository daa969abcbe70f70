"""The worker's side of the outbox: claim due deliveries, send them, record the outcome.

Claiming is what makes several workers safe: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED`
hands each worker different rows; on SQLite (no row locks) the claim first takes the
database's single write lock, so claims happen one worker at a time. A claimed row carries a
lease; a worker that dies mid-send leaves it to be released and retried by the sweep.
"""

import logging
import random
import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from torget.accounts.models import User
from torget.notifications import rendering, selectors, sms
from torget.notifications.models import (
    DIGEST_FREQUENCIES,
    EXCEPT_USERS_CONTEXT,
    SECRET_CONTEXT,
    Channel,
    Delivery,
    DeliveryStatus,
    DigestItem,
    Frequency,
    Notification,
    SchedulerState,
    Subscription,
)

logger = logging.getLogger(__name__)

# The one message that still goes to a number after STOPP: the confirmation that nothing more
# will (by convention a stop is answered once); and why a stopped number's message was dropped.
SMS_STOPPED = "notifications.sms_stopped"
STOPPED_ERROR = "Numret har svarat STOPP: inga fler sms."

DUE = (DeliveryStatus.QUEUED, DeliveryStatus.FAILED)


def _claim_lock() -> None:
    """On databases without row locks, take the write lock before reading what to claim."""
    SchedulerState.objects.get_or_create(job="claim-lock")
    SchedulerState.objects.filter(job="claim-lock").update(last_run_at=timezone.now())


def deliveries_claim(*, worker_id: str, limit: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(status__in=DUE, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        else:
            _claim_lock()
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING,
            claimed_by=worker_id,
            claimed_until=now + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS),
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(pk__in=ids, claimed_by=worker_id)
        .select_related("notification", "subscription", "user")
        .order_by("pk")
    )


def backoff(attempts: int) -> timedelta:
    """Exponential back-off with jitter: base, 2×base, 4×base … capped."""
    seconds = min(
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS,
    )
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 — jitter, not security


def _relaxed_commit() -> None:
    """Recording an outcome need not wait for the disk: PostgreSQL keeps the order of commits,
    and if its server crashed within the next fraction of a second the worst case is a message
    sent again, the same at-least-once promise as a worker crash. Saves an fsync per message."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def _mark_sent(delivery: Delivery, *, provider_id: str = "") -> None:
    _relaxed_commit()
    Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        claimed_by="",
        claimed_until=None,
        last_error="",
        provider_id=provider_id[:100],
    )
    notification = delivery.notification
    if notification.context.get(SECRET_CONTEXT) and not (
        notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
    ):
        # Everything is sent: the secret (a one-time link) goes; who got it stays.
        Notification.objects.filter(pk=notification.pk).update(context={SECRET_CONTEXT: True})


@transaction.atomic
def _mark_failed(
    delivery: Delivery, error: BaseException | str, *, permanent: bool = False
) -> None:
    _relaxed_commit()
    give_up = permanent or delivery.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
        status=DeliveryStatus.DEAD if give_up else DeliveryStatus.FAILED,
        next_attempt_at=timezone.now() + backoff(delivery.attempts),
        claimed_by="",
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000]
        if not isinstance(error, str)
        else error,
    )
    logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)


def _is_permanent_smtp(error: Exception) -> bool:
    """5xx answers about the recipient won't change by trying again; 4xx and lost
    connections might."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    ):
        return error.smtp_code >= 500 and error.smtp_code not in (421, 451, 452)
    return False


def _send_emails(deliveries: list[Delivery]) -> None:
    mail = get_connection(fail_silently=False)
    try:
        mail.open()
    except Exception as error:  # noqa: BLE001 — the server is down: every message waits
        for delivery in deliveries:
            _mark_failed(delivery, error)
        return
    renderer = rendering.Renderer()
    try:
        for delivery in deliveries:
            try:
                message = renderer.email(delivery, connection=mail)
                mail.send_messages([message])
            except Exception as error:  # noqa: BLE001 — recorded on the delivery
                _mark_failed(delivery, error, permanent=_is_permanent_smtp(error))
            else:
                _mark_sent(delivery)
    finally:
        try:
            mail.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken connection
            pass


def _send_sms(deliveries: list[Delivery]) -> None:
    backend = sms.get_backend()
    renderer = rendering.Renderer()
    # A number that answered STOPP gets nothing more, whatever app queued it; only the
    # confirmation of the stop itself still goes.
    stopped = selectors.sms_stopped_among(d.to for d in deliveries)
    for delivery in deliveries:
        if delivery.to in stopped and delivery.notification.template != SMS_STOPPED:
            _mark_failed(delivery, STOPPED_ERROR, permanent=True)
            continue
        try:
            provider_id = backend.send(to=delivery.to, message=renderer.sms(delivery))
        except sms.SmsError as error:
            _mark_failed(delivery, error, permanent=error.permanent)
        except Exception as error:  # noqa: BLE001 — recorded on the delivery
            _mark_failed(delivery, error)
        else:
            _mark_sent(delivery, provider_id=provider_id)


def deliveries_send(deliveries: list[Delivery]) -> None:
    emails = [d for d in deliveries if d.channel == Channel.EMAIL]
    texts = [d for d in deliveries if d.channel == Channel.SMS]
    if emails:
        _send_emails(emails)
    if texts:
        _send_sms(texts)


def deliver_due(*, worker_id: str, limit: int) -> int:
    deliveries = deliveries_claim(worker_id=worker_id, limit=limit)
    deliveries_send(deliveries)
    return len(deliveries)


# --- Fan-out ----------------------------------------------------------------------------------


def notification_expand(
    notification_id: int,
    *,
    batch_size: int = 2000,
    on_first_batch: Callable[[], None] | None = None,
) -> int:
    """Create the deliveries (or digest items) for every confirmed follower, in batches.

    Safe to run again after a crash: unique constraints make repeated rows no-ops.
    """
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.expanded_at is not None:
        return 0
    targets = Q()
    for content_type_id, object_id in notification.audience:
        targets |= Q(target_type_id=content_type_id, target_id=object_id)
    followers = Subscription.objects.filter(targets, confirmed_at__isnull=False)
    if passed_over := notification.context.get(EXCEPT_USERS_CONTEXT):
        # Their own post, or something they were told of directly: not again as followers,
        # neither by their account's subscriptions nor by one made with its address.
        followers = followers.exclude(user_id__in=passed_over).exclude(
            user__isnull=True,
            email__in=User.objects.filter(pk__in=passed_over).values("email"),
        )
    followers = followers.select_related("user").order_by("pk")
    created = 0
    last_pk = 0
    while True:
        batch = list(followers.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        deliveries: list[Delivery] = []
        digest_items: list[DigestItem] = []
        for subscription in batch:
            if subscription.frequency in DIGEST_FREQUENCIES:
                digest_items.append(
                    DigestItem(subscription=subscription, notification=notification)
                )
                continue
            deliveries.extend(deliveries_for(notification, subscription))
        with transaction.atomic():
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
            DigestItem.objects.bulk_create(digest_items, ignore_conflicts=True, batch_size=1000)
        if created == 0 and deliveries and on_first_batch is not None:
            on_first_batch()  # start sending while the rest is fanned out
        created += len(deliveries)
    Notification.objects.filter(pk=notification.pk).update(expanded_at=timezone.now())
    return created


def deliveries_for(notification: Notification, subscription: Subscription) -> list[Delivery]:
    """A follower's messages of one notice: by the channels the follower chose, e-mail, SMS
    or both. The one place where a follower's choice is read, for every notice kind of every
    app (DOMAIN §6); the caller of `notify` has no say in it."""
    result = []
    wants_sms = subscription.by_sms and bool(subscription.phone)
    # SMS goes only to a number shown to belong to the follower, and only while the
    # municipality has a gateway. Otherwise a follower who chose SMS gets the notice by
    # e-mail where there is an address (nothing is lost), and nothing where there is none.
    sms_usable = wants_sms and subscription.is_phone_confirmed and sms.is_enabled()
    wants_email = subscription.by_email or (wants_sms and not sms_usable)
    if wants_email and (address := subscription.email_address()):
        result.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                to=address,
                user_id=subscription.user_id,
                subscription=subscription,
                language=subscription.language,
            )
        )
    if sms_usable:
        result.append(
            Delivery(
                notification=notification,
                channel=Channel.SMS,
                to=subscription.phone,
                user_id=subscription.user_id,
                subscription=subscription,
                language=subscription.language,
            )
        )
    return result


# --- Daily and weekly digests ------------------------------------------------------------------

WEEKLY_DIGEST = "notifications.digest"
DAILY_DIGEST = "notifications.daily_digest"
# The jobs of the scheduler (SchedulerState.job) that send the digests.
WEEKLY_DIGEST_JOB = "digest"
DAILY_DIGEST_JOB = "daily-digest"
# What the daily job sends: the daily digests, and what is left waiting for a follower who
# has since chosen to hear at once (their items go out the next morning, not a week later).
DAILY_JOB_FREQUENCIES = (Frequency.DAILY, Frequency.IMMEDIATE)


def digests_compose(*, frequencies: Iterable[str] | None = None) -> int:
    """One digest per subscription with news since its last one: the subscriptions of
    `frequencies`, or every subscription with something waiting. A weekly follower's digest
    tells of the week, anyone else's of the day. The number of messages queued."""
    waiting = DigestItem.objects.all()
    if frequencies is not None:
        waiting = waiting.filter(subscription__frequency__in=list(frequencies))
    subscription_ids = list(waiting.values_list("subscription_id", flat=True).distinct())
    composed = 0
    for subscription in Subscription.objects.filter(pk__in=subscription_ids).select_related("user"):
        with transaction.atomic():
            items = list(DigestItem.objects.select_for_update().filter(subscription=subscription))
            if not items:
                continue
            weekly = subscription.frequency == Frequency.WEEKLY
            notification = Notification.objects.create(
                template=WEEKLY_DIGEST if weekly else DAILY_DIGEST,
                context={"target": str(subscription.target), "url": _url_of(subscription.target)},
                channels=[Channel.EMAIL, Channel.SMS],
                expanded_at=timezone.now(),
            )
            deliveries = deliveries_for(notification, subscription)
            for delivery in deliveries:
                delivery.digest_of = [item.notification_id for item in items]
            Delivery.objects.bulk_create(deliveries)
            DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
            composed += len(deliveries)
    return composed


def _url_of(target: Any) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return str(get_url()) if get_url is not None else "/"


# --- Housekeeping -----------------------------------------------------------------------------


def stale_release() -> int:
    """Deliveries whose worker died mid-send go back in the queue. The message may have left
    before the worker died, so this is at-least-once: a rare duplicate, never a loss."""
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_until__lt=timezone.now()
    ).update(
        status=DeliveryStatus.FAILED,
        claimed_by="",
        claimed_until=None,
        next_attempt_at=timezone.now(),
        last_error="Arbetsprocessen avbröts under sändningen.",
    )


def prune(
    *, now: Any = None, cutoff: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Retention: finished delivery records (sent, or given up) made before `cutoff` are
    removed, then notifications left without any. By default the cut-off is
    NOTIFICATIONS_RETENTION_DAYS ago; the retention plan (torget/notifications/retention.py)
    passes its own, and runs this every night."""
    if cutoff is None:
        cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    deliveries = Delivery.objects.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.DEAD], created_at__lt=cutoff
    )
    notifications = Notification.objects.filter(
        created_at__lt=cutoff, expanded_at__isnull=False
    ).exclude(pk__in=DigestItem.objects.values("notification_id"))
    if dry_run:
        return {
            "deliveries": deliveries.count(),
            "notifications": notifications.exclude(
                pk__in=Delivery.objects.exclude(pk__in=deliveries.values("pk")).values(
                    "notification_id"
                )
            ).count(),
        }
    removed_deliveries, _ = deliveries.delete()
    removed_notifications, _ = notifications.filter(deliveries__isnull=True).delete()
    return {"deliveries": removed_deliveries, "notifications": removed_notifications}


# The job that prunes the task queue's finished results, and the local hour it runs at: at
# night, when the queue is quiet.
TASK_RESULTS_PRUNE_JOB = "task-results-prune"
TASK_RESULTS_PRUNE_HOUR = 4


def task_results_prune(*, now: datetime | None = None) -> int:
    """The database task queue keeps a row for every task run (some 3,000 a day): finished
    ones older than TASKS_RESULTS_RETENTION_DAYS are removed. Tasks waiting or running are
    never touched, however old. The number of rows removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TASKS_RESULTS_RETENTION_DAYS)
    removed, _ = DBTaskResult.objects.filter(
        finished_at__isnull=False, finished_at__lt=cutoff
    ).delete()
    return removed


def next_task_results_prune_time(now: datetime) -> datetime:
    """TASK_RESULTS_PRUNE_HOUR (local time), today or tomorrow."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=TASK_RESULTS_PRUNE_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


def job_is_due(job: str, *, next_run: Callable[[datetime], datetime]) -> bool:
    """True for exactly one caller per period, however many workers ask at once: the
    conditional UPDATE moves the next run forward, and only one UPDATE can win."""
    now = timezone.now()
    SchedulerState.objects.get_or_create(job=job, defaults={"next_run_at": now})
    return bool(
        SchedulerState.objects.filter(job=job, next_run_at__lte=now).update(
            last_run_at=now, next_run_at=next_run(now)
        )
    )


def next_daily_digest_time(now: datetime) -> datetime:
    """The next configured hour, local time (07:00 by default), today or tomorrow."""
    local = timezone.localtime(now)
    candidate = local.replace(
        hour=settings.NOTIFICATIONS_DAILY_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


def next_digest_time(now: datetime) -> datetime:
    """The next configured weekday and hour, local time (Monday 07:00 by default)."""
    local = timezone.localtime(now)
    candidate = local.replace(
        hour=settings.NOTIFICATIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    candidate += timedelta(days=(settings.NOTIFICATIONS_DIGEST_WEEKDAY - local.weekday()) % 7)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def worker_heartbeat() -> None:
    """A worker is alive: /healthz tells the load balancer and the operators when no worker
    has said so for a while. One row for all workers; any one alive is enough to deliver."""
    now = timezone.now()
    updated = SchedulerState.objects.filter(job=selectors.HEARTBEAT_JOB).update(last_run_at=now)
    if not updated:
        SchedulerState.objects.get_or_create(
            job=selectors.HEARTBEAT_JOB, defaults={"last_run_at": now, "next_run_at": now}
        )
