from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.privacy import selectors
from torget.privacy.models import SearchedBy


class SearchForm(forms.Form):
    searched_by = forms.ChoiceField(
        label=_("Sök på"), choices=SearchedBy.choices, widget=forms.RadioSelect
    )
    value = forms.CharField(
        label=_("E-postadress, mobilnummer eller personnummer"),
        max_length=254,
        help_text=_(
            "Ett personnummer sparas aldrig och skrivs aldrig i loggen: vi söker på dess "
            "kontrollsumma, som identitetskontrollerna gör."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "searched_by" in cleaned and "value" in cleaned:
            try:
                cleaned["subject"] = selectors.subject_for(
                    searched_by=cleaned["searched_by"], value=cleaned["value"]
                )
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned


class ExportForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=[("json", "JSON"), ("pdf", "PDF")])


class EraseForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
