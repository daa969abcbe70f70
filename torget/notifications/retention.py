"""The notifications' record kinds in the retention plan (gallringsplan, torget.core.retention).

Delivery records (who got which message, when) are kept a while to answer "did I get it?",
then removed; the period's default is NOTIFICATIONS_RETENTION_DAYS. The codes sent to confirm
a mobile number hold that number; once used or expired they are no longer needed. Numbers of
confirmed subscriptions stay while the subscription does."""

import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.notifications import sending
from torget.notifications.models import PhoneCode


def apply_deliveries(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    return sending.prune(cutoff=cutoff, dry_run=dry_run)


def apply_phone_codes(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = PhoneCode.objects.filter(created_at__lt=cutoff, expires_at__lt=cutoff)
    return {"phone_codes": rows.count() if dry_run else rows.delete()[0]}


def _deliveries_default() -> retention.Period:
    return retention.Period(settings.NOTIFICATIONS_RETENTION_DAYS, "days")


retention.register(
    retention.RecordKind(
        key="notifications.deliveries",
        name=_("Utskick av e-post och sms"),
        description=_(
            "Uppgifter om vilka meddelanden som skickats till vilken adress eller vilket "
            "nummer, och när. Meddelanden som ännu inte har skickats finns kvar."
        ),
        default=_deliveries_default,
        action=retention.Action.DELETE,
        counts_from=_("när meddelandet skapades"),
        apply=apply_deliveries,
        order=60,
    )
)
retention.register(
    retention.RecordKind(
        key="notifications.phone_codes",
        name=_("Sms-koder för att bekräfta mobilnummer"),
        description=_(
            "Koden och mobilnumret den skickades till. Numret i en bekräftad prenumeration "
            "finns kvar så länge prenumerationen finns."
        ),
        default=retention.Period(30, "days"),
        action=retention.Action.DELETE,
        counts_from=_("när koden skickades"),
        apply=apply_phone_codes,
        order=40,
    )
)
