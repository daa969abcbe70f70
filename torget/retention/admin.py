"""The plan is edited in the admin by the administrator role: one rule per record kind, saved
through the service (audited); the run log is read-only."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import ReadOnlyModelAdmin
from torget.core import retention
from torget.retention import services
from torget.retention.models import RetentionRule, RetentionRun


class RuleForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("handlingstyp"), choices=())

    class Meta:
        model = RetentionRule
        fields = ["kind", "amount", "unit", "is_active", "decision_reference", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        if isinstance(kind_field, forms.ChoiceField):
            kind_field.choices = [(kind.key, str(kind.name)) for kind in retention.kinds()]
        if self.instance.pk:
            self.fields["kind"].disabled = True


@admin.register(RetentionRule)
class RetentionRuleAdmin(ObjectPermissionsAdmin):
    form = RuleForm
    list_display = ["kind_name", "amount", "unit", "is_active", "decision_reference", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]

    @admin.display(description=_("handlingstyp"))
    def kind_name(self, obj: RetentionRule) -> str:
        kind = retention.get(obj.kind)
        return str(kind.name) if kind else obj.kind

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.rule_set(
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            unit=form.cleaned_data["unit"],
            is_active=form.cleaned_data["is_active"],
            decision_reference=form.cleaned_data["decision_reference"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Switch a kind off instead: the decision and its history stay.
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyModelAdmin):
    list_display = ["started_at", "finished_at", "trigger", "total", "failed"]
    list_filter = ["trigger"]
    fields = ["started_at", "finished_at", "trigger", "dry_run", "total", "counts", "errors"]
    readonly_fields = (
        "started_at",
        "finished_at",
        "trigger",
        "dry_run",
        "total",
        "counts",
        "errors",
    )

    @admin.display(description=_("fel"))
    def failed(self, obj: RetentionRun) -> int:
        return len(obj.errors)

    @admin.display(description=_("antal per handlingstyp"))
    def counts(self, obj: RetentionRun) -> str:
        return format_html_join(
            "\n",
            "<div>{}: {}</div>",
            (
                (key, ", ".join(f"{name} {n}" for name, n in result["counts"].items()))
                for key, result in obj.results.items()
            ),
        )
