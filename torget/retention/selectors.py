"""Reads of the retention plan: the declared kinds with the municipality's decisions."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from torget.core import retention
from torget.retention.models import RetentionRule, RetentionRun


@dataclass(frozen=True)
class PlanEntry:
    """One row of the plan: a declared kind and what applies to it now."""

    kind: retention.RecordKind
    period: retention.Period
    is_active: bool
    decision_reference: str
    note: str
    # True while the municipality has not decided anything for this kind.
    is_default: bool

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def action_label(self) -> Any:
        return retention.Action(self.kind.action).label


def plan() -> list[PlanEntry]:
    """Every declared kind, in the plan's order, with the municipality's rule or the default."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    entries: list[PlanEntry] = []
    for kind in retention.kinds():
        rule = rules.get(kind.key)
        if rule is None:
            entries.append(
                PlanEntry(
                    kind=kind,
                    period=kind.default_period(),
                    is_active=True,
                    decision_reference="",
                    note="",
                    is_default=True,
                )
            )
        else:
            entries.append(
                PlanEntry(
                    kind=kind,
                    period=retention.Period(rule.amount, rule.unit),  # type: ignore[arg-type]
                    is_active=rule.is_active,
                    decision_reference=rule.decision_reference,
                    note=rule.note,
                    is_default=False,
                )
            )
    return entries


def runs_recent(limit: int = 30) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()[:limit]


def run_last() -> RetentionRun | None:
    return RetentionRun.objects.filter(dry_run=False, finished_at__isnull=False).first()
