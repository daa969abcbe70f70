"""The citizen's forms: an opinion or a fault report, with optional contact details."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.feedback import selectors
from torget.feedback.models import (
    DESCRIPTION_MAX,
    AttributeType,
    CategoryAttribute,
    CategoryUse,
    ReplyChannel,
)
from torget.feedback.services import MAX_PHOTOS, SMS_UNAVAILABLE
from torget.notifications import sms


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


class ReplyChannelField(forms.ChoiceField):
    """How the reporter wants an answer; sms is offered only where the municipality sends
    it, and a forged choice of sms is refused with the reason rather than "not a choice"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", selectors.reply_channel_choices)  # evaluated per use
        kwargs.setdefault("initial", ReplyChannel.NONE)
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        if value == ReplyChannel.SMS and not sms.is_enabled():
            raise ValidationError(SMS_UNAVAILABLE, code="sms_unavailable")
        super().validate(value)


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
    reporter_email = inputs.EmailField(
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
    reply_channel = ReplyChannelField(
        label=_("Hur vill du få svar?"),
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


def _attribute_field(question: CategoryAttribute) -> forms.Field:
    """A form field for one of a category's extra questions (Open311 datatypes)."""
    common: dict[str, Any] = {
        "label": question.description,
        "required": False,  # required only for the chosen category: checked in clean()
        "help_text": question.datatype_description,
    }
    choices = [
        (str(v.get("key")), str(v.get("name"))) for v in question.values if isinstance(v, dict)
    ]
    if question.datatype == AttributeType.NUMBER:
        return forms.DecimalField(**common)
    if question.datatype == AttributeType.DATETIME:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if question.datatype == AttributeType.TEXT:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.datatype == AttributeType.SINGLE:
        return forms.ChoiceField(choices=[("", "–")] + choices, **common)
    if question.datatype == AttributeType.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=250, **common)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories' extra questions (the same as in Open311), one fieldset per
        # category; only the chosen category's answers count (see `attributes`).
        self.attribute_groups: list[tuple[Any, list[str]]] = []
        questions = CategoryAttribute.objects.filter(
            variable=True, category__is_active=True, category__use=CategoryUse.FAULT
        ).select_related("category")
        groups: dict[Any, list[str]] = {}
        for question in questions.order_by("category__order", "category__name", "order"):
            name = f"attr_{question.category.code}__{question.code}"
            self.fields[name] = _attribute_field(question)
            self.fields[name].question = question  # type: ignore[attr-defined]
            groups.setdefault(question.category, []).append(name)
        self.attribute_groups = list(groups.items())

    def attribute_fieldsets(self) -> list[tuple[Any, list[Any]]]:
        return [
            (category, [self[name] for name in names]) for category, names in self.attribute_groups
        ]

    def attributes(self) -> dict[str, Any]:
        """The chosen category's answers, by question code."""
        category = self.cleaned_data.get("category")
        answers: dict[str, Any] = {}
        for group, names in self.attribute_groups:
            if group != category:
                continue
            for name in names:
                value = self.cleaned_data.get(name)
                if value not in (None, "", []):
                    answers[self.fields[name].question.code] = (  # type: ignore[attr-defined]
                        str(value) if not isinstance(value, list) else value
                    )
        return answers

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category = cleaned.get("category")
        for group, names in self.attribute_groups:
            for name in names:
                if group == category and self.fields[name].question.required:  # type: ignore[attr-defined]
                    if cleaned.get(name) in (None, "", []):
                        self.add_error(name, _("Svara på frågan."))
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            cleaned["lat"] = cleaned["lon"] = None
        if (
            cleaned.get("lat") is None
            and not cleaned.get("address")
            and "address" not in self.errors
        ):
            self.add_error("address", PLACE_MISSING)
        return cleaned
