"""The survey template is edited here too (besides /personal/utvardering/mall/); internal
evaluations are read here and written on the dialogue's staff page."""

from django.contrib import admin

from torget.accounts.admin_mixins import ObjectPermissionsAdmin
from torget.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from torget.evaluation.models import InternalEvaluation, SurveyTemplate, TemplateQuestion


class TemplateQuestionInline(admin.TabularInline):
    model = TemplateQuestion
    extra = 1
    fields = ["order", "text", "kind", "required"]


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(AuditedModelAdmin, ObjectPermissionsAdmin):
    list_display = ["name", "updated_at"]
    fields = ["name", "intro"]
    inlines = [TemplateQuestionInline]


@admin.register(InternalEvaluation)
class InternalEvaluationAdmin(ReadOnlyModelAdmin):
    list_display = ["dialogue", "goals_met", "publish_summary", "updated_at"]
    list_filter = ["goals_met", "publish_summary"]
