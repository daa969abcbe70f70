from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from torget.privacy.models import RightsRequest


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    """The handled requests, read-only: they are written by the rights tool alone."""

    list_display = ["reference", "action", "searched_by", "handled_by", "handled_at"]
    list_filter = ["action", "searched_by"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "action", "searched_by", "handled_by", "handled_at", "counts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
