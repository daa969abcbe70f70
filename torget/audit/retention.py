"""The audit log's record kind in the retention plan (gallringsplan, torget.core.retention).

The audit log says who did what and when, including every change of a case's or a
proposal's state, which the municipality may need to show for years; so the default period
is long. Entries older than the plan's period are removed, and the run that removes them
leaves an entry of its own."""

import datetime

from django.utils.translation import gettext_lazy as _

from torget.audit import services
from torget.core import retention


def apply_entries(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    return {"entries": services.entries_prune(before=cutoff, dry_run=dry_run)}


retention.register(
    retention.RecordKind(
        key="audit.entries",
        name=_("Granskningslogg"),
        description=_(
            "Vem som gjorde vad och när, även ändringar av ärendens och förslags status. "
            "Loggen sparas länge eftersom den kan behövas för att visa hur ett ärende "
            "hanterades."
        ),
        default=retention.Period(120, "months"),
        action=retention.Action.DELETE,
        counts_from=_("när händelsen loggades"),
        apply=apply_entries,
        order=90,
    )
)
