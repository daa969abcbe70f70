"""Writes of the retention plan: the municipality's decision per kind, and the run itself.

A run applies every kind that is switched on with the cut-off its period gives, each kind in
a transaction of its own so one kind's failure neither stops nor undoes the others. What each
kind changed is counted in the run's log, and a real run leaves one audit entry; nothing is
removed that no declared kind covers (DOMAIN: personal data and retention)."""

import datetime
import logging
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import retention
from torget.retention import selectors
from torget.retention.models import PeriodUnit, RetentionRule, RetentionRun, RunTrigger

logger = logging.getLogger(__name__)


class UnknownKindError(ValueError):
    """A kind no installed app declares."""


def next_run_time(now: datetime.datetime) -> datetime.datetime:
    """RETENTION_RUN_HOUR (local time), today or tomorrow."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=settings.RETENTION_RUN_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate


@transaction.atomic
def rule_set(
    *,
    kind: str,
    amount: int,
    unit: str,
    is_active: bool = True,
    decision_reference: str = "",
    note: str = "",
    actor: Actor | None = None,
) -> RetentionRule:
    """Record the municipality's decision for one kind (created on the first decision)."""
    if retention.get(kind) is None:
        raise UnknownKindError(kind)
    rule = RetentionRule.objects.filter(kind=kind).first() or RetentionRule(kind=kind)
    before = {
        "amount": rule.amount,
        "unit": rule.unit,
        "is_active": rule.is_active,
        "decision_reference": rule.decision_reference,
    }
    rule.amount = amount
    rule.unit = PeriodUnit(unit).value
    rule.is_active = is_active
    rule.decision_reference = decision_reference
    rule.note = note
    rule.updated_by = user_or_none(actor)
    rule.full_clean()
    rule.save()
    after = {
        "amount": amount,
        "unit": rule.unit,
        "is_active": is_active,
        "decision_reference": decision_reference,
    }
    audit.record(
        actor=actor, action="retention.rule_set", obj=rule, changes=audit.diff(before, after)
    )
    return rule


PLAN_KEYS = frozenset({"amount", "unit", "is_active", "decision_reference", "note"})


def set_plan_from_config(*, config: dict[str, Any], actor: Actor | None = None) -> int:
    """The plan from a set-up file's `[retention]` table: one table per kind, keyed by the
    kind's key (`[retention."meetings.registrations"]`, with `amount`, `unit` ("days" or
    "months"), and optionally `is_active`, `decision_reference` and `note`). Every kind is
    checked before the first is set; returns how many kinds were set."""
    errors: list[str] = []
    rules: list[dict[str, Any]] = []
    for kind, values in config.items():
        if retention.get(kind) is None:
            errors.append(f"okänd handlingstyp {kind!r}")
            continue
        if not isinstance(values, dict):
            errors.append(f"{kind}: ange en tabell med amount och unit")
            continue
        unknown = sorted(set(values) - PLAN_KEYS)
        if unknown:
            errors.append(f"{kind}: okända nycklar {', '.join(unknown)}")
        amount, unit = values.get("amount"), values.get("unit", PeriodUnit.MONTHS.value)
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= 1200:
            errors.append(f"{kind}: amount ska vara ett heltal från 0 till 1200")
        if unit not in PeriodUnit.values:
            errors.append(f"{kind}: unit ska vara days eller months")
        if not isinstance(values.get("is_active", True), bool):
            errors.append(f"{kind}: is_active ska vara true eller false")
        for text in ("decision_reference", "note"):
            if not isinstance(values.get(text, ""), str):
                errors.append(f"{kind}: {text} ska vara text")
        rules.append({"kind": kind, **values, "unit": unit})
    if errors:
        raise ValidationError(errors)
    for rule in rules:
        rule_set(actor=actor, **rule)
    return len(rules)


def plan_run(
    *,
    trigger: str = RunTrigger.MANUAL,
    dry_run: bool = False,
    kinds: Collection[str] | None = None,
    now: datetime.datetime | None = None,
) -> RetentionRun:
    """Apply the plan (or, with `dry_run`, count what it would change and change nothing,
    the log included). `kinds` limits the run to those keys."""
    entries = selectors.plan()
    if kinds is not None:
        unknown = set(kinds) - {entry.key for entry in entries}
        if unknown:
            raise UnknownKindError(", ".join(sorted(unknown)))
        entries = [entry for entry in entries if entry.key in kinds]
    now = now or timezone.now()
    run = RetentionRun(started_at=timezone.now(), trigger=trigger, dry_run=dry_run)
    results: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for entry in entries:
        apply = entry.kind.apply
        if apply is None or not entry.is_active:
            continue
        cutoff = entry.period.cutoff(now)
        try:
            with transaction.atomic():
                counts = apply(cutoff=cutoff, dry_run=dry_run)
        except Exception as error:  # one kind's failure must not stop the others
            logger.exception("Retention of %s failed", entry.key)
            errors[entry.key] = f"{type(error).__name__}: {error}"[:500]
            continue
        results[entry.key] = {"cutoff": cutoff.isoformat(), "counts": counts}
    run.results = results
    run.errors = errors
    run.total = sum(sum(result["counts"].values()) for result in results.values())
    run.finished_at = timezone.now()
    if not dry_run:
        with transaction.atomic():
            run.save()
            audit.record(
                action="retention.run",
                obj=run,
                actor_label="worker" if trigger == RunTrigger.SCHEDULED else "system",
                changes={
                    "total": run.total,
                    "kinds": {key: sum(r["counts"].values()) for key, r in results.items()},
                    "errors": sorted(errors),
                },
            )
    return run
