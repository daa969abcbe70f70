"""The ballot as a form: checkboxes (or a place for each project when the rule is ranking),
checked against the round's rule by `voting.ballot_check`, so that what the form accepts is
exactly what the vote accepts. Works without JavaScript; the budget meter only helps."""

import dataclasses
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.budget import voting
from torget.budget.models import BudgetRound, Idea, ResidenceRule, VotingRule
from torget.geo.population import age_band_choices
from torget.proposals.staff_forms import IdentityCheckMixin

RANK_PREFIX = "plats-"


@dataclasses.dataclass(frozen=True)
class ProjectChoice:
    """A project as one option on the ballot: the idea and its cost in words."""

    idea: Idea
    cost: str

    def __str__(self) -> str:
        return f"{self.idea.title} ({self.cost})"


class ProjectCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that carry each project's cost for the budget meter (meter.js) and point to
    the project's description for screen readers."""

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> Any:
        option = super().create_option(name, value, label, *args, **kwargs)
        if isinstance(label, ProjectChoice):
            option["attrs"]["data-cost"] = label.idea.cost or 0
            option["attrs"]["aria-describedby"] = f"projekt-{label.idea.number}-om"
        return option


def _area_names(round: BudgetRound) -> str:
    return ", ".join(area.name for area in round.areas.all())


class BallotForm(forms.Form):
    """The voter's choices. `projects` are idea numbers; for ranking each project has a
    select `plats-<number>` and the choices are the projects given a place, in that order."""

    projects = forms.TypedMultipleChoiceField(
        label=_("Projekt"), coerce=int, required=False, widget=ProjectCheckboxes
    )
    lives_in_area = forms.BooleanField(label=_("Jag bor i området"), required=False)
    # Optional background (representativeness): kept on the has-voted mark, never the ballot.
    age_band = forms.ChoiceField(
        label=_("Hur gammal är du? (frivilligt)"),
        help_text=_(
            "Vi frågar för att se om alla åldrar röstar. Svaret sparas inte med din valsedel."
        ),
        required=False,
    )

    def __init__(self, *args: Any, round: BudgetRound, ideas: list[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.ideas = ideas
        self.projects_total = 0
        self.chosen: list[Idea] = []
        self.options = [ProjectChoice(idea, voting.kronor(idea.cost or 0)) for idea in ideas]
        cast(forms.ChoiceField, self.fields["projects"]).choices = [
            (o.idea.number, o) for o in self.options
        ]
        cast(forms.ChoiceField, self.fields["age_band"]).choices = [
            ("", _("Vill inte svara")),
            *age_band_choices(),
        ]
        if round.residence != ResidenceRule.AREA:
            del self.fields["lives_in_area"]
        else:
            self.fields["lives_in_area"].help_text = _(
                "Omgången gäller den som bor i: %(areas)s."
            ) % {"areas": _area_names(round) or _("området")}
        if self.ranked:
            places = min(round.votes_per_ballot or len(ideas), len(ideas))
            self.places = list(range(1, places + 1))
            for idea in ideas:
                self.fields[f"{RANK_PREFIX}{idea.number}"] = forms.TypedChoiceField(
                    label=_("Plats för %(title)s") % {"title": idea.title},
                    choices=[("", _("Ingen plats"))] + [(p, str(p)) for p in self.places],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )

    @property
    def ranked(self) -> bool:
        return self.round.voting_rule == VotingRule.RANKING

    def rank_fields(self) -> list[tuple[ProjectChoice, forms.BoundField]]:
        return [(o, self[f"{RANK_PREFIX}{o.idea.number}"]) for o in self.options]

    def choice_numbers(self) -> list[int]:
        if not self.ranked:
            return list(self.cleaned_data.get("projects") or [])
        ranked: list[tuple[int, int]] = []
        for idea in self.ideas:
            place = self.cleaned_data.get(f"{RANK_PREFIX}{idea.number}")
            if place is not None:
                ranked.append((place, idea.number))
        places = [place for place, _number in ranked]
        if len(set(places)) != len(places):
            raise ValidationError(
                _("Två projekt har fått samma plats. Ge varje projekt en egen plats."),
                code="same_place",
            )
        return [number for _place, number in sorted(ranked)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ballot_fields = ["projects"] + [f"{RANK_PREFIX}{idea.number}" for idea in self.ideas]
        if not any(name in self.errors for name in ballot_fields):
            try:
                numbers = self.choice_numbers()
                self.chosen, self.projects_total = voting.ballot_check(self.round, numbers)
            except ValidationError as error:
                self.add_error(None, error)
        if self.round.residence == ResidenceRule.AREA and not cleaned.get("lives_in_area"):
            self.add_error(
                "lives_in_area",
                _("Den här omgången gäller den som bor i området. Intyga att du bor där."),
            )
        return cleaned


class ConfirmForm(forms.Form):
    """What the confirmation page carries back: the choices in order, and the statement."""

    choices = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    lives_in_area = forms.BooleanField(required=False, widget=forms.HiddenInput)
    age_band = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, ideas: list[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choices"]).choices = [
            (idea.number, idea.title) for idea in ideas
        ]
        cast(forms.ChoiceField, self.fields["age_band"]).choices = [("", ""), *age_band_choices()]


class AssistedVoteForm(IdentityCheckMixin, BallotForm):
    """A vote given at a service desk or by phone, registered by staff for the citizen."""

    field_order = ["pin", "evidence", "evidence_detail"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "lives_in_area" in self.fields:
            self.fields["lives_in_area"].label = _("Invånaren intygar att hen bor i området")
