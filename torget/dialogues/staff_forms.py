"""Forms for the staff pages under /personal/dialoger/: registering an initiative, editing what
the dialogue's status allows, one form per step of the process (with the step's own fields), and
the plan's target groups, methods and dates."""

from typing import Any, cast

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.accounts.models import User
from torget.dialogues import selectors, services, workflow
from torget.dialogues.models import (
    LADDER_MEANINGS,
    LADDER_VERBS,
    PLAN_PUBLIC,
    Dialogue,
    DialogueDate,
    DialogueKind,
    FocusGroupKind,
    InitiativeKind,
    LadderStep,
    Method,
    MethodDecision,
    PlannedMethod,
    PlannedTargetGroup,
)
from torget.geo.models import Area
from torget.organisation.models import Administration, Body, BodyKind, Topic
from torget.organisation.selectors import elected_members

TEXT_MAX = 5000
# A step's fields the form does not insist on (the rules of workflow.py decide the rest).
OPTIONAL_STEP_FIELDS = frozenset({"outcome_reference"})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def dialogue_officials() -> QuerySet[User]:
    """Who may be appointed supporting official: those who plan and run dialogues."""
    manage = Permission.objects.filter(
        content_type__app_label="dialogues", codename="manage_dialogue"
    )
    return (
        User.objects.filter(
            Q(groups__permissions__in=manage)
            | Q(user_permissions__in=manage)
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email", "pk")
    )


def ladder_choices() -> list[tuple[int, str]]:
    return [
        (
            step.value,
            f"{step.value}. {step.label} – {_('du kan')} {LADDER_VERBS[step]}. "
            f"{LADDER_MEANINGS[step]}",
        )
        for step in LadderStep
    ]


def _formfield(model_field: Any, **kwargs: Any) -> forms.Field | None:
    """Form fields for the dialogue's model fields, with inputs that suit them."""
    name = model_field.name
    if name == "ladder_step":
        return forms.TypedChoiceField(
            label=capfirst(model_field.verbose_name),
            choices=ladder_choices(),
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            help_text=_("Steg 3–5 är medborgardialog; steg 1–2 är information och konsultation."),
        )
    if name in ("areas", "topics"):
        queryset = (Area.objects if name == "areas" else Topic.objects).order_by("name")
        return forms.ModelMultipleChoiceField(
            label=capfirst(model_field.verbose_name),
            queryset=queryset,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    if name == "process_leader":
        return PersonChoiceField(
            label=capfirst(model_field.verbose_name),
            queryset=elected_members(),
            help_text=_("Utses av det beslutande organet bland de förtroendevalda (004 §4)."),
        )
    if name == "supporting_official":
        return PersonChoiceField(
            label=capfirst(model_field.verbose_name),
            queryset=dialogue_officials(),
            help_text=_("Utses av förvaltningschefen (004 §4)."),
        )
    if name in ("deciding_body", "initiating_body"):
        kwargs["queryset"] = Body.objects.filter(is_active=True).order_by("name")
    if name == "budget":
        kwargs["min_value"] = 0
    if isinstance(model_field, models.DateField):
        kwargs["widget"] = DateInput
    if isinstance(model_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 4})
    return cast(forms.Field | None, model_field.formfield(**kwargs))


# --- Initiative ------------------------------------------------------------------------------


class InitiateForm(forms.Form):
    """A political initiative (from a presidium) or an officials' (from an annual plan), or a
    brukardialog that officials run themselves."""

    kind = forms.ChoiceField(
        label=_("Typ av dialog"),
        choices=DialogueKind.choices,
        initial=DialogueKind.CITIZEN_DIALOGUE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "En brukar- eller kunddialog leds av tjänstepersoner för att förbättra en "
            "verksamhet. Den ligger utanför delaktighetstrappan och beslutas inte av ett "
            "presidium."
        ),
    )
    initiative_kind = forms.ChoiceField(
        label=_("Vem tar initiativet?"),
        choices=[
            (InitiativeKind.POLITICAL.value, InitiativeKind.POLITICAL.label),
            (InitiativeKind.OFFICIALS.value, InitiativeKind.OFFICIALS.label),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Medborgardialog. Medborgares förslag kommer in via formuläret Föreslå en "
            "medborgardialog på webbplatsen."
        ),
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    summary = forms.CharField(
        label=_("Kort beskrivning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad dialogen ska handla om och varför invånarna behöver vara med."),
    )
    initiating_body = forms.ModelChoiceField(
        label=_("Initiativ från"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Politiskt initiativ: presidiet i vilken nämnd, KS eller KF?"),
    )
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"),
        queryset=Administration.objects.none(),
        required=False,
        help_text=_("Tjänstepersoners initiativ: förvaltningen vars verksamhetsplan det gäller."),
    )
    plan_year = forms.IntegerField(
        label=_("Verksamhetsår"), required=False, min_value=2000, max_value=2100
    )
    plan_priority = forms.IntegerField(
        label=_("Prioritet i verksamhetsplanen"),
        required=False,
        min_value=1,
        help_text=_("1 är högst."),
    )
    special_weight = forms.BooleanField(
        label=_("Särskild tyngd: ska med i kommundirektörens årshjul"), required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Områden"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Ämnen"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["initiating_body"].queryset = Body.objects.filter(is_active=True).order_by("name")
        fields["administration"].queryset = Administration.objects.order_by("name")
        fields["areas"].queryset = Area.objects.order_by("name")
        fields["topics"].queryset = Topic.objects.order_by("name")

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or DialogueKind.CITIZEN_DIALOGUE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DialogueKind.SERVICE_DIALOGUE:
            data["initiative_kind"] = InitiativeKind.OFFICIALS
        elif not data.get("initiative_kind") and "initiative_kind" not in self.errors:
            self.add_error("initiative_kind", _("Ange vem som tar initiativet."))
        kind = data.get("initiative_kind")
        if kind == InitiativeKind.POLITICAL and not data.get("initiating_body"):
            self.add_error("initiating_body", _("Ange vilket organ initiativet kommer från."))
        if kind == InitiativeKind.OFFICIALS and not data.get("administration"):
            self.add_error(
                "administration",
                _("Ange förvaltningen vars verksamhetsplan det gäller.")
                if data.get("kind") != DialogueKind.SERVICE_DIALOGUE
                else _("Ange förvaltningen som leder brukardialogen."),
            )
        return data


# --- Editing ---------------------------------------------------------------------------------


def editable_fields(dialogue: Dialogue) -> list[str]:
    """What the dialogue's status allows staff to change (services.EDITABLE), and its areas
    and topics until the plan is public."""
    names = list(services.editable(dialogue))
    if dialogue.status not in PLAN_PUBLIC:
        names += ["areas", "topics"]
    return names


def edit_form_class(dialogue: Dialogue) -> type[forms.ModelForm]:
    """A form with exactly the fields the dialogue's status allows: anything else posted is
    not part of the form, so it is never passed on."""
    return cast(
        type[forms.ModelForm],
        forms.modelform_factory(
            Dialogue,
            fields=editable_fields(dialogue),
            formfield_callback=cast(Any, _formfield),
        ),
    )


# --- Steps -----------------------------------------------------------------------------------


class StepForm(forms.Form):
    """One step of the process (workflow.STEPS): the step's own fields and a text for the
    history. The rules themselves are checked by workflow.transition()."""

    text = forms.CharField(
        label=_("Kommentar till historiken"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visas i dialogens historik, som är publik när dialogen är publik."),
    )

    def __init__(self, *args: Any, step: workflow.Step, dialogue: Dialogue, **kwargs: Any):
        self.step = step
        self.dialogue = dialogue
        kwargs.setdefault("prefix", step.name)
        super().__init__(*args, **kwargs)
        text = self.fields.pop("text")
        for name in step.fields:
            field = _formfield(Dialogue._meta.get_field(name))
            if field is None:  # pragma: no cover - every step field has a form field
                raise ImproperlyConfigured(f"No form field for {name}")
            field.required = name not in OPTIONAL_STEP_FIELDS
            value = getattr(dialogue, name)
            if name == "deciding_body" and value is None:
                value = dialogue.responsible_body
            if value not in (None, ""):
                field.initial = value.pk if isinstance(value, models.Model) else value
            self.fields[name] = field
        if step.name not in workflow.DATED_BY:
            # The history shows the date it happened, as entered (the decisions have their own).
            self.fields["happened_on"] = forms.DateField(
                label=_("Datum då det hände"),
                required=False,
                initial=timezone.localdate,
                widget=DateInput,
                help_text=_("Visas i dialogens historik. Lämna tomt för i dag."),
            )
        self.fields["text"] = text

    def clean_happened_on(self) -> Any:
        value = self.cleaned_data.get("happened_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Datumet då det hände kan inte ligga i framtiden."))
        return value

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.step.fields}

    def happened_on(self) -> Any:
        return self.cleaned_data.get("happened_on")


# --- The plan --------------------------------------------------------------------------------


class PlanForm(forms.Form):
    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        self.dialogue = dialogue
        super().__init__(*args, **kwargs)


class TargetGroupForm(PlanForm):
    group = forms.ModelChoiceField(
        label=_("Målgrupp från checklistan"),
        queryset=selectors.target_groups().none(),
        required=False,
        empty_label=_("Ingen, jag skriver en egen"),
    )
    other = forms.CharField(
        label=_("Annan målgrupp"),
        max_length=150,
        required=False,
        help_text=_("Om målgruppen inte finns i checklistan."),
    )
    effort = forms.CharField(
        label=_("Insats"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Hur ni når gruppen, och hur mycket. Lägg mest insats på dem som påverkas mest men "
            "sällan hörs (001)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        planned = self.dialogue.target_groups.filter(group__isnull=False).values("group")
        field = cast(forms.ModelChoiceField, self.fields["group"])
        field.queryset = selectors.target_groups().exclude(pk__in=planned)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("group")) == bool((data.get("other") or "").strip()):
            self.add_error("group", _("Välj en målgrupp i listan eller skriv en egen."))
        return data


class MethodForm(PlanForm):
    method = forms.TypedChoiceField(
        label=_("Metod"),
        coerce=int,
        help_text=_(
            "Metoderna är grupperade efter delaktighetssteg. Minst en metod från "
            "informationssteget ska alltid komma först (004 §5)."
        ),
    )
    order = forms.IntegerField(
        label=_("Ordning"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Lämna tomt för att lägga metoden sist."),
    )
    starts_on = forms.DateField(label=_("Från"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Till"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("Hur metoden används här"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.methods: dict[int, Method] = {}
        groups: list[tuple[str, list[tuple[int, str]]]] = []
        for ladder_step, methods in sorted(selectors.methods_by_step().items()):
            step = LadderStep(ladder_step)
            label = f"{step.value}. {step.label} ({LADDER_VERBS[step]})"
            groups.append((label, [(m.pk, m.name) for m in methods]))
            self.methods.update({m.pk: m for m in methods})
        cast(forms.ChoiceField, self.fields["method"]).choices = [
            ("", _("Välj en metod")),
            *groups,
        ]

    def clean_method(self) -> Method:
        return self.methods[self.cleaned_data["method"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Slutdatum kan inte vara före startdatum."))
        return data


class DateForm(PlanForm):
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        help_text=_("Till exempel Informationsmöte i Berga skola eller Enkäten stänger."),
    )
    starts_at = forms.DateTimeField(label=_("Börjar"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Slutar"), required=False, widget=DateTimeInput)
    place = forms.CharField(label=_("Plats"), max_length=250, required=False)
    area = forms.ModelChoiceField(label=_("Område"), queryset=Area.objects.none(), required=False)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = Area.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("Slutet kan inte vara före början."))
        return data


class DirectorProposalForm(PlanForm):
    """Kommundirektörens förslag till KS presidium (004 §2)."""

    proposed_on = forms.DateField(label=_("Förslagets datum"), widget=DateInput)
    text = forms.CharField(
        label=_("Förslaget"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv förslaget, eller ange dokumentet med förslaget nedan."),
    )
    reference = forms.CharField(
        label=_("Dokument"),
        required=False,
        max_length=120,
        help_text=_("Diarienummer eller namn på dokumentet med förslaget."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dialogue.director_proposal_on:
            self.initial.setdefault("proposed_on", self.dialogue.director_proposal_on)
        self.initial.setdefault("text", self.dialogue.director_proposal)
        self.initial.setdefault("reference", self.dialogue.director_proposal_reference)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not ((data.get("text") or "").strip() or (data.get("reference") or "").strip()):
            self.add_error("text", _("Skriv förslaget eller ange dokumentet med förslaget."))
        return data


class ConsultationForm(PlanForm):
    """Samråd: KS presidium's dialogue with the presidium concerned (004 §2)."""

    body = forms.ModelChoiceField(
        label=_("Berört presidium"),
        queryset=Body.objects.none(),
        help_text=_("Presidiet i den nämnd som frågan berör."),
    )
    held_on = forms.DateField(label=_("Datum för samrådet"), widget=DateInput)
    outcome = forms.CharField(
        label=_("Utfall"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad presidierna kom fram till."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = Body.objects.filter(
            is_active=True, kind__in=[BodyKind.COMMITTEE, BodyKind.COUNCIL, BodyKind.EXECUTIVE]
        ).order_by("name")


class MethodDecisionForm(PlanForm):
    """Who decided on a method in the plan (004 §5), for methods whose `decision` asks."""

    item = forms.ModelChoiceField(queryset=PlannedMethod.objects.none(), widget=forms.HiddenInput)
    focus_group_kind = forms.ChoiceField(
        label=_("Typ av fokusgrupp"),
        choices=[("", _("Välj")), *FocusGroupKind.choices],
        required=False,
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)
    selection_rules = forms.CharField(
        label=_("Regler för urval"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    staff_chosen_by = forms.CharField(
        label=_("Medarbetarna valda av"),
        required=False,
        max_length=150,
        help_text=_("Förvaltningschefen eller avdelningschefen som valde ut medarbetarna."),
    )
    staff_members = forms.CharField(
        label=_("Utvalda medarbetare"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Which fields each kind of decision asks for.
    FIELDS: dict[str, tuple[str, ...]] = {
        MethodDecision.FOCUS_GROUP: (
            "focus_group_kind",
            "decided_on",
            "decision_reference",
            "selection_rules",
        ),
        MethodDecision.LIGHTHOUSES: (
            "decided_on",
            "decision_reference",
            "staff_chosen_by",
            "staff_members",
        ),
    }

    def __init__(self, *args: Any, planned: PlannedMethod | None = None, **kwargs: Any) -> None:
        if planned is not None:
            # Several of these forms on one page: the same names, ids of their own.
            kwargs.setdefault("auto_id", f"id_decision{planned.pk}_%s")
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["item"])
        field.queryset = PlannedMethod.objects.filter(
            dialogue=self.dialogue, method__decision__in=list(self.FIELDS)
        ).select_related("method")
        field.error_messages["invalid_choice"] = _("Metoden finns inte längre i planen.")
        field.error_messages["required"] = _("Metoden finns inte längre i planen.")
        if planned is None and self.is_bound:
            posted = str(self.data.get(self.add_prefix("item"), ""))
            planned = field.queryset.filter(pk=posted).first() if posted.isdigit() else None
        elif planned is not None:
            self.initial["item"] = planned.pk
            for name in ("focus_group_kind", "decided_on", "decision_reference"):
                self.initial.setdefault(name, getattr(planned, name) or None)
            for name in ("selection_rules", "staff_chosen_by", "staff_members"):
                self.initial.setdefault(name, getattr(planned, name))
        self.planned = planned
        if planned is not None:
            # Only the fields this method's decision asks for.
            wanted = self.FIELDS.get(planned.method.decision, ())
            for name in list(self.fields):
                if name != "item" and name not in wanted:
                    del self.fields[name]
            if planned.method.decision == MethodDecision.LIGHTHOUSES:
                self.fields["decided_on"].label = _("Presidiets beslutsdatum")
                self.fields["staff_chosen_by"].required = True
                self.fields["staff_members"].required = True
            else:
                self.fields["focus_group_kind"].required = True
                self.fields["selection_rules"].required = True

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name) or ("" if name != "decided_on" else None)
            for name in (
                "focus_group_kind",
                "decided_on",
                "decision_reference",
                "selection_rules",
                "staff_chosen_by",
                "staff_members",
            )
        }


class RemoveForm(PlanForm):
    """Remove one row of the plan; the row must belong to this dialogue."""

    item = forms.ModelChoiceField(
        queryset=PlannedTargetGroup.objects.none(), widget=forms.HiddenInput
    )
    model: type[models.Model] = PlannedTargetGroup

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["item"])
        field.queryset = self.model._default_manager.filter(dialogue=self.dialogue)
        field.error_messages["invalid_choice"] = _("Raden finns inte längre i planen.")
        field.error_messages["required"] = _("Raden finns inte längre i planen.")


class RemoveTargetGroupForm(RemoveForm):
    model = PlannedTargetGroup


class RemoveMethodForm(RemoveForm):
    model = PlannedMethod


class RemoveDateForm(RemoveForm):
    model = DialogueDate
