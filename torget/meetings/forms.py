"""Forms of the meetings part: the public registration and question forms, and the staff
forms for planning, the agenda builder, documentation and the feedback at the end of the
meeting. The rules themselves live in services.py; these only parse input."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.core import inputs
from torget.dialogues.models import Method
from torget.dialogues.selectors import target_groups
from torget.dialogues.staff_forms import (
    DateInput,
    DateTimeInput,
    dialogue_officials,
)
from torget.geo.models import Area
from torget.meetings.models import Meeting, Registration
from torget.organisation.selectors import elected_members

TEXT_MAX = 5000


# --- Public ------------------------------------------------------------------------------------


class RegistrationForm(forms.ModelForm):
    # A field people do not see; bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput, label="")

    class Meta:
        model = Registration
        fields = ["name", "email", "target_group", "needs"]
        labels = {"name": _("Namn"), "email": _("E-post")}
        help_texts = {
            "email": _("Du får en bekräftelse och en länk för att avanmäla dig."),
            "target_group": _("Hjälper oss se vilka vi når. Visas aldrig publikt."),
            "needs": _("Till exempel tolk, hörslinga, specialkost eller barnpassning."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "anmalan")
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = target_groups()  # type: ignore[attr-defined]
        self.fields["target_group"].empty_label = _("Vill inte ange")  # type: ignore[attr-defined]

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))

    def validate_unique(self) -> None:
        # The service checks one registration per address, with the meeting locked.
        pass


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Din fråga"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Frågan visas på mötessidan när vi har läst den. Högst 1 000 tecken."),
    )
    name = forms.CharField(label=_("Namn (frivilligt)"), max_length=120, required=False)
    email = inputs.EmailField(
        label=_("E-post (frivilligt)"),
        required=False,
        help_text=_("Visas aldrig. Bara om vi behöver fråga dig något om frågan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "fraga")
        super().__init__(*args, **kwargs)


class CancelRegistrationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, jag vill avanmäla mig från mötet"),
        error_messages={"required": _("Kryssa i rutan för att avanmäla dig.")},
    )


# --- Staff -------------------------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    politician = PersonChoiceField(
        label=_("Leds av politiker"),
        queryset=elected_members(),
        required=False,
    )
    official = PersonChoiceField(
        label=_("Tjänsteperson"), queryset=dialogue_officials(), required=False
    )
    link = forms.URLField(label=_("Länk till digitalt möte"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = [
            "method",
            "title",
            "purpose",
            "starts_at",
            "ends_at",
            "place",
            "area",
            "link",
            "accessibility",
            "registration_required",
            "capacity",
            "politician",
            "official",
        ]
        labels = {
            "method": _("Metod"),
            "title": _("Rubrik"),
            "purpose": _("Syfte"),
            "starts_at": _("Börjar"),
            "ends_at": _("Slutar"),
            "place": _("Plats och adress"),
            "area": _("Område"),
            "link": _("Länk till digitalt möte"),
            "accessibility": _("Tillgänglighet"),
            "registration_required": _("Anmälan krävs"),
            "capacity": _("Max antal deltagare"),
        }
        help_texts = {
            "purpose": _("Vad mötet ska leda till och hur resultatet används."),
            "place": _("Till exempel ”Bergaskolans matsal, Skolvägen 4”. Tomt för digitala möten."),
            "capacity": _(
                "Tomt: inget tak. En fokusgrupp har 8–12 deltagare. När mötet är fullt hamnar "
                "nya anmälningar på reservlistan."
            ),
        }
        widgets = {
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = Method.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "ladder_step", "name"
        )
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service builds and validates the meeting (it knows the rules); the form only
        # parses the fields.
        pass


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Punkt"), max_length=200)
    minutes = forms.IntegerField(label=_("Minuter"), min_value=1, max_value=600)
    citizens_time = forms.BooleanField(
        label=_("Tid för invånarnas frågor"),
        required=False,
        help_text=_("Minst en tredjedel av mötestiden ska vara till för invånarnas frågor."),
    )


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför ställs mötet in?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skickas till alla som är anmälda och visas på mötessidan."),
    )
    confirm = forms.BooleanField(
        label=_("Ja, ställ in mötet och meddela de anmälda"),
        error_messages={"required": _("Kryssa i rutan för att ställa in mötet.")},
    )


class DocumentationForm(forms.Form):
    notes = forms.CharField(
        label=_("Anteckningar från mötet"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    participants_total = forms.IntegerField(
        label=_("Antal deltagare totalt"), required=False, min_value=0
    )

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            self.fields[f"group_{group.pk}"] = forms.IntegerField(
                label=_("Varav %(group)s") % {"group": group.name},
                required=False,
                min_value=0,
            )

    def counts(self) -> dict[Any, int | None]:
        return {group: self.cleaned_data.get(f"group_{group.pk}") for group in self.groups}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "PDF eller dokument från Word, Excel, PowerPoint eller LibreOffice, högst 20 MB."
        ),
    )


class ForwardDocumentForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    note = forms.CharField(
        label=_("Meddelande till ledamöterna (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("Handling"),
        help_text=_(
            "PDF eller dokument från Word, Excel, PowerPoint eller LibreOffice, högst 20 MB."
        ),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Foto"),
        help_text=_("JPEG, PNG eller WebP. Platsuppgifter och annan metadata tas bort."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Bildtext för den som inte ser bilden"),
        max_length=250,
        help_text=_("Beskriv vad bilden visar, till exempel ”Deltagare vid kartan över parken”."),
    )


class FeedbackForm(forms.Form):
    """Feedback point 1 (seed 004 §9), at the end of the meeting."""

    questions = forms.CharField(
        label=_("Vilka frågor går vidare och hur?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    notes_where = forms.CharField(
        label=_("Var publiceras anteckningarna?"),
        max_length=250,
        help_text=_("Till exempel ”På dialogens sida på webbplatsen inom en vecka”."),
    )
    next_on = forms.DateField(
        label=_("När får deltagarna veta mer?"), widget=DateInput, help_text=_("Ett datum.")
    )


class ConfirmForm(forms.Form):
    """A button form with nothing to fill in (mark as held, approve)."""


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}, {timezone.localtime(obj.starts_at):%Y-%m-%d}"
