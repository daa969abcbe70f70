import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from torget.accounts import mail
from torget.accounts.models import User
from torget.core import inputs

FORM_STARTED_SALT = "torget.accounts.signup-started"


class SignupForm(forms.Form):
    """Sign-up with two quiet spam checks instead of a CAPTCHA: a honeypot field that people
    never see, and a signed timestamp — a form sent back within seconds was not filled in
    by a person."""

    email = inputs.EmailField(
        label=_("E-postadress"),
        help_text=_("Vi skickar en länk hit som du använder för att bekräfta kontot."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Visningsnamn"),
        max_length=80,
        required=False,
        help_text=_(
            "Visas offentligt vid det du skriver, till exempel förslag. Du kan lämna det tomt."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        help_text=_("Minst 10 tecken. Undvik vanliga lösenord."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Upprepa lösenordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    honeypot_fields = ("website",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=FORM_STARTED_SALT)

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("Lösenorden är inte likadana."))
        return password2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password2")
        if password:
            try:
                password_validation.validate_password(
                    password,
                    User(
                        email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
                    ),
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def looks_automated(self) -> bool:
        if self.data.get("website"):
            return True
        try:
            started = float(
                signing.loads(self.data.get("started", ""), salt=FORM_STARTED_SALT, max_age=86400)
            )
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - started < settings.ACCOUNT_SIGNUP_MIN_SECONDS


class EmailAuthenticationForm(AuthenticationForm):
    username = inputs.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "E-postadressen eller lösenordet stämmer inte. Kontrollera stavningen och försök igen."
        ),
        "inactive": _("Kontot är avslutat."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Lösenord")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "display_name", "phone", "language"]
        labels = {
            "full_name": _("Namn"),
            "display_name": _("Visningsnamn"),
            "phone": _("Mobilnummer"),
            "language": _("Språk"),
        }
        help_texts = {
            "full_name": _("Syns bara för dig och kommunens handläggare."),
            "display_name": _("Visas offentligt vid det du skriver, till exempel förslag."),
            "phone": _("Frivilligt. Används bara om du väljer att få sms."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "language": forms.RadioSelect,
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        return inputs.parse_phone(phone, mobile=True) if phone else ""


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        help_text=_("Skriv ditt lösenord för att bekräfta att du vill avsluta kontot."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Lösenordet stämmer inte."))
        return password


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        mail.send(
            template="accounts.password_reset",
            context={
                "url": reverse(
                    "accounts:password_reset_confirm",
                    kwargs={"uidb64": context["uid"], "token": context["token"]},
                )
            },
            emails=[to_email],
            language=user.language,
        )


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of people on staff forms: the name, with the e-mail address where names may
    repeat (officials); `show_email=False` for elected officials, who are known by name."""

    def __init__(self, *args: Any, show_email: bool = True, **kwargs: Any) -> None:
        self.show_email = show_email
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        if not self.show_email:
            return name or str(obj)
        return f"{name} ({obj.email})" if name else str(obj.email)


class OneTimeCodeForm(forms.Form):
    """The six digits an authenticator app shows (or, when verifying, a recovery code)."""

    code = forms.CharField(
        label=_("Engångskod"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].help_text = _(
                "Koden som appen visar just nu, eller en av dina reservkoder."
            )
            self.fields["code"].widget.attrs.pop("inputmode")
        else:
            self.fields["code"].help_text = _("Sex siffror från appen. Koden byts var 30:e sekund.")


class ReauthenticateForm(forms.Form):
    """The password again (and, for an account with an authenticator app, a code from it)."""

    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, ask_code: bool, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if ask_code:
            self.fields["code"] = forms.CharField(
                label=_("Engångskod"),
                max_length=32,
                help_text=_("Koden som appen visar just nu, eller en av dina reservkoder."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "spellcheck": "false"}
                ),
            )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Lösenordet stämmer inte."))
        return password
