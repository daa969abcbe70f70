"""Read-mostly admin for the meetings part; the staff pages under /personal/moten/ are where
meetings are planned, because the rules and audit entries live in the services."""

from django.contrib import admin

from torget.meetings.models import (
    AgendaItem,
    AgendaQuestion,
    Attachment,
    Documentation,
    Meeting,
    Photo,
    Registration,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    readonly_fields = ["order", "title", "minutes", "citizens_time"]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "dialogue", "body", "starts_at", "status"]
    list_filter = ["status", "method"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in Meeting._meta.fields]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["meeting", "name", "email", "target_group", "needs", "status", "created_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(AgendaQuestion)
class AgendaQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["meeting", "text", "name", "email", "status", "moderated_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Documentation)
class DocumentationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "approved_at", "feedback_sent_at"]
    readonly_fields = ["approved_at", "approved_by", "feedback_sent_at", "feedback_sent_by"]


admin.site.register(Attachment)
admin.site.register(Photo)
