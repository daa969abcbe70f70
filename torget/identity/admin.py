from django.contrib import admin

from torget.audit.admin_mixins import ReadOnlyModelAdmin
from torget.identity.models import ResidentImport, Verification


@admin.register(ResidentImport)
class ResidentImportAdmin(ReadOnlyModelAdmin):
    list_display = ["imported_at", "row_count", "is_current", "imported_by"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyModelAdmin):
    # The person appears only as a keyed hash; the number itself is never stored.
    list_display = ["verified_at", "method", "residence", "registered_by"]
    list_filter = ["method", "residence"]
    exclude = ["person_key", "birth_date"]
