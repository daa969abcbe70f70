from typing import Any

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.http import HttpRequest

from torget.accounts.permissions import has_perm


class ObjectPermissionsAdmin(admin.ModelAdmin):
    """Admin that asks the role (group) permission first and the object rule second, so an
    administrator edits every body while a presidium member edits only their own."""

    def _allowed(self, request: HttpRequest, action: str, obj: Any) -> bool:
        perm = f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"
        return has_perm(request.user, perm, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "view", obj) or self._allowed(request, "change", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, "delete", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, "add", None)
