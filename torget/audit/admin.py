from django.contrib import admin

from torget.audit.admin_mixins import ReadOnlyModelAdmin
from torget.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "action", "object_repr", "actor", "actor_label"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_repr", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
