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
    InitiativeKind,
    LadderStep,
    Method,
    PlannedMethod,
    PlannedTargetGroup,
)
from torget.geo.models import Area
from torget.organisation.models import Administration, Body, Topic
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
    """A political initiative (from a presidium) or an officials' (from an annual plan)."""

    initiative_kind = forms.ChoiceField(
        label=_("Vem tar initiativet?"),
        choices=[
            (InitiativeKind.POLITICAL.value, InitiativeKind.POLITICAL.label),
            (InitiativeKind.OFFICIALS.value, InitiativeKind.OFFICIALS.label),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Medborgares förslag kommer in via formuläret Föreslå en medborgardialog på "
            "webbplatsen."
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("initiative_kind")
        if kind == InitiativeKind.POLITICAL and not data.get("initiating_body"):
            self.add_error("initiating_body", _("Ange vilket organ initiativet kommer från."))
        if kind == InitiativeKind.OFFICIALS and not data.get("administration"):
            self.add_error(
                "administration", _("Ange förvaltningen vars verksamhetsplan det gäller.")
            )
        return data


# --- Editing ---------------------------------------------------------------------------------


def editable_fields(dialogue: Dialogue) -> list[str]:
    """What the dialogue's status allows staff to change (services.EDITABLE), and its areas
    and topics until the plan is public."""
    names = list(services.EDITABLE.get(dialogue.status, ()))
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
