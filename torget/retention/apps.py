from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RUN_JOB = "retention-run"


class RetentionConfig(AppConfig):
    """Gallringsplan: the municipality's retention plan per record kind, applied every night.

    The kinds are declared by the apps that hold the records (`torget/<app>/retention.py`,
    torget.core.retention); this app keeps the municipality's periods, runs the plan and
    logs every run."""

    name = "torget.retention"
    label = "retention"
    verbose_name = _("Gallring")

    def ready(self) -> None:
        from torget.core import retention

        retention.discover()

    def on_tick(self) -> dict[str, Any]:
        """The worker's sweep: the plan runs once a night, at RETENTION_RUN_HOUR, as a task of
        its own so the sweep stays short."""
        from torget.notifications import sending
        from torget.retention import services, tasks

        if not sending.job_is_due(RUN_JOB, next_run=services.next_run_time):
            return {}
        tasks.run_plan.enqueue()
        return {"queued": True}
