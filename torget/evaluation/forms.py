from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.evaluation.models import (
    LIKERT_MAX,
    LIKERT_MIN,
    GoalsMet,
    InternalEvaluation,
    QuestionKind,
    SurveyQuestion,
)
from torget.evaluation.services import FREE_TEXT_MAX, question_field

DONT_KNOW = "vet-inte"


def likert_choices(required: bool) -> list[tuple[str, Any]]:
    labels = {
        LIKERT_MIN: _("1 – Instämmer inte alls"),
        LIKERT_MAX: _("5 – Instämmer helt"),
    }
    choices: list[tuple[str, Any]] = [
        (str(value), labels.get(value, str(value))) for value in range(LIKERT_MIN, LIKERT_MAX + 1)
    ]
    if not required:
        choices.append((DONT_KNOW, _("Vet inte / vill inte svara")))
    return choices


class AnswerForm(forms.Form):
    """The survey as a form: a radio group (fieldset with legend) per statement, a text area
    per open question. The service checks the answers again; this gives the messages."""

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = question_field(question)
            if question.kind == QuestionKind.LIKERT:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=likert_choices(question.required),
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages={
                        "required": _("Välj ett av alternativen 1–5."),
                        "invalid_choice": _("Välj ett av alternativen."),
                    },
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    required=question.required,
                    max_length=FREE_TEXT_MAX,
                    error_messages={"required": _("Skriv ett svar på frågan.")},
                )

    def answers(self) -> dict[str, str]:
        return {
            name: ("" if value == DONT_KNOW else value) for name, value in self.cleaned_data.items()
        }


class SendForm(forms.Form):
    extra_emails = forms.CharField(
        label=_("Fler mottagare (e-postadresser)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_(
            "De som är anmälda till dialogens möten får enkäten automatiskt. Skriv här "
            "adresserna till fler deltagare, en per rad. Adresserna används bara för utskicket "
            "och sparas inte med enkäten."
        ),
    )
    closes_on = forms.DateField(
        label=_("Sista svarsdag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt för tre veckor från i dag."),
    )


class InternalEvaluationForm(forms.ModelForm):
    goals_met = forms.ChoiceField(
        label=_("Nåddes målen med dialogen?"),
        choices=[("", _("Inte bedömt ännu")), *GoalsMet.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = InternalEvaluation
        fields = [
            "goals_met",
            "goals_comment",
            "representativeness",
            "what_worked",
            "to_improve",
            "resources",
            "summary",
            "publish_summary",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "goals_comment",
                "representativeness",
                "what_worked",
                "to_improve",
                "resources",
                "summary",
            )
        }
        help_texts = {
            "summary": _("Några meningar om hur dialogen gick, som kan visas publikt."),
        }


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Fråga eller påstående"), max_length=300)
    kind = forms.ChoiceField(label=_("Typ"), choices=QuestionKind.choices, widget=forms.RadioSelect)
    required = forms.BooleanField(label=_("Obligatorisk"), required=False)


class IntroForm(forms.Form):
    intro = forms.CharField(
        label=_("Inledning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visas överst i enkäten."),
    )
