from django.contrib import admin

from torget.safety.models import CitizensPromise, Commitment, FollowUp, SurveyAnswer, SurveyResult


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "source_name", "imported_at"]
    list_filter = ["year"]
    inlines = [SurveyAnswerInline]


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0


@admin.register(CitizensPromise)
class CitizensPromiseAdmin(admin.ModelAdmin):
    list_display = ["title", "valid_from", "valid_to"]
    inlines = [CommitmentInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["commitment", "year", "tertial", "party", "status"]
    list_filter = ["party", "status", "year"]
