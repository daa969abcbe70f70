"""The feedback's record kind in the retention plan (gallringsplan, torget.core.retention).

Cases are public records (allmänna handlingar) and are kept; once a case has been closed
for the period, the requester's name and contact details, the free texts and the photos are
removed (services.cases_anonymize_expired). The default period is the municipality's own
setting for feedback (feedback_retention_months)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.feedback import services
from torget.organisation.selectors import municipality_get


def apply_cases(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    now = timezone.now()
    if dry_run:
        return {"cases": services.cases_expired(now, cutoff=cutoff).count()}
    return {"cases": services.cases_anonymize_expired(now=now, cutoff=cutoff)}


def _default() -> retention.Period:
    return retention.Period(municipality_get().feedback_retention_months, "months")


retention.register(
    retention.RecordKind(
        key="feedback.requesters",
        name=_("Kontaktuppgifter i synpunkter och felanmälningar"),
        description=_(
            "Ärendet är en allmän handling och finns kvar med kategori, plats för "
            "felanmälningar, datum och status. Namn, kontaktuppgifter, fritext och foton tas "
            "bort."
        ),
        default=_default,
        action=retention.Action.CLEAR,
        counts_from=_("när ärendet avslutades"),
        apply=apply_cases,
        public_records=True,
        order=50,
    )
)
