from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from torget.core import images
from torget.organisation.models import (
    Administration,
    Body,
    BodyMembership,
    DiaryNumber,
    Employment,
    Municipality,
    Party,
    Topic,
    Unit,
)


class AuditedAdmin(AuditedModelAdmin, ObjectPermissionsAdmin):
    pass


class MunicipalityAdminForm(forms.ModelForm):
    """The admin adds the Meta (model and fields) from MunicipalityAdmin's fieldsets."""

    def clean_logo(self) -> Any:
        """The logo is served from /media/ to everyone: like every image upload it goes
        through the one image check and is stored as a new PNG or JPEG of its pixels alone, so
        nothing but an image can sit behind its address."""
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        try:
            processed = images.process(
                logo, formats=images.PHOTO_FORMATS | {"GIF"}, lossless=True, max_side=800
            )
        except images.ImageError as error:
            raise ValidationError(str(error), code=error.code) from error
        processed.file.name = "logotyp" + processed.extension
        return processed.file


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    form = MunicipalityAdminForm
    fieldsets = [
        (None, {"fields": ["name", "organisation_number", "logo", "population"]}),
        (_("Kontakt"), {"fields": ["email", "phone", "address", "website"]}),
        (_("Karta"), {"fields": ["map_center_lat", "map_center_lon", "map_zoom"]}),
        (
            _("Medborgarförslag"),
            {
                "fields": [
                    "proposal_support_threshold",
                    "proposal_threshold_per_mille",
                    "proposal_signing_days",
                    "proposal_signing_choices",
                    "proposal_residence_required",
                    "proposal_min_age",
                    "proposal_organisations_allowed",
                    "proposal_repeat_months",
                    "registrar_email",
                ]
            },
        ),
        (_("Synpunkter"), {"fields": ["feedback_sla_days", "feedback_retention_months"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Municipality.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "abbreviation", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["abbreviation", "name"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Administration)
class AdministrationAdmin(AuditedAdmin):
    list_display = ["name", "body", "email"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [UnitInline]


@admin.register(Employment)
class EmploymentAdmin(AuditedAdmin):
    list_display = ["person", "administration", "unit", "title", "is_contact_person"]
    list_filter = ["administration", "is_contact_person"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["areas"]


@admin.register(DiaryNumber)
class DiaryNumberAdmin(ReadOnlyModelAdmin):
    # Numbers are handed out by services.diary_number_next, never typed in.
    list_display = ["__str__", "title", "registered_at"]
    list_filter = ["series__prefix", "series__year"]
    search_fields = ["title"]


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
