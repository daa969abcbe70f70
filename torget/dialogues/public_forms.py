"""Forms of the public dialogue pages: the list's filters and "Föreslå en medborgardialog"."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.dialogues.models import FINISHED, ONGOING, PLANNED, LadderStep
from torget.geo.models import Area
from torget.organisation.models import Topic

# The status groups of the public list, by their slug in the address (?status=pagaende).
STATUS_GROUPS = {
    "pagaende": (_("Pågående"), ONGOING),
    "planerade": (_("Planerade"), PLANNED),
    "avslutade": (_("Avslutade"), FINISHED),
}


class DialogueFilterForm(forms.Form):
    """The list's filters: a GET form, so every result page has its own address."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + [(slug, label) for slug, (label, _s) in STATUS_GROUPS.items()],
    )
    omrade = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.only("pk", "name", "slug").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Alla områden"),
    )
    amne = forms.ModelChoiceField(
        label=_("Ämne"),
        queryset=Topic.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Alla ämnen"),
    )
    steg = forms.TypedChoiceField(
        label=_("Delaktighetssteg"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alla steg"))]
        + [(step.value, f"{step.value}. {step.label}") for step in LadderStep],
    )

    def filters(self) -> dict[str, Any]:
        """The valid choices; one that is not valid (an old link to a removed area) is left
        out rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "area": data.get("omrade"),
            "topic": data.get("amne"),
            "ladder_step": data.get("steg"),
        }

    def is_filtered(self) -> bool:
        return any(self.filters().values())


class DialogueRequestForm(forms.Form):
    """A citizen's request for a dialogue (seed 004 §2). Anyone may send one, without an
    account; the e-mail address is needed to tell them the outcome and is never shown."""

    title = forms.CharField(
        label=_("Vad ska dialogen handla om?"),
        max_length=200,
        help_text=_("En kort rubrik, till exempel ”Ny lekplats i Berga”."),
    )
    summary = forms.CharField(
        label=_("Beskriv frågan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Varför behöver kommunen föra en dialog med invånarna om det här, och vilka berörs? "
            "Högst 2 000 tecken."
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Vilka områden gäller det?"),
        queryset=Area.objects.only("pk", "name").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj inget om det gäller hela kommunen."),
    )
    requester_name = forms.CharField(
        label=_("Ditt namn"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    requester_email = inputs.EmailField(
        label=_("Din e-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Vi skickar en bekräftelse och sedan beslutet hit. Ditt namn och din e-postadress "
            "visas inte på webbplatsen."
        ),
    )
    # Honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    honeypot_fields = ("website",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A municipality without areas gets no empty question about them.
        if not Area.objects.exists():
            del self.fields["areas"]

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
