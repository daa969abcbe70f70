import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from torget.accounts.models import User
from torget.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    SchedulerState,
    SmsStop,
    Subscription,
)


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(user=user).select_related("target_type").order_by("created_at")
    )


def outbox_counts() -> dict[str, int]:
    counts = dict(
        Delivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}


def outbox_per_day(*, days: int = 14) -> list[dict[str, Any]]:
    since = timezone.now() - timedelta(days=days)
    rows = (
        Delivery.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            dead=Count("pk", filter=Q(status=DeliveryStatus.DEAD)),
        )
        .order_by("-day")
    )
    return list(rows)


# Choices someone asked for in the follow form, for an address that already follows the
# thing, travel signed in the manage link mailed to that address: they fill in the form there
# and take effect only when the reader of the inbox saves them.
PROPOSED_CHOICES_SALT = "torget.notifications.proposed-choices"
PROPOSED_CHOICES_MAX_AGE = 7 * 24 * 3600
CHOICE_KEYS = ("by_email", "by_sms", "phone", "frequency")


def proposed_choices_sign(subscription: Subscription, choices: dict[str, Any]) -> str:
    payload = {"s": subscription.pk, **{key: choices[key] for key in CHOICE_KEYS}}
    return signing.dumps(payload, salt=PROPOSED_CHOICES_SALT, compress=True)


def proposed_choices(subscription: Subscription, signed: str) -> dict[str, Any] | None:
    """The choices signed by `proposed_choices_sign` for this subscription, or None for a
    value that is forged, too old or made for another subscription."""
    try:
        payload = signing.loads(
            signed, salt=PROPOSED_CHOICES_SALT, max_age=PROPOSED_CHOICES_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != subscription.pk:
        return None
    if not all(key in payload for key in CHOICE_KEYS):
        return None
    return {key: payload[key] for key in CHOICE_KEYS}


@dataclass(frozen=True)
class DeliveryState:
    """How one message to one address fared, for a page that tells staff what a person was
    actually sent (not what was meant to be sent)."""

    channel: str
    to: str
    status: str
    label: str
    at: datetime | None
    at_label: str
    attempts: int

    @property
    def is_problem(self) -> bool:
        return self.status in (DeliveryStatus.FAILED, DeliveryStatus.DEAD)


def _delivery_state(delivery: Delivery) -> DeliveryState:
    if delivery.status == DeliveryStatus.SENT:
        at, at_label = delivery.sent_at, _("skickat")
    elif delivery.status == DeliveryStatus.FAILED:
        at, at_label = delivery.next_attempt_at, _("nästa försök")
    else:
        # Queued, being sent, or given up: the outbox keeps no time of the last attempt.
        at, at_label = delivery.created_at, _("köat")
    return DeliveryState(
        channel=str(Channel(delivery.channel).label),
        to=delivery.to,
        status=delivery.status,
        label=str(DeliveryStatus(delivery.status).label),
        at=at,
        at_label=at_label,
        attempts=delivery.attempts,
    )


def delivery_states(notification_ids: Iterable[int | None]) -> dict[int, list[DeliveryState]]:
    """The deliveries of these notifications, by notification id, in one query. A
    notification without deliveries (none made, or removed by retention) is missing."""
    ids = {pk for pk in notification_ids if pk is not None}
    states: dict[int, list[DeliveryState]] = {}
    if not ids:
        return states
    for delivery in Delivery.objects.filter(notification_id__in=ids).order_by("pk"):
        states.setdefault(delivery.notification_id, []).append(_delivery_state(delivery))
    return states


# An SMS has room for one short link that ends the subscription: its id and a keyed check of
# ten characters (60 bits), instead of the 32-character token that also opens the manage page.
# It can do one thing, end the subscription, so it need not be as long as a standing key.
STOP_SALT = "torget.notifications.stop"
STOP_KEY_LENGTH = 10
STOP_CODE_MAX_LENGTH = 10 + 1 + STOP_KEY_LENGTH  # ids up to ten digits


def _stop_key(subscription_id: int, token: str) -> str:
    digest = salted_hmac(STOP_SALT, f"{subscription_id}:{token}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:STOP_KEY_LENGTH]


def stop_code(subscription: Subscription) -> str:
    return f"{subscription.pk}-{_stop_key(subscription.pk, subscription.token)}"


def subscription_by_stop_code(code: str) -> Subscription | None:
    pk, _sep, key = code.partition("-")
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18) or len(key) != STOP_KEY_LENGTH:
        return None
    subscription = Subscription.objects.filter(pk=int(pk)).first()
    if subscription is None:
        return None
    if not constant_time_compare(key, _stop_key(subscription.pk, subscription.token)):
        return None
    return subscription


# --- SMS stop list -----------------------------------------------------------------------------

PHONE_HASH_SALT = "torget.notifications.sms-stop"


def phone_hash(phone: str) -> str:
    """The keyed hash of an E.164 number under which the stop list keeps it."""
    return salted_hmac(PHONE_HASH_SALT, phone, algorithm="sha256").hexdigest()


def sms_stopped(phone: str) -> bool:
    return SmsStop.objects.filter(phone_hash=phone_hash(phone)).exists()


def sms_stopped_among(phones: Iterable[str]) -> set[str]:
    """The numbers of `phones` that answered STOPP (one query)."""
    by_hash = {phone_hash(phone): phone for phone in set(phones)}
    if not by_hash:
        return set()
    stopped = SmsStop.objects.filter(phone_hash__in=by_hash).values_list("phone_hash", flat=True)
    return {by_hash[h] for h in stopped}


def sms_numbers_following(target: Any) -> list[str]:
    """The confirmed numbers of those who follow `target` (an area, a topic …) by SMS and
    have not answered STOPP, each once."""
    from django.contrib.contenttypes.models import ContentType

    phones = set(
        Subscription.objects.filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            confirmed_at__isnull=False,
            phone_confirmed_at__isnull=False,
            by_sms=True,
        )
        .exclude(phone="")
        .values_list("phone", flat=True)
    )
    return sorted(phones - sms_stopped_among(phones))


