"""The surveys' record kinds in the retention plan (gallringsplan, torget.core.retention).

Answers are anonymous and are not touched. What can point to a person is removed once the
survey has closed: the "has answered" marks of surveys with one answer per person (a keyed
hash of the person), and the mobile numbers of SMS surveys (the worker already erases those
when the survey closes; the plan's run catches any left behind)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.surveys import sms
from torget.surveys.models import Participation, SmsConversation, Status


def _closed_before(cutoff: datetime.datetime, prefix: str = "") -> Q:
    """Surveys closed before `cutoff`: by their closing time, or (closed by hand without
    one) by when they were last changed."""
    return Q(**{f"{prefix}closes_at__lt": cutoff}) | Q(
        **{
            f"{prefix}closes_at__isnull": True,
            f"{prefix}status": Status.CLOSED,
            f"{prefix}updated_at__lt": cutoff,
        }
    )


def apply_participations(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = Participation.objects.filter(_closed_before(cutoff, "survey__"))
    return {"participations": rows.count() if dry_run else rows.delete()[0]}


def apply_sms_numbers(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = SmsConversation.objects.filter(_closed_before(cutoff, "survey__")).filter(
        ~Q(phone="") | Q(response__isnull=False)
    )
    if dry_run:
        return {"numbers": rows.count()}
    surveys = {conversation.survey for conversation in rows.select_related("survey")}
    return {"numbers": sum(sms.conversations_erase(survey=survey) for survey in surveys)}


retention.register(
    retention.RecordKind(
        key="surveys.participations",
        name=_("Markeringar av vem som har svarat på en enkät"),
        description=_(
            "Enkäter med ett svar per person sparar en krypterad markering av vem som har "
            "svarat. Svaren är anonyma och finns kvar."
        ),
        default=retention.Period(1, "months"),
        action=retention.Action.DELETE,
        counts_from=_("när enkäten stängde"),
        apply=apply_participations,
        order=45,
    )
)
retention.register(
    retention.RecordKind(
        key="surveys.sms_numbers",
        name=_("Mobilnummer i sms-enkäter"),
        description=_(
            "Numret behövs bara medan enkäten pågår. Antalet skickade och mottagna sms finns kvar."
        ),
        default=retention.Period(0, "days"),
        action=retention.Action.CLEAR,
        counts_from=_("när enkäten stängde"),
        apply=apply_sms_numbers,
        order=15,
    )
)
