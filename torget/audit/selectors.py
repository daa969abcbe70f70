from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from torget.audit.models import AuditEntry


def entries_for_object(obj: models.Model) -> models.QuerySet[AuditEntry]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("actor")


def entries_by_actor(user: Any) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(actor=user).select_related("content_type")
