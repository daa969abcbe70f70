from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from torget.notifications.models import Delivery, DeliveryStatus, Subscription


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
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
