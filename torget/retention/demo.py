"""The demo's retention plan: the defaults, one kind with the municipality's decision, and one
logged run so the run log shows something. The run is a trial run (nothing is changed), so the
demo's own data stays as the other loaders made it; the worker's nightly run does the rest."""

from torget.core import demo
from torget.core.demo import DemoContext
from torget.retention import services
from torget.retention.models import PeriodUnit, RetentionRule, RetentionRun

DECISION = "KS 2026/118, beslut om gallring 2026-03-10"


@demo.register("retention")
def load(context: DemoContext) -> None:
    if not RetentionRule.objects.filter(kind="meetings.registrations").exists():
        services.rule_set(
            kind="meetings.registrations",
            amount=3,
            unit=PeriodUnit.MONTHS,
            decision_reference=DECISION,
            note="Anmälningar behövs för frågor om mötet några månader efteråt.",
        )
        context.changes += 1
    if not RetentionRun.objects.exists():
        run = services.plan_run(dry_run=True)
        run.save()
        context.changes += 1
