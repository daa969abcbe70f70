"""Dialogues in the Django admin: the method catalogue and the target-group checklist are
edited here; the dialogues themselves are read here and worked on the staff pages
(/personal/dialoger/), which go through the workflow. Status is never editable."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import AuditedModelAdmin
from torget.dialogues.models import Dialogue, Event, Method, TargetGroup


class AuditedAdmin(AuditedModelAdmin, ObjectPermissionsAdmin):
    pass


class StableCodeAdmin(AuditedAdmin):
    """The code is given once, when the entry is made (prefilled from the name), and is read
    only after that: code and data refer to it, so the name can change freely."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "code"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"code": ("name",)} if obj is None else {}


@admin.register(Method)
class MethodAdmin(StableCodeAdmin):
    list_display = [
        "name",
        "ladder_step",
        "is_information",
        "is_meeting",
        "min_participants",
        "max_participants",
        "decision",
        "is_active",
        "order",
    ]
    list_filter = ["ladder_step", "is_information", "is_meeting", "decision", "is_active"]
    search_fields = ["name", "code", "description"]
    fields = [
        "name",
        "code",
        "ladder_step",
        "description",
        "is_information",
        "is_meeting",
        ("min_participants", "max_participants"),
        "decision",
        "is_active",
        "order",
    ]


@admin.register(TargetGroup)
class TargetGroupAdmin(StableCodeAdmin):
    list_display = ["name", "seldom_heard", "is_active", "order"]
    list_filter = ["seldom_heard", "is_active"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "description", "seldom_heard", "is_active", "order"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["happened_on", "occurred_at", "step", "status", "text", "actor", "is_public"]
    readonly_fields = ["happened_on", "occurred_at", "step", "status", "text", "actor", "is_public"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dialogue)
class DialogueAdmin(AuditedAdmin):
    list_display = ["title", "status", "kind", "initiative_kind", "deciding_body", "starts_on"]
    list_filter = ["status", "kind", "initiative_kind", "ladder_step", "special_weight"]
    search_fields = ["title", "decision_reference"]
    inlines = [EventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Dialogue._meta.concrete_fields] + ["areas", "topics"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # initiatives come from the staff pages or the citizens' form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # public records
