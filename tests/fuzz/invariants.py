"""What must hold for everything a request stored, whatever was sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.signals import post_save

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Stored by the framework, not from what the visitor typed as such; a failed log-in is recorded
# by django-axes (the lock-out counts it), which is what a refused log-in must leave behind.
IGNORED_APPS = {"sessions", "contenttypes", "auth", "admin", "django_tasks_database", "axes"}
# The audit log and the outbox copy what services wrote; their rows are checked at the source.
IGNORED_MODELS = {"audit.auditentry", "notifications.notification", "notifications.delivery"}


class Saved:
    def __init__(self) -> None:
        self.instances: list[models.Model] = []

    def __call__(self, sender: type[models.Model], instance: models.Model, **kwargs: object):
        meta = sender._meta
        if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
            return
        self.instances.append(instance)

    def stored(self) -> list[models.Model]:
        """The rows as the database holds them now: a save that a rolled-back transaction
        undid (a service that refused after writing, inside its atomic block) is not kept."""
        rows = []
        for instance in self.instances:
            row = type(instance)._base_manager.filter(pk=instance.pk).first()
            if row is not None:
                rows.append(row)
        return rows


@contextmanager
def saved_instances() -> Iterator[Saved]:
    saved = Saved()
    post_save.connect(saved, weak=False, dispatch_uid="fuzz-saved")
    try:
        yield saved
    finally:
        post_save.disconnect(dispatch_uid="fuzz-saved")


def problems(instance: models.Model) -> list[str]:
    """Every field value that no form should have let through."""
    found = []
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        where = f"{instance._meta.label}.{field.name}"
        if CONTROL.search(value):
            found.append(f"{where} holds a control character: {value[:40]!r}")
        if field.max_length and len(value) > field.max_length:
            found.append(f"{where} is {len(value)} long, more than {field.max_length}")
        if isinstance(field, models.EmailField):
            try:
                validate_email(value)
            except ValidationError:
                found.append(f"{where} is no e-mail address: {value[:40]!r}")
    return found
