"""The proposals' record kind in the retention plan (gallringsplan, torget.core.retention).

Who supported a proposal is needed while support is collected and until the proposal has
been decided (or its collection has ended without enough support): then the count is what
matters. The support rows stay, so every count stays the same, but they no longer say who:
the person's key, the account and the identity check are removed."""

import datetime

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.identity import services as identity
from torget.proposals.models import Status, Support

# The key an anonymised support gets: unique per row (one active support per person and
# proposal), no person's, and recognisable so a second run skips it.
ANONYMOUS_PREFIX = "gallrad-"


def _supports_due(cutoff: datetime.datetime) -> "Q":
    day = timezone.localdate(cutoff)
    return Q(proposal__status=Status.DECIDED, proposal__decided_on__lt=day) | Q(
        proposal__status=Status.UNSUPPORTED, proposal__signing_ends_on__lt=day
    )


def apply_supports(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = Support.objects.filter(_supports_due(cutoff)).exclude(
        person_key__startswith=ANONYMOUS_PREFIX
    )
    verification_ids = set(
        rows.exclude(verification=None).values_list("verification_id", flat=True)
    )
    # An identity check still relied on by a support that is kept (another proposal's,
    # still collecting) stays.
    still_used = set(
        Support.objects.filter(verification_id__in=verification_ids)
        .exclude(pk__in=rows.values("pk"))
        .exclude(person_key__startswith=ANONYMOUS_PREFIX)
        .values_list("verification_id", flat=True)
    )
    removable = verification_ids - still_used
    if dry_run:
        return {"supports": rows.count(), "verifications": len(removable)}
    anonymised = rows.update(
        person_key=Concat(Value(ANONYMOUS_PREFIX), Cast("pk", output_field=CharField())),
        user=None,
        verification=None,
    )
    removed = identity.verifications_remove(ids=removable, verified_before=timezone.now())
    return {"supports": anonymised, "verifications": removed}


retention.register(
    retention.RecordKind(
        key="proposals.supports",
        name=_("Stöd för medborgarförslag och identitetskontroller"),
        description=_(
            "Antalet stöd finns kvar. Uppgiften om vem som stödde förslaget och hur "
            "identiteten kontrollerades tas bort."
        ),
        default=retention.Period(3, "months"),
        action=retention.Action.ANONYMISE,
        counts_from=_(
            "när förslaget beslutades, eller när insamlingen slutade utan tillräckligt stöd"
        ),
        apply=apply_supports,
        order=70,
    )
)
