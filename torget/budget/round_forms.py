"""Forms of a round's staff pages: its set-up and the presidium's approval. The rules are
in services.py; these only parse what was sent."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.budget.models import CountingMethod, ResidenceRule, VotingRule
from torget.budget.services import DEFAULT_MIN_AGE, MAX_MIN_AGE, budget_methods
from torget.core import inputs
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.staff_forms import DateInput
from torget.geo.models import Area
from torget.organisation.models import Administration, Body

TEXT_MAX = 5000
# A sum no municipality's citizen budget reaches; keeps the number inside the column.
AMOUNT_MAX = 10_000_000_000


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Om omgången (frivilligt)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Varför kommunen gör en medborgarbudget och vad pengarna kan användas till."),
    )
    amount = forms.IntegerField(
        label=_("Belopp (kronor)"),
        min_value=1,
        max_value=AMOUNT_MAX,
        help_text=_("Hela summan som invånarna fördelar, i kronor."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Områden (frivilligt)"),
        required=False,
        queryset=Area.objects.order_by("name"),
        help_text=_("Lämna tomt om omgången gäller hela kommunen."),
    )
    criteria = forms.CharField(
        label=_("Kriterier för idéer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Visas för invånarna: vad en idé måste uppfylla, till exempel att den gynnar många, "
            "ligger på kommunens mark och ryms i beloppet."
        ),
    )
    responsible_administration = forms.ModelChoiceField(
        label=_("Ansvarig förvaltning"),
        required=False,
        queryset=Administration.objects.order_by("name"),
        help_text=_("Förvaltningen som granskar, kostnadsberäknar och genomför projekten."),
    )
    min_age = forms.IntegerField(
        label=_("Lägsta ålder för att rösta"),
        min_value=0,
        max_value=MAX_MIN_AGE,
        help_text=_("Ofta 13 år, så att skolelever kan vara med."),
    )
    residence = forms.ChoiceField(
        label=_("Krav på boende"),
        choices=ResidenceRule.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    voting_rule = forms.ChoiceField(
        label=_("Röstningsregel"), choices=VotingRule.choices, widget=forms.RadioSelect
    )
    votes_per_ballot = forms.IntegerField(
        label=_("Antal röster per valsedel"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "Behövs för alla regler utom ”välj projekt inom budgeten”: exakt så många röster, "
            "eller högst så många projekt."
        ),
    )
    counting_method = forms.ChoiceField(
        label=_("Räknemetod"), choices=CountingMethod.choices, widget=forms.RadioSelect
    )
    ideas_open_on = inputs.DateField(label=_("Idéer tas emot från"), widget=DateInput)
    ideas_close_on = inputs.DateField(label=_("Idéer tas emot till och med"), widget=DateInput)
    review_ends_on = inputs.DateField(label=_("Granskningen klar"), widget=DateInput)
    voting_opens_on = inputs.DateField(label=_("Omröstningen öppnar"), widget=DateInput)
    voting_closes_on = inputs.DateField(
        label=_("Omröstningen stänger (sista dagen)"), widget=DateInput
    )
    planned_method = forms.ModelChoiceField(
        label=_("Metod i dialogens plan"),
        required=False,
        queryset=PlannedMethod.objects.none(),
        empty_label=_("Den första medborgarbudgeten i planen"),
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["planned_method"])  # type: ignore[type-arg]
        field.queryset = budget_methods(dialogue)
        field.label_from_instance = _method_label  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            self.initial.setdefault("min_age", DEFAULT_MIN_AGE)
            self.initial.setdefault("residence", ResidenceRule.MUNICIPALITY)
            self.initial.setdefault("voting_rule", VotingRule.KNAPSACK)
            self.initial.setdefault("counting_method", CountingMethod.GREEDY)

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        data["residence"] = data.get("residence") or ""
        data["areas"] = list(data.get("areas") or [])
        return data


def _method_label(method: PlannedMethod) -> str:
    if method.starts_on and method.ends_on:
        return f"{method.method.name} ({method.starts_on:%Y-%m-%d} – {method.ends_on:%Y-%m-%d})"
    return str(method.method.name)


class ApprovalForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ vars presidium godkände upplägget"),
        queryset=Body.objects.order_by("name"),
    )
    names = forms.CharField(
        label=_("Politiker som godkände"),
        max_length=300,
        help_text=_("Till exempel ordförande och vice ordförande: namn och parti."),
    )
    approved_on = inputs.DateField(label=_("Datum"), widget=DateInput)
    reference = forms.CharField(label=_("Diarienummer (frivilligt)"), required=False, max_length=40)


class StepForm(forms.Form):
    """A step with nothing to fill in: the button is the confirmation."""
