"""The meetings' record kinds in the retention plan (gallringsplan, torget.core.retention).

A registration's need for support may tell of a disability or illness (health data), so it
goes first, the day after the meeting; the rest of the registration (name, e-mail address)
a few months later, when questions about the meeting have settled. The registration row
stays, anonymous, so the counts per meeting and target group remain. Questions sent in
advance are public records once received: the question is kept, the asker's name and
address are cleared."""

import datetime

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.meetings.models import AgendaQuestion, Registration

# Where anonymised registrations' addresses point: unique per row (one registration per
# address and meeting), never deliverable, and recognisable so a second run skips them.
ANONYMOUS_DOMAIN = "@gallrad.invalid"


def _count_or_update(rows: QuerySet, dry_run: bool, **values: object) -> int:
    return rows.count() if dry_run else rows.update(**values)


def apply_needs(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = Registration.objects.filter(meeting__ends_at__lt=cutoff).exclude(needs="")
    return {"needs": _count_or_update(rows, dry_run, needs="")}


def apply_registrations(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = Registration.objects.filter(meeting__ends_at__lt=cutoff).exclude(
        email__endswith=ANONYMOUS_DOMAIN
    )
    placeholder = Concat(
        Value("gallrad-"), Cast("pk", output_field=CharField()), Value(ANONYMOUS_DOMAIN)
    )
    return {"registrations": _count_or_update(rows, dry_run, name="", email=placeholder, needs="")}


def apply_questions(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = AgendaQuestion.objects.filter(meeting__ends_at__lt=cutoff).filter(
        ~Q(name="") | ~Q(email="")
    )
    return {"questions": _count_or_update(rows, dry_run, name="", email="")}


retention.register(
    retention.RecordKind(
        key="meetings.registration_needs",
        name=_("Behov av stöd i anmälningar till möten"),
        description=_(
            "Det stöd en deltagare bad om (till exempel tolk eller hörslinga) kan vara en "
            "uppgift om hälsa. Det tas bort först av allt."
        ),
        default=retention.Period(1, "days"),
        action=retention.Action.CLEAR,
        counts_from=_("när mötet har slutat"),
        apply=apply_needs,
        order=10,
    )
)
retention.register(
    retention.RecordKind(
        key="meetings.registrations",
        name=_("Anmälningar till möten"),
        description=_(
            "Namn och e-postadress i anmälningar tas bort. Antalet anmälda per möte och "
            "målgrupp finns kvar."
        ),
        default=retention.Period(3, "months"),
        action=retention.Action.ANONYMISE,
        counts_from=_("när mötet har slutat"),
        apply=apply_registrations,
        order=20,
    )
)
retention.register(
    retention.RecordKind(
        key="meetings.questions",
        name=_("Frågor inskickade inför möten"),
        description=_(
            "Frågan är en allmän handling och finns kvar. Frågeställarens namn och "
            "e-postadress tas bort."
        ),
        default=retention.Period(3, "months"),
        action=retention.Action.CLEAR,
        counts_from=_("när mötet har slutat"),
        apply=apply_questions,
        public_records=True,
        order=30,
    )
)
