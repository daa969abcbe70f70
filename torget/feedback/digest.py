"""The feedback app's daily work, run by the notifications worker's sweep through
`FeedbackConfig.on_tick`:

* the digest (sammanställning) of overdue cases: each working morning, every responsible
  unit gets one e-mail listing its cases that have passed the service level without an
  answer (to the unit's address, else its förvaltning's);
* (the retention rule, gallring, runs with the retention plan: torget/feedback/retention.py).

Each job runs once per period however many workers sweep at once (`sending.job_is_due`).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from torget.core.workdays import is_working_day
from torget.feedback.models import Case, Kind
from torget.feedback.selectors import overdue_q
from torget.notifications import sending
from torget.notifications.services import notify

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7  # local time; the digest goes out on working days from this hour
MAX_LISTED = 100  # cases listed in one e-mail; the rest are counted and one link away
DIGEST_JOB = "feedback-digest"


@dataclass
class _Recipient:
    names: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def overdue_by_recipient(today: datetime.date) -> dict[str, _Recipient]:
    """Overdue cases grouped by the address that hears of them: the unit's e-mail, else its
    förvaltning's. Cases with neither are left out (and logged)."""
    cases = (
        Case.objects.filter(overdue_q(today), merged_into__isnull=True)
        .select_related("category", "unit", "administration")
        .order_by("respond_by", "created_at", "pk")
    )
    recipients: dict[str, _Recipient] = defaultdict(_Recipient)
    unaddressed = 0
    for case in cases:
        address = (case.unit.email if case.unit else "") or case.administration.email
        if not address:
            unaddressed += 1
            continue
        recipient = recipients[address.lower()]
        name = str(case.unit or case.administration)
        if name not in recipient.names:
            recipient.names.append(name)
        recipient.cases.append(case)
    if unaddressed:
        logger.warning("%s overdue cases have no unit or förvaltning e-mail", unaddressed)
    return dict(recipients)


def _case_line(case: Case) -> dict[str, str]:
    return {
        "number": case.number,
        "category": case.category.name,
        "kind": str(Kind(case.kind).label),
        "received": timezone.localtime(case.created_at).date().isoformat(),
        "respond_by": case.respond_by.isoformat(),
        "url": case.staff_url(),
    }


def digest_send(*, today: datetime.date | None = None) -> int:
    """Send one e-mail to each responsible address listing its overdue cases; returns the
    number of e-mails. Nothing is sent when nothing is overdue."""
    today = today or timezone.localdate()
    sent = 0
    for address, recipient in overdue_by_recipient(today).items():
        notify(
            template="feedback.digest",
            context={
                "recipient": ", ".join(recipient.names),
                "count": len(recipient.cases),
                "cases": [_case_line(case) for case in recipient.cases[:MAX_LISTED]],
                "more": max(len(recipient.cases) - MAX_LISTED, 0),
                "inbox_url": reverse("feedback:staff_inbox"),
                "today": today.isoformat(),
            },
            emails=[address],
        )
        sent += 1
    return sent


def next_digest_time(now: datetime.datetime) -> datetime.datetime:
    """DIGEST_HOUR on the next working day after `now`'s local day."""
    day = timezone.localtime(now).date() + datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(
        day, datetime.time(DIGEST_HOUR), tzinfo=timezone.get_current_timezone()
    )


def digest_is_due(now: datetime.datetime | None = None) -> bool:
    """True once per working day, at the first sweep after DIGEST_HOUR; never on weekends
    and holidays. A day the worker was down is not caught up twice: the next run is the
    next working morning whenever this one ran."""
    local = timezone.localtime(now or timezone.now())
    if not is_working_day(local.date()) or local.hour < DIGEST_HOUR:
        return False
    return sending.job_is_due(DIGEST_JOB, next_run=next_digest_time)


def daily_work() -> dict[str, Any]:
    """What `FeedbackConfig.on_tick` runs on every sweep; returns what it did."""
    report: dict[str, Any] = {}
    if digest_is_due():
        report["digests"] = digest_send()
    # The retention rule runs with the retention plan (torget/feedback/retention.py).
    return report
