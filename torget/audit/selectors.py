from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from torget.audit.models import AuditEntry


def entries_for_object(obj: models.Model) -> models.QuerySet[AuditEntry]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("actor")


def entries_by_actor(user_id: int) -> models.QuerySet[AuditEntry]:
    """What the person with this id did (audit sits below accounts, so it takes the id)."""
    return AuditEntry.objects.filter(actor_id=user_id).select_related("content_type")


def audit_log_rows(obj: models.Model, labels: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The object's audit log, oldest first, as the rows `ui/audit_log.html` shows: each entry
    with what its action code means on this page (`labels`; the code itself where it has
    none)."""
    return [
        {"entry": entry, "label": labels.get(entry.action, entry.action)}
        for entry in entries_for_object(obj).order_by("at", "pk")
    ]
