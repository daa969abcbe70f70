"""Shared set-up of the retention tests: run one kind of the plan at a given moment."""

import datetime

from django.utils import timezone

from torget.retention import services

DAY = datetime.timedelta(days=1)


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def run(*kinds: str, dry_run: bool = False):
    return services.plan_run(kinds=list(kinds), dry_run=dry_run)


def counts(run_, kind: str) -> dict[str, int]:
    return run_.results[kind]["counts"]
