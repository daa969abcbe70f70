from django.contrib import admin

from torget.inspections.models import Inspection, InspectionGroup


class InspectionGroupInline(admin.TabularInline):
    model = InspectionGroup
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["council", "date", "season", "status"]
    list_filter = ["year", "season", "status"]
    inlines = [InspectionGroupInline]
    readonly_fields = ["year", "season"]
