"""Forms of consultations: the citizen's choice (radio buttons, or one select per place when
ranking; both work without JavaScript) and the staff forms. The rules live in services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.consultations import selectors
from torget.consultations.models import AGE_BANDS, Consultation, Eligibility, Mode
from torget.core import inputs
from torget.dialogues.models import PlannedMethod
from torget.dialogues.staff_forms import DateInput, DateTimeInput
from torget.geo.models import Area
from torget.organisation.models import Body

TEXT_MAX = 5000


class ChoiceForm(forms.Form):
    """One person's choice. In rank mode one select per alternative gives its place."""

    comment = forms.CharField(
        label=_("Kommentar (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visas utan namn tillsammans med resultatet när samrådet är stängt."),
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.alternatives = list(consultation.alternatives.all())
        places: list[tuple[str, Any]] = [
            (str(n), str(n)) for n in range(1, len(self.alternatives) + 1)
        ]
        fields: dict[str, forms.Field] = {}
        if consultation.mode == Mode.RANK:
            for alternative in self.alternatives:
                fields[f"place_{alternative.pk}"] = forms.TypedChoiceField(
                    label=_("Plats för %(title)s") % {"title": alternative.title},
                    choices=[("", _("Välj plats"))] + places,
                    coerce=int,
                )
        else:
            fields["alternative"] = forms.TypedChoiceField(
                label=consultation.question,
                choices=[(str(a.pk), a.title) for a in self.alternatives],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj ett av alternativen.")},
            )
        if consultation.ask_age_band:
            fields["age_band"] = forms.ChoiceField(
                label=_("Din ålder (frivilligt)"),
                required=False,
                choices=[("", _("Vill inte svara"))] + list(AGE_BANDS),
            )
        if consultation.ask_area:
            fields["area"] = forms.ModelChoiceField(
                label=_("Område där du bor (frivilligt)"),
                required=False,
                queryset=selectors.area_choices(consultation),
                empty_label=_("Vill inte svara"),
            )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.consultation.mode == Mode.RANK:
            given: dict[int, int] = {
                a.pk: int(data[f"place_{a.pk}"])
                for a in self.alternatives
                if data.get(f"place_{a.pk}") is not None
            }
            if len(given) == len(self.alternatives) and len(set(given.values())) != len(given):
                raise forms.ValidationError(_("Ge varje alternativ en egen plats."))
            data["ranking"] = [pk for pk, _place in sorted(given.items(), key=lambda kv: kv[1])]
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "alternative_id": data.get("alternative"),
            "ranking": data.get("ranking"),
            "comment": data.get("comment", ""),
            "age_band": data.get("age_band", "") or "",
            "area": data.get("area"),
        }


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    question = forms.CharField(
        label=_("Frågan"),
        max_length=300,
        help_text=_("Till exempel ”Vilket förslag till ny lekplats tycker du bäst om?”"),
    )
    description = forms.CharField(
        label=_("Bakgrund (frivilligt)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    mode = forms.ChoiceField(
        label=_("Sätt att välja"), choices=Mode.choices, widget=forms.RadioSelect
    )
    eligibility = forms.ChoiceField(
        label=_("Vem får välja (ett val per person)"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "E-legitimation ger säkrast ett val per person. Bekräftad e-post når fler men en "
            "person kan ha flera adresser."
        ),
    )
    eligibility_reason = forms.CharField(
        label=_("Varför just det sättet"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visas på samrådets sida."),
    )
    opens_at = inputs.DateTimeField(label=_("Öppnar"), widget=DateTimeInput)
    closes_at = inputs.DateTimeField(label=_("Stänger"), widget=DateTimeInput)
    ask_age_band = forms.BooleanField(
        label=_("Fråga om ålder (frivilligt att svara)"), required=False
    )
    ask_area = forms.BooleanField(label=_("Fråga om område (frivilligt att svara)"), required=False)
    planned_method = forms.ModelChoiceField(
        label=_("Metod i dialogens plan (frivilligt)"),
        required=False,
        queryset=PlannedMethod.objects.none(),
    )

    def __init__(self, *args: Any, dialogue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_method"].queryset = PlannedMethod.objects.filter(  # type: ignore[attr-defined]
            dialogue=dialogue
        ).select_related("method")
        self.fields["planned_method"].label_from_instance = lambda m: m.method.name  # type: ignore[attr-defined]


class AlternativeForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning (frivilligt)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    image = forms.FileField(
        label=_("Bild (frivilligt)"),
        required=False,
        help_text=_("JPEG, PNG eller WebP. Platsuppgifter och annan metadata tas bort."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Bildtext för den som inte ser bilden"),
        required=False,
        max_length=250,
    )
    document = forms.FileField(
        label=_("Dokument (frivilligt)"),
        required=False,
        help_text=_("En PDF-fil, högst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    document_title = forms.CharField(label=_("Dokumentets rubrik"), required=False, max_length=200)
    lat = forms.FloatField(
        label=_("Plats: latitud (frivilligt)"), required=False, min_value=-90, max_value=90
    )
    lon = forms.FloatField(
        label=_("Plats: longitud (frivilligt)"), required=False, min_value=-180, max_value=180
    )
    area = forms.ModelChoiceField(
        label=_("Område (frivilligt)"), required=False, queryset=Area.objects.order_by("name")
    )


class ApprovalForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ som godkände alternativen"), queryset=Body.objects.order_by("name")
    )
    names = forms.CharField(
        label=_("Politiker som godkände"),
        max_length=300,
        help_text=_("Till exempel presidiet: namn och parti."),
    )
    approved_on = inputs.DateField(label=_("Datum"), widget=DateInput)
    reference = forms.CharField(label=_("Diarienummer (frivilligt)"), required=False, max_length=40)


class ConfirmForm(forms.Form):
    pass


class PublishForm(forms.Form):
    text = forms.CharField(
        label=_("Sammanfattning av resultatet"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Publiceras på dialogens sida och kommer med i dialogens sammanställning."),
    )
