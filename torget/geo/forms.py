from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.geo.population_file import MAX_FILE_BYTES


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med befolkningsstatistik (CSV)"),
        help_text=_(
            "Kolumnerna område, åldersgrupp och antal, och om du vill målgrupp; se formatet nedan."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är större än 2 MB."))
        return upload
