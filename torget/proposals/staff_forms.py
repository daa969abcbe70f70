"""Forms for the staff pages under /personal/forslag/: one per workflow step, and the
assisted channel (proposals and supports registered by staff for a citizen)."""

from typing import Any, cast

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.accounts.models import User
from torget.accounts.selectors import elected_officials
from torget.core import inputs
from torget.geo.models import Area
from torget.identity.forms import PersonalNumberField
from torget.meetings.forms import MeetingChoiceField
from torget.meetings.models import Meeting, MeetingStatus
from torget.organisation.models import Body, BodyKind, Topic
from torget.proposals.models import Outcome, Proposal, RejectionReason, Status

DECISION_DOCUMENT_TYPES = ["pdf", "doc", "docx", "odt"]
DECISION_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _max_length(field: str) -> int | None:
    return getattr(Proposal._meta.get_field(field), "max_length", None)


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always ISO (what <input type=date> sends)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(
    label: Any, *, required: bool = True, help_text: Any = "", today: bool = False
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        initial=timezone.localdate if today else None,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
    )


class BodyChoiceField(forms.ModelChoiceField):
    def __init__(self, kinds: list[str], **kwargs: Any) -> None:
        queryset = Body.objects.filter(is_active=True, kind__in=kinds).order_by("kind", "name")
        super().__init__(queryset=queryset, **kwargs)


# --- Workflow steps --------------------------------------------------------------------------


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        decided = f"{obj.decided_on:%Y-%m-%d}" if obj.decided_on else ""
        return f"{obj.title} ({decided})"


class StepForm(forms.Form):
    """A form for one step on one proposal (some choices depend on the proposal)."""

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        self.proposal = proposal
        super().__init__(*args, **kwargs)


class PublishForm(StepForm):
    """Publishing needs no input: the button is the moderator's confirmation."""