def sms_number_chosen_by(user: User, about: Iterable[Any]) -> str:
    """The confirmed number `user` chose to hear about any of `about` (or what it lies in,
    the registry's `widen`) by SMS, for a message told to them directly: "" when they follow
    none of it by SMS, the municipality sends no SMS, or the number answered STOPP.

    An account has no standing choice of channel; following something by SMS is the one
    place a person says they want SMS (DOMAIN §6), so a direct message about it goes there
    too."""
    from django.contrib.contenttypes.models import ContentType

    from torget.notifications import registry, sms

    if user.pk is None or not sms.is_enabled():
        return ""
    targets = Q()
    for obj in about:
        followable = registry.for_object(obj)
        for target in followable.widen(obj) if followable is not None else [obj]:
            content_type = ContentType.objects.get_for_model(target)
            targets |= Q(target_type=content_type, target_id=target.pk)
    if not targets:
        return ""
    phones = list(
        Subscription.objects.filter(
            targets,
            user=user,
            confirmed_at__isnull=False,
            phone_confirmed_at__isnull=False,
            by_sms=True,
        )
        .exclude(phone="")
        .order_by("pk")
        .values_list("phone", flat=True)
    )
    stopped = sms_stopped_among(phones)
    return next((phone for phone in phones if phone not in stopped), "")


# The row in SchedulerState where running workers say they are alive (/healthz reads it).
HEARTBEAT_JOB = "worker-heartbeat"


def worker_last_heartbeat() -> datetime | None:
    """When a worker last said it was alive (sending.worker_heartbeat), None if never."""
    return (
        SchedulerState.objects.filter(job=HEARTBEAT_JOB)
        .values_list("last_run_at", flat=True)
        .first()
    )


def outbox_oldest_due() -> datetime | None:
    """Since when the longest-waiting message has been due to go out: queued or to be retried,
    its time come, not yet sent. None when nothing is waiting."""
    oldest: datetime | None = Delivery.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
        next_attempt_at__lte=timezone.now(),
    ).aggregate(oldest=Min("next_attempt_at"))["oldest"]
    return oldest
