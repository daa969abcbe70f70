"""Forms of the results pages: one per action on an item, and the two feedback points."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.accounts.models import User
from torget.accounts.selectors import elected_officials
from torget.dialogues.models import Dialogue
from torget.dialogues.staff_forms import DateInput
from torget.feedback.models import Category, CategoryUse
from torget.feedback.models import Kind as CaseKind
from torget.geo.models import Area
from torget.meetings.forms import MeetingChoiceField
from torget.meetings.models import Meeting
from torget.organisation.models import Body, BodyKind, Topic
from torget.results.models import Kind, RaisedHow, RaisedVia


def _bodies(kind: str) -> Any:
    return Body.objects.filter(kind=kind, is_active=True).order_by("name")


class ClassifyFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Partipolitiska frågor hanteras inte av förvaltningen förrän den förtroendevalda "
            "har lyft dem. Enkla frågor går till kontaktcenter."
        ),
    )
    politician = PersonChoiceField(
        label=_("Förtroendevald som lyfter frågan"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Bara för partipolitiska frågor."),
        show_email=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["politician"]).queryset = elected_officials()


class ItemForm(ClassifyFields):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), max_length=4000, required=False, widget=forms.Textarea
    )
    meeting = MeetingChoiceField(label=_("Möte"), queryset=Meeting.objects.none(), required=False)
    utskott = forms.ModelChoiceField(
        label=_("Utskott"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Tomt: utskottet för mötet, annars utskottet för dialogens område."),
    )

    field_order = ["title", "description", "meeting", "utskott", "kind", "politician"]

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Klassificera senare")),
            *Kind.choices,
        ]
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = Meeting.objects.filter(
            dialogue=dialogue
        ).order_by("starts_at")
        cast(forms.ModelChoiceField, self.fields["utskott"]).queryset = _bodies(
            BodyKind.DIALOGUE_COMMITTEE
        )


class RaiseForm(forms.Form):
    raised_how = forms.ChoiceField(
        label=_("Frågan lyftes som"), choices=RaisedHow.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anteckning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Till exempel motionens rubrik och datum. Utskottet ser anteckningen."),
    )


class AssignForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Nämnd"), queryset=Body.objects.none())
    raised_via = forms.ChoiceField(
        label=_("Lyfts genom"), choices=RaisedVia.choices, widget=forms.RadioSelect
    )
    matter_reference = forms.CharField(
        label=_("Pågående ärende (diarienummer)"),
        max_length=60,
        required=False,
        help_text=_("Om frågan redan bereds, till exempel ”BUN 2026/112”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = _bodies(BodyKind.COMMITTEE)


class TimelineForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    text = forms.CharField(
        label=_("Vad händer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Klart senast"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ForwardForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    case_kind = forms.ChoiceField(
        label=_("Typ av ärende"),
        choices=[
            (CaseKind.QUESTION.value, CaseKind.QUESTION.label),
            (CaseKind.SUGGESTION.value, CaseKind.SUGGESTION.label),
            (CaseKind.COMPLAINT.value, CaseKind.COMPLAINT.label),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(use=CategoryUse.OPINION, is_active=True).order_by(
            "group", "order", "name"
        )
        field = cast(forms.ModelChoiceField, self.fields["category"])
        field.queryset = categories
        field.initial = categories.filter(code="annat").first()


class ProposalForm(forms.Form):
    body = forms.CharField(
        label=_("Förslaget"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Publiceras på förslagets sida."),
    )
    topic = forms.ModelChoiceField(label=_("Kategori"), queryset=Topic.objects.order_by("name"))
    area = forms.ModelChoiceField(
        label=_("Område"), queryset=Area.objects.order_by("name"), required=False
    )
    responsible_politician = PersonChoiceField(
        label=_("Ansvarig politiker"), queryset=User.objects.none(), show_email=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["responsible_politician"]
        ).queryset = elected_officials()


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Återkoppling till utskottet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hur punkten hanterades och vad som blev resultatet."),
    )


class CloseForm(forms.Form):
    """Closing needs no input."""


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Sammanställning"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Publiceras på dialogens sida och skickas till de anmälda deltagarna och dialogens "
            "bevakare, med antal per typ och listan över punkterna."
        ),
    )


class DecisionProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Beslutsförslaget"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    deciding_body = forms.ModelChoiceField(
        label=_("Beslutande organ"), queryset=Body.objects.none()
    )
    expected_on = forms.DateField(label=_("Beslut väntas"), widget=DateInput())
    document = forms.FileField(
        label=_("Dokument (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("Frivilligt. En PDF-fil, högst 10 MB. Publiceras med förslaget."),
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deciding_body"].queryset = Body.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("kind", "name")
        self.fields["deciding_body"].initial = dialogue.deciding_body_id
        self.fields["expected_on"].initial = dialogue.decision_expected_on


REASON_HELP = _(
    "Visas på dialogens sida med rättelsens datum och skickas till de anmälda deltagarna och "
    "dialogens bevakare."
)


def _reason_field(label: Any = None, help_text: Any = REASON_HELP) -> forms.CharField:
    return forms.CharField(
        label=label or _("Vad ändrades och varför?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class SkipDecisionProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför skickas beslutsförslaget inte ut före beslutet?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Skälet registreras och visas för personalen. Återkopplingen om beslutsförslaget "
            "visas som missad i dialogens checklista."
        ),
    )


class SummaryCorrectionForm(SummaryForm):
    reason = _reason_field()


class DecisionProposalCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Beslutsförslaget"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    deciding_body = forms.ModelChoiceField(
        label=_("Beslutande organ"), queryset=Body.objects.none()
    )
    expected_on = forms.DateField(label=_("Beslut väntas"), widget=DateInput())
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["deciding_body"]).queryset = Body.objects.filter(
            is_active=True
        ).order_by("kind", "name")


class ItemCorrectionForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = _reason_field(
        help_text=_(
            "Sparas med den tidigare versionen. När punkten finns i den publicerade "
            "sammanställningen visas rättelsen på dialogens sida och skickas till deltagarna "
            "och bevakarna."
        )
    )


class ReclassifyForm(ClassifyFields):
    reason = _reason_field(
        label=_("Varför klassificeras punkten om?"),
        help_text=_(
            "Punkten hanteras sedan som den nya typen. Skälet sparas och visas med ändringen."
        ),
    )