class RejectForm(StepForm):
    reason = forms.ChoiceField(label=_("Skäl"), choices=RejectionReason.choices)
    text = forms.CharField(
        label=_("Motivering till förslagsställaren"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs när skälet är ”Annat skäl”. Förslaget publiceras aldrig."),
    )
    repeat_of = DecisionChoiceField(
        label=_("Tidigare beslut i samma fråga"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Krävs när skälet är att samma fråga nyligen har beslutats."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["repeat_of"]).queryset = (
            Proposal.objects.filter(status=Status.DECIDED)
            .exclude(pk=self.proposal.pk)
            .order_by("-decided_on", "-pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == RejectionReason.REPEAT and not cleaned.get("repeat_of"):
            self.add_error("repeat_of", _("Välj det tidigare beslutet i samma fråga."))
        return cleaned


class MoveForm(StepForm):
    text = forms.CharField(
        label=_("Hälsning till förslagsställaren"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Förklara att frågan hanteras som en synpunkt eller felanmälan i stället."),
    )


class AssignForm(StepForm):
    body = BodyChoiceField(
        [BodyKind.COMMITTEE, BodyKind.EXECUTIVE], label=_("Nämnd som bereder förslaget")
    )
    occurred_on = _date_field(_("Datum för kommunfullmäktiges beslut"), today=True)
    due = _date_field(_("Beredningen ska vara klar senast"))
    reference = forms.CharField(
        label=_("Referens"),
        max_length=100,
        help_text=_("Till exempel paragraf i protokollet: KF § 45."),
    )


class LiftForm(StepForm):
    body = BodyChoiceField([BodyKind.COMMITTEE, BodyKind.EXECUTIVE], label=_("Nämnd"))
    occurred_on = _date_field(
        _("Datum"), help_text=_("När förslaget lyftes till nämnden."), today=True
    )
    due = _date_field(_("Beredningen ska vara klar senast"), required=False)
    reference = forms.CharField(
        label=_("Referens"),
        max_length=100,
        required=False,
        help_text=_("Till exempel nämndens diarienummer."),
    )


class DecideForm(StepForm):
    body = BodyChoiceField(
        [BodyKind.COUNCIL, BodyKind.EXECUTIVE, BodyKind.COMMITTEE],
        label=_("Organ som fattade beslutet"),
    )
    outcome = forms.ChoiceField(label=_("Beslut"), choices=Outcome.choices)
    answer = forms.CharField(
        label=_("Svar till förslagsställaren"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Publiceras på förslagets sida."),
    )
    occurred_on = _date_field(_("Beslutsdatum"), today=True)
    reference = forms.CharField(
        label=_("Referens"),
        max_length=100,
        help_text=_("Till exempel paragraf i protokollet: KF § 112."),
    )
    document = forms.FileField(
        label=_("Beslutsdokument"),
        required=False,
        validators=[FileExtensionValidator(DECISION_DOCUMENT_TYPES)],
        help_text=_("PDF eller ordbehandlingsdokument, högst 20 MB. Publiceras med beslutet."),
    )

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document and document.size > DECISION_DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 20 MB."))
        return document


class HideForm(StepForm):
    reason = forms.CharField(
        label=_("Skäl att dölja förslaget"),
        max_length=300,
        help_text=_("Visas på förslagets sida i stället för texten."),
    )


class UnhideForm(StepForm):
    """Showing a hidden proposal again needs no input."""


# --- The assisted channel --------------------------------------------------------------------


class EvidenceKind:
    ID_DOCUMENT = "id"
    PAPER_FORM = "papper"
    OTHER = "annat"

    CHOICES = [
        (ID_DOCUMENT, _("ID-handling visad i servicedisk")),
        (PAPER_FORM, _("Underskrivet pappersformulär")),
        (OTHER, _("Annat sätt")),
    ]


class IdentityCheckMixin(forms.Form):
    """How staff checked who the citizen is. Only the personnummer's keyed hash is stored."""

    pin = PersonalNumberField()
    evidence = forms.ChoiceField(
        label=_("Hur identiteten kontrollerades"),
        choices=EvidenceKind.CHOICES,
        widget=forms.RadioSelect,
    )
    evidence_detail = forms.CharField(
        label=_("Beskriv kontrollen"),
        max_length=150,
        required=False,
        help_text=_("Krävs för ”Annat sätt”; annars frivilligt, till exempel typ av ID-handling."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("evidence") == EvidenceKind.OTHER and not cleaned.get("evidence_detail"):
            self.add_error("evidence_detail", _("Beskriv hur identiteten kontrollerades."))
        return cleaned

    def evidence_text(self) -> str:
        """What goes into the verification's `evidence`: the kind in words, and the detail."""
        labels = dict(EvidenceKind.CHOICES)
        text = str(labels[self.cleaned_data["evidence"]])
        detail = self.cleaned_data.get("evidence_detail", "").strip()
        return f"{text}: {detail}" if detail else text


class ProposalContentMixin(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=_max_length("title"))
    body = forms.CharField(
        label=_("Förslag"),
        max_length=_max_length("body"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    topic = forms.ModelChoiceField(label=_("Kategori"), queryset=Topic.objects.order_by("name"))
    area = forms.ModelChoiceField(
        label=_("Område"), queryset=Area.objects.order_by("name"), required=False
    )


class RegisterOnBehalfForm(IdentityCheckMixin, ProposalContentMixin, forms.Form):
    author_name = forms.CharField(
        label=_("Förslagsställarens namn"),
        max_length=_max_length("author_name"),
        help_text=_("Visas på förslagets sida när det publiceras."),
    )
    organisation_name = forms.CharField(
        label=_("För organisationen"), max_length=_max_length("organisation_name"), required=False
    )
    contact_email = inputs.EmailField(
        label=_("Förslagsställarens e-post"),
        required=False,
        help_text=_("Hit skickas besked om förslaget. Visas aldrig publikt."),
    )

    field_order = [
        "author_name",
        "pin",
        "evidence",
        "evidence_detail",
        "contact_email",
        "organisation_name",
        "title",
        "body",
        "topic",
        "area",
    ]

    def __init__(self, *args: Any, organisations_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not organisations_allowed:
            del self.fields["organisation_name"]


class RegisterFromMeetingForm(ProposalContentMixin, forms.Form):
    meeting = MeetingChoiceField(
        label=_("Möte i Torget"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Förslaget kopplas till mötet. Välj inget om mötet inte finns i Torget."),
    )
    source = forms.CharField(
        label=_("Dialogmöte"),
        max_length=_max_length("source"),
        required=False,
        help_text=_(
            "Var och när förslaget kom upp, till exempel ”Dialogmöte i Berga 12 mars”. "
            "Lämna tomt för att använda mötets rubrik och datum."
        ),
    )
    responsible_politician = PersonChoiceField(
        label=_("Ansvarig politiker"),
        show_email=False,
        queryset=User.objects.none(),
        help_text=_("Får ett meddelande och lyfter förslaget till rätt nämnd."),
    )

    field_order = ["title", "body", "topic", "area", "meeting", "source", "responsible_politician"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["responsible_politician"]
        ).queryset = elected_officials()
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = Meeting.objects.exclude(
            status=MeetingStatus.DRAFT
        ).order_by("-starts_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("meeting") and not (data.get("source") or "").strip():
            self.add_error(
                "source", _("Välj mötet eller skriv vilket dialogmöte förslaget kom från.")
            )
        return data


class SupportForm(IdentityCheckMixin, forms.Form):
    """A support received on paper or at a service desk."""
