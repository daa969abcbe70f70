"""Forms of the safety part. They only parse input; the rules live in services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.safety.models import CitizensPromise, FollowUpStatus, Party

# The largest survey file taken (a survey of every area for many years is far smaller).
MAX_FILE_BYTES = 5 * 1024 * 1024


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med resultat (CSV eller XLSX)"),
        help_text=_("Kolumnerna område, år, fråga, svarsalternativ och andel; se nedan."),
    )
    replace = forms.BooleanField(
        label=_("Ersätt resultat som redan finns för samma område och år"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är större än 5 MB."))
        return upload


class PromiseForm(forms.ModelForm):
    valid_from = inputs.DateField(
        label=_("Gäller från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = inputs.DateField(
        label=_("Gäller till"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = CitizensPromise
        fields = ["title", "summary", "valid_from", "valid_to"]
        labels = {"title": _("Rubrik"), "summary": _("Inledning")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class CommitmentForm(forms.Form):
    # Both forms are on the promise's staff page: prefixes keep their ids apart.
    prefix = "atagande"
    text = forms.CharField(
        label=_("Nytt åtagande"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    prefix = "uppfoljning"
    commitment = forms.TypedChoiceField(label=_("Åtagande"), coerce=int)
    tertial = forms.ChoiceField(label=_("Tertial"))
    party = forms.ChoiceField(label=_("Part"), choices=Party.choices)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    text = forms.CharField(
        label=_("Vad har gjorts?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, promise: CitizensPromise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{c.position}. {c.text[:80]}") for c in promise.commitments.all()
        ]
        self.fields["tertial"].choices = [  # type: ignore[attr-defined]
            (f"{t.year}-{t.number}", t.label) for t in promise.tertials()
        ]

    def tertial_value(self) -> tuple[int, int]:
        year, number = self.cleaned_data["tertial"].split("-")
        return int(year), int(number)
