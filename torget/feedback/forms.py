"""The citizen's forms: an opinion or a fault report, with optional contact details."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.feedback import selectors
from torget.feedback.models import DESCRIPTION_MAX, CategoryUse, ReplyChannel
from torget.feedback.services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS files; each is checked from its content later (photos.process)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Du kan skicka högst %(max)s foton.") % {"max": MAX_PHOTOS})
        return [super(PhotosField, self).clean(f, initial) for f in files]


class CaseForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Vad gäller det?"), queryset=selectors.categories_for(CategoryUse.OPINION)
    )
    description = forms.CharField(
        label=_("Beskriv"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Högst 4 000 tecken. Skriv inte känsliga uppgifter om dig själv eller andra, "
            "till exempel om hälsa."
        ),
    )
    address = forms.CharField(
        label=_("Plats eller adress"),
        max_length=250,
        required=False,
        help_text=_("Till exempel en adress, en korsning eller ”vid lekplatsen i Berga park”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    photos = PhotosField(
        label=_("Foton"),
        required=False,
        help_text=_(
            "Högst 3 foton (JPEG, PNG eller WebP, högst 10 MB styck). Vi tar bort all "
            "information i filerna, till exempel var och när de togs, innan de sparas."
        ),
    )
    reporter_name = forms.CharField(
        label=_("Namn"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_email = forms.EmailField(
        label=_("E-postadress"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reporter_phone = forms.CharField(
        label=_("Telefonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    reply_channel = forms.ChoiceField(
        label=_("Hur vill du få svar?"),
        choices=ReplyChannel.choices,
        initial=ReplyChannel.NONE,
        widget=forms.RadioSelect,
        help_text=_("Du kan vara anonym. Då kan vi inte svara dig, men du kan följa ärendet."),
    )
    # Honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    honeypot_fields = ("website",)

    def __init__(self, *args: Any, kept_photos: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept_photos = kept_photos

    def clean_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) + self.kept_photos > MAX_PHOTOS:
            raise ValidationError(
                _("Du kan skicka högst %(max)s foton; ta bort något först.") % {"max": MAX_PHOTOS}
            )
        return photos

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


PLACE_MISSING = _("Markera platsen på kartan eller beskriv var felet finns.")


class FaultForm(CaseForm):
    """A fault report: the place is required, as a pin (lat/lon, set by the map) or text."""

    category = forms.ModelChoiceField(
        label=_("Vad är det för fel?"), queryset=selectors.categories_for(CategoryUse.FAULT)
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    not_duplicate = forms.BooleanField(
        label=_("Mitt fel är inte något av dem ovan, skicka min anmälan"), required=False
    )
    field_order = [
        "category",
        "address",
        "lat",
        "lon",
        "description",
        "photos",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "reply_channel",
    ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            cleaned["lat"] = cleaned["lon"] = None
        if (
            cleaned.get("lat") is None
            and not cleaned.get("address")
            and "address" not in self.errors
        ):
            self.add_error("address", PLACE_MISSING)
        return cleaned
