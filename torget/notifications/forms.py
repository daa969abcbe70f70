from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.notifications import sms
from torget.notifications.models import Frequency, Subscription
from torget.notifications.phones import display


class SubscriptionChoicesForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Hur vill du få besked?"),
        choices=[("email", _("E-post")), ("sms", _("Sms"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["email"],
        error_messages={"required": _("Välj minst ett sätt att få besked: e-post eller sms.")},
    )
    phone = forms.CharField(
        label=_("Mobilnummer"),
        required=False,
        max_length=30,
        help_text=_("Behövs bara för sms. Till exempel 070-123 45 67."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    frequency = forms.ChoiceField(
        label=_("Hur ofta?"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        help_text=_("En gång om dagen eller en gång i veckan samlar vi allt i ett meddelande."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sms.is_enabled():
            # The municipality has no SMS gateway: don't offer what can't be delivered.
            self.fields["channels"].choices = [("email", _("E-post"))]  # type: ignore[attr-defined]
            self.fields["channels"].widget = forms.MultipleHiddenInput()
            # sms is the only choice that can be missing: say why it is refused.
            self.fields["channels"].error_messages["invalid_choice"] = _(
                "Kommunen skickar inte sms. Välj e-post."
            )
            del self.fields["phone"]

    def choices(self) -> dict[str, Any]:
        channels = self.cleaned_data["channels"]
        return {
            "by_email": "email" in channels,
            "by_sms": "sms" in channels,
            "phone": self.cleaned_data.get("phone", ""),
            "frequency": self.cleaned_data["frequency"],
        }

    @classmethod
    def initial_for(cls, subscription: Subscription) -> dict[str, Any]:
        channels = [
            c for c, on in (("email", subscription.by_email), ("sms", subscription.by_sms)) if on
        ]
        if not sms.is_enabled():
            # The choice is hidden then, and sms refused: saving keeps e-mail, the one way left.
            channels = ["email"]
        return {
            "channels": channels,
            "phone": display(subscription.phone) if subscription.phone else "",
            "frequency": subscription.frequency,
        }


class FollowForm(SubscriptionChoicesForm):
    """Follow something without an account: the e-mail address is confirmed by a link."""

    email = inputs.EmailField(
        label=_("E-postadress"),
        help_text=_("Vi skickar en länk hit som du bekräftar bevakningen med."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "channels", "phone", "frequency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            self.fields["phone"].help_text = _(
                "Behövs bara för sms. Vi skickar en kod dit som du bekräftar numret med. "
                "Till exempel 070-123 45 67."
            )


class PhoneCodeForm(forms.Form):
    """The code sent by SMS to a number given without signing in."""

    code = forms.CharField(
        label=_("Kod från sms:et"),
        max_length=20,
        help_text=_("Sex siffror."),
        error_messages={"required": _("Skriv koden från sms:et.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "size": "8",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Koden är sex siffror, till exempel 123456."))
        return code
