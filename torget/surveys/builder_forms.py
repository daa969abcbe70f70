"""The builder's forms: plain forms that work without JavaScript. Each only parses what was
typed; the rules (conditions, options, lock after the first answer) are the services'."""

from typing import Any

from django import forms
from django.core import validators
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.staff_forms import DateTimeInput
from torget.surveys import builder
from torget.surveys.models import OPTION_KINDS, Kind, Option, Question, Section, Survey


class MethodChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        when = ""
        if obj.starts_on:
            when = f" ({obj.starts_on:%Y-%m-%d} – {obj.ends_on:%Y-%m-%d})" if obj.ends_on else ""
        return f"{obj.method.name} {obj.order}{when}"


def _method_field(dialogue: Dialogue) -> MethodChoiceField:
    return MethodChoiceField(
        label=_("Planerad metod"),
        help_text=_("Vilken av dialogplanens enkäter det här är."),
        queryset=PlannedMethod.objects.filter(
            pk__in=[method.pk for method in builder.survey_methods(dialogue)]
        ).select_related("method"),
        empty_label=None,
    )


class SurveyForm(forms.ModelForm):  # type: ignore[type-arg]
    """A survey's settings; when creating, also which planned survey method it is."""

    class Meta:
        model = Survey
        fields = builder.SURVEY_FIELDS
        widgets = {
            "opens_at": DateTimeInput,
            "closes_at": DateTimeInput,
            "intro": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "access_reason": forms.Textarea(attrs={"rows": 2}),
            "access": forms.RadioSelect,
            "channel": forms.RadioSelect,
        }
        help_texts = {
            "title_en": _(
                "Visas för den som läser sidan på engelska. Lämna tom om det inte behövs."
            ),
            "opens_at": _("Datum och tid, till exempel 2026-03-01 08:00."),
            "closes_at": _("Måste vara efter att enkäten öppnar."),
            "ask_target_groups": _(
                "Frågar vilka av dialogplanens målgrupper den svarande hör till."
            ),
        }

    def __init__(self, *args: Any, dialogue: Dialogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dialogue is not None:
            self.fields["method"] = _method_field(dialogue)
            self.order_fields(["method"])
        survey = self.instance
        if survey.pk and survey.is_locked:
            for name in builder.SURVEY_STRUCTURE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Kan inte ändras efter att svar har kommit in.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Enkäten måste stänga efter att den öppnar."))
        return data

    def _post_clean(self) -> None:
        # The service validates and saves; the form only parses.
        pass


class SectionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Section
        fields = builder.SECTION_FIELDS
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass


class KindForm(forms.Form):
    """ "Lägg till fråga": which kind of question."""

    typ = forms.ChoiceField(label=_("Frågetyp"), choices=Kind.choices, widget=forms.RadioSelect)


def earlier_questions(survey: Survey, question: Question | None) -> QuerySet[Question]:
    """The questions a condition may name: those of the kinds it can depend on. (Whether the
    chosen one is earlier is the service's rule, with its own message.)"""
    candidates = survey.questions.filter(kind__in=builder.CONDITION_KINDS)
    if question is not None and question.pk:
        candidates = candidates.exclude(pk=question.pk)
    return candidates.select_related("section").order_by("section__order", "order", "id")


class ConditionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.section.order}.{obj.order} {obj.text}"


FIELDS_BY_KIND = {
    Kind.MULTIPLE: ("max_choices",),
    Kind.SCALE: (
        "scale_low_label",
        "scale_low_label_en",
        "scale_high_label",
        "scale_high_label_en",
    ),
    Kind.NUMBER: ("number_min", "number_max"),
}
NUMBER_BOUND = 1_000_000_000
KIND_FIELDS = {name for names in FIELDS_BY_KIND.values() for name in names}


class QuestionForm(forms.ModelForm):  # type: ignore[type-arg]
    """A question of one kind: the fields its kind has, and a condition. A new choice or
    ranking question also takes its options, one per line."""

    options = forms.CharField(
        label=_("Svarsalternativ"),
        help_text=_("Ett alternativ per rad, minst två. De får koderna A, B, C … i den ordningen."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )

    class Meta:
        model = Question
        fields = (
            "kind",
            "text",
            "text_en",
            "help_text",
            "help_text_en",
            "required",
            *builder.STRUCTURE_FIELDS[2:5],
            *builder.WORDING_FIELDS[4:],
            "condition_question",
            "condition_value",
        )
        help_texts = {
            "condition_value": _(
                "Svaret som gör att frågan visas: ett alternativs kod (A, B …), ja eller nej, "
                "eller en siffra på skalan 1–5."
            ),
            "max_choices": _("Lämna tomt för inget tak."),
        }

    def __init__(self, *args: Any, survey: Survey, kind: str, adding: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question = self.instance
        self.fields["condition_question"] = ConditionChoiceField(
            label=_("Visa bara när frågan"),
            queryset=earlier_questions(survey, question),
            required=False,
            empty_label=_("– Visas alltid –"),
        )
        for name in KIND_FIELDS - set(FIELDS_BY_KIND.get(Kind(kind), ())):
            del self.fields[name]
        bounds = {"number_min": NUMBER_BOUND, "number_max": NUMBER_BOUND, "max_choices": 100}
        for name, bound in bounds.items():
            if name in self.fields:
                field = self.fields[name]
                low = 1 if name == "max_choices" else -bound
                field.widget.attrs.update({"min": low, "max": bound})
                field.validators += [
                    validators.MinValueValidator(low),
                    validators.MaxValueValidator(bound),
                ]
        if not (adding and kind in OPTION_KINDS):
            del self.fields["options"]
        if adding:
            del self.fields["kind"]
        if survey.is_locked:
            for name in builder.STRUCTURE_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
            self.fields["required"].help_text = _("Kan inte ändras efter att svar har kommit in.")

    def option_lines(self) -> list[str]:
        return (self.cleaned_data.get("options") or "").splitlines()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "options" in self.fields and len(builder._option_texts(self.option_lines())) < 2:
            self.add_error("options", _("Skriv minst två svarsalternativ, ett per rad."))
        return data

    def _post_clean(self) -> None:
        pass

    def values(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in builder.QUESTION_FIELDS and not self.fields[name].disabled
        }


class OptionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Option
        fields = ("text", "text_en")

    def _post_clean(self) -> None:
        pass


class SurveyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.dialogue.title}, {obj.get_status_display().lower()})"


class CopyForm(forms.Form):
    source = SurveyChoiceField(
        label=_("Enkät att kopiera"), queryset=Survey.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, dialogue: Dialogue, surveys: QuerySet[Survey], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = surveys  # type: ignore[attr-defined]
        self.fields["method"] = _method_field(dialogue)


class ConfirmForm(forms.Form):
    """A step that needs nothing but the button."""
