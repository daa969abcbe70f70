from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.identity import personnummer
from torget.identity.models import Residence


class PersonalNumberField(forms.CharField):
    """A personnummer or samordningsnummer; cleans to a `PersonalNumber`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Personnummer"))
        kwargs.setdefault(
            "help_text", _("ÅÅÅÅMMDD-NNNN. Numret sparas inte, bara en kontrollsumma.")
        )
        kwargs.setdefault("max_length", personnummer.MAX_INPUT_LENGTH)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})
        return attrs

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return personnummer.parse(value)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None


class DemoVerificationForm(forms.Form):
    pin = PersonalNumberField()
    residence = forms.ChoiceField(
        label=_("Folkbokförd i kommunen?"),
        choices=[(Residence.YES, _("Ja")), (Residence.NO, _("Nej"))],
        widget=forms.RadioSelect,
        initial=Residence.YES,
    )


class ResidentRegisterForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med folkbokförda (CSV)"),
        help_text=_(
            "En rad per person, personnumret i första kolumnen. Filen sparas inte: varje "
            "nummer omvandlas till en kontrollsumma när det läses."
        ),
    )
