"""The open data's background work: the nightly rebuild of the exports, a task of its own so
that the worker's periodic sweep (which only queues it) stays short however large the data."""

from typing import Any

try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2 with the django-tasks backport
    from django_tasks import task

from torget.opendata import exports


@task()
def build_exports() -> dict[str, Any]:
    built = exports.build_all()
    return {"datasets": len(built["datasets"])}
