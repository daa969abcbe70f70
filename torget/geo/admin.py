from django import forms
from django.contrib import admin

from torget.audit.admin_mixins import AuditedModelAdmin
from torget.geo.models import Area


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "slug", "kind", "parent", "description", "geometry"]
        widgets = {"geometry": forms.Textarea(attrs={"rows": 12, "spellcheck": "false"})}


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    form = AreaForm
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
