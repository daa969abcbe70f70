"""The retention plan's nightly run, a task of its own so that the worker's periodic sweep
(which only queues it, RetentionConfig.on_tick) stays short however much there is to do."""

from typing import Any

try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2 with the django-tasks backport
    from django_tasks import task

from torget.retention import services
from torget.retention.models import RunTrigger


@task()
def run_plan() -> dict[str, Any]:
    run = services.plan_run(trigger=RunTrigger.SCHEDULED)
    return {"run": run.pk, "total": run.total, "errors": len(run.errors)}
