"""Forms of a survey's results pages: a tag on an answer, a result item from a tag, the
summary, and the choice of a cross-table."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.results.forms import ClassifyFields
from torget.results.models import Kind as ItemKind
from torget.surveys.models import AnswerTag, Question
from torget.surveys.results import Background

TAG_MAX = AnswerTag._meta.get_field("name").max_length or 60


class TagForm(forms.Form):
    name = forms.CharField(label=_("Ny tagg"), max_length=TAG_MAX)


class TagItemForm(ClassifyFields):
    """A question or result of the dialogue from the answers with one tag: one of the three
    kinds (a citizen proposal is not made from survey answers)."""

    title = forms.CharField(label=_("Rubrik"), max_length=200)
    field_order = ["title", "kind", "politician"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = (ItemKind.PARTY_POLITICAL, ItemKind.COMMITTEE, ItemKind.SIMPLE)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]  # type: ignore[attr-defined]


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Sammanfattning av resultatet"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Vad visar svaren? Den publicerade sammanfattningen visas på enkätens och "
            "dialogens sidor."
        ),
    )


class CrossForm(forms.Form):
    fraga = forms.TypedChoiceField(label=_("Fråga"), coerce=int, choices=())
    efter = forms.ChoiceField(label=_("Dela upp efter"), choices=())

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fraga"].choices = [(q.pk, q.localized_text) for q in questions]  # type: ignore[attr-defined]
        self.fields["efter"].choices = Background.choices()  # type: ignore[attr-defined]
