from django.contrib import admin

from torget.councils.models import Council, CouncilMeeting, CouncilMember, UtskottParticipation


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["name", "organisation", "role", "represents", "term_from", "term_to"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "utskott", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    # The kind, the area and its utskott, and closing go through the services (/personal/rad/).
    readonly_fields = ["kind", "area", "utskott", "status", "closed_on", "closed_reason"]
    inlines = [MemberInline]

    def has_add_permission(self, request: object) -> bool:
        # A council gets its own body and its utskott from the service (/personal/rad/).
        return False


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["meeting", "council", "secretary", "minutes_sent_at"]
    readonly_fields = ["council", "meeting", "invited_at", "minutes_sent_at"]


@admin.register(UtskottParticipation)
class UtskottParticipationAdmin(admin.ModelAdmin):
    list_display = ["council", "person", "decided_on", "compensation"]
    readonly_fields = ["recorded_by"]
