"""Synpunkter och felanmälan in the Django admin: the municipality configures categories (with
routes by area and extra questions), statuses and Open311 integrations here. Cases are only
read here: every change of a case goes through the services (/personal/arenden/), which keep
the history, the audit log and the citizen informed."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from torget.feedback import replies, services
from torget.feedback.models import (
    ApiClient,
    Case,
    CaseStatus,
    CaseUpdate,
    Category,
    CategoryAttribute,
    CategoryRoute,
    ReplyTemplate,
)
from torget.feedback.open311.keys import api_client_create, api_client_rotate


class AuditedAdmin(AuditedModelAdmin, ObjectPermissionsAdmin):
    pass


class CategoryRouteInline(admin.TabularInline):
    model = CategoryRoute
    extra = 0
    autocomplete_fields = ["area"]


class CategoryAttributeInline(admin.StackedInline):
    model = CategoryAttribute
    extra = 0
    fields = [
        ("code", "order"),
        "description",
        ("datatype", "required", "variable"),
        "datatype_description",
        "values",
    ]


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "code", "use", "group", "administration", "unit", "is_active"]
    list_filter = ["use", "is_active", "administration"]
    search_fields = ["name", "code", "keywords"]
    inlines = [CategoryRouteInline, CategoryAttributeInline]

    # The code is the Open311 service_code and what code refers to (e.g. "annat"): given
    # once, prefilled from the name, then read only, so a renamed category keeps its rules.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "code"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"code": ("name",)} if obj is None else {}


@admin.register(CaseStatus)
class CaseStatusAdmin(AuditedAdmin):
    list_display = ["name", "slug", "group", "is_initial", "order"]
    list_editable = ["order"]

    # Code refers to a status by its slug ("avslutat"): given once, then read only.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "slug"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"slug": ("name",)} if obj is None else {}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A status cases have had stays: the history refers to it.
        if obj is not None and (obj.cases.exists() or obj.is_initial):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdmin):
    """Open311 integrations. The key is made by keys.api_client_create, shown once in a
    message, and stored only as a hash; "Ny nyckel" replaces it."""

    list_display = ["name", "contact_email", "key_hint", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email"]
    fields = ["name", "contact_email", "is_active", "key_hint", "created_at", "last_used_at"]
    readonly_fields = ["key_hint", "created_at", "last_used_at"]
    actions = ["rotate_key"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Cases keep pointing at the integration they came from: deactivate instead.
        return False

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = api_client_create(
            name=obj.name, contact_email=obj.contact_email, actor=request.user
        )
        if not obj.is_active:
            ApiClient.objects.filter(pk=client.pk).update(is_active=False)
        # The admin goes on with `obj` (its messages, its redirect): make it the saved one.
        obj.pk, obj.key_hash, obj.key_hint, obj.created_at = (
            client.pk,
            client.key_hash,
            client.key_hint,
            client.created_at,
        )
        self._show_key(request, client, key)

    def _show_key(self, request: HttpRequest, client: ApiClient, key: str) -> None:
        messages.success(
            request,
            gettext(
                "Nyckeln för %(name)s är %(key)s – kopiera den nu och lämna den till "
                "integrationen. Den visas inte igen."
            )
            % {"name": client.name, "key": key},
        )

    @admin.action(description=_("Ny nyckel"), permissions=["change"])
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            key = api_client_rotate(client=client, actor=request.user)
            self._show_key(request, client, key)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(AuditedAdmin):
    """Svarsmallar: answers per category and kind with placeholders (replies.py). A template
    that has been used in a reply can't be deleted here or anywhere (the reply refers to it):
    it is deactivated instead."""

    list_display = ["name", "category", "kind", "is_active", "uses_count", "order"]
    list_filter = ["is_active", "kind", "category"]
    search_fields = ["name", "text"]
    fields = ["name", ("category", "kind"), "text", "is_active", "order"]
    actions = ["deactivate", "activate"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReplyTemplate]:
        return (
            super()
            .get_queryset(request)
            .select_related("category")
            .annotate(uses_total=Count("uses"))
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["text"].help_text = gettext(
            "Platshållare som fylls i för varje ärende: %(names)s. Andra namn inom klamrar "
            "godtas inte."
        ) % {"names": replies.placeholders_help()}
        return form

    def save_model(self, request: HttpRequest, obj: ReplyTemplate, form: Any, change: bool) -> None:
        services.reply_template_save(template=obj, actor=request.user)

    @admin.display(description=_("använd i svar"), ordering="uses_total")
    def uses_count(self, obj: ReplyTemplate) -> int:
        return int(getattr(obj, "uses_total", 0))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_used:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: ReplyTemplate) -> None:
        services.reply_template_delete(template=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ReplyTemplate]) -> None:
        for template in queryset:
            try:
                services.reply_template_delete(template=template, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    def _set_active(
        self, request: HttpRequest, queryset: QuerySet[ReplyTemplate], is_active: bool
    ) -> None:
        for template in queryset:
            services.reply_template_set_active(
                template=template, actor=request.user, is_active=is_active
            )

    @admin.action(description=_("Inaktivera valda svarsmallar"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[ReplyTemplate]) -> None:
        self._set_active(request, queryset, False)
        messages.success(request, gettext("Svarsmallarna är inaktiverade."))

    @admin.action(description=_("Aktivera valda svarsmallar"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[ReplyTemplate]) -> None:
        self._set_active(request, queryset, True)
        messages.success(request, gettext("Svarsmallarna är aktiva igen."))


class CaseUpdateInline(admin.TabularInline):
    model = CaseUpdate
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "status", "channel", "author", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyModelAdmin):
    """Read-only: status, assignment, replies and visibility change only through the
    services, from the contact centre's pages."""

    list_display = [
        "number",
        "kind",
        "category",
        "status",
        "administration",
        "source",
        "created_at",
        "respond_by",
    ]
    list_filter = ["kind", "is_open", "status", "source", "category", "administration"]
    search_fields = ["number"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "status", "administration"]
    inlines = [CaseUpdateInline]
    fields = [
        "number",
        "kind",
        "category",
        "status",
        "description",
        "public_description",
        "is_public",
        ("lat", "lon"),
        "address",
        "area",
        "attributes",
        "administration",
        "unit",
        "assignee",
        "reporter",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "reply_channel",
        "source",
        "api_client",
        "media_url",
        "merged_into",
        "created_at",
        "respond_by",
        "first_response_at",
        "closed_at",
        "anonymized_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return super().get_queryset(request).select_related("category", "status", "administration")
