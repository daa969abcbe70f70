"""Proposals in the Django admin: readable, with text corrections, but the status and every
step only through the staff pages (/personal/forslag/), which go through the workflow."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import AuditedModelAdmin
from torget.proposals.forms import checked_image
from torget.proposals.models import Event, Proposal


class ProposalAdminForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "body", "image", "image_alt"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if not isinstance(image, UploadedFile):
            return image  # the stored image kept, or cleared
        # A new image goes through the same check as the citizens' (pixel limit, metadata).
        processed = checked_image(image)
        processed.file.name = f"bild{processed.extension}"
        return processed.file


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["occurred_on", "kind", "reference", "body", "text", "is_public"]
    readonly_fields = ["occurred_on", "kind", "reference", "body", "text", "is_public"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(AuditedModelAdmin, ObjectPermissionsAdmin):
    list_display = ["title", "status", "topic", "area", "published_at", "support_count"]
    list_filter = ["status", "origin", "topic"]
    search_fields = ["title", "diary_number"]
    inlines = [EventInline]
    form = ProposalAdminForm
    # Editable: spelling fixes and the image text. Everything that is a step is read-only.
    FIELDS = [
        "title",
        "body",
        "image",
        "image_alt",
        "topic",
        "area",
        "status",
        "origin",
        "author_name",
        "organisation_name",
        "published_at",
        "signing_ends_on",
        "threshold",
        "threshold_reached_at",
        "diary_number",
        "support_count",
        "preparing_body",
        "preparation_due",
        "decided_on",
        "outcome",
        "answer",
        "hidden_at",
        "hidden_reason",
    ]
    fields = tuple(FIELDS)
    readonly_fields = [f for f in FIELDS if f not in {"title", "body", "image", "image_alt"}]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # proposals come from citizens or the staff pages

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # public records: hidden with a reason, never deleted
