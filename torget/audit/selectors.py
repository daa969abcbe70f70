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
