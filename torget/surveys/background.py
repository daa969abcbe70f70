"""The background questions of a survey (age band, area, target groups, gender), asked last
and all optional, so that the results can be compared with the population (DOMAIN §3,
representativeness). Each one can be answered "Vill inte svara". The answers are kept on
the response, never with anything that names the person.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.geo.models import Area
from torget.geo.population import age_band_choices
from torget.surveys.models import Gender, Response, Survey

# The age bands a respondent chooses from: the population statistics' bands (12 and older),
# so that the answers can be compared with the population.
AGE_BAND_CHOICES = age_band_choices()
UNSAID = "vill-inte-svara"
UNSAID_LABEL = _("Vill inte svara")

WHY = _(
    "Frågorna om dig är frivilliga. Vi ställer dem för att se om svaren kommer från alla "
    "grupper och delar av kommunen, eller om några behöver nås på andra sätt. Svaren kan "
    "inte kopplas till dig."
)


def asks_background(survey: Survey) -> bool:
    return survey.ask_age_band or survey.ask_area or survey.ask_target_groups or survey.ask_gender


def area_choices(survey: Survey) -> list[tuple[str, str]]:
    """The dialogue's areas, or every area of the municipality when it names none."""
    areas = list(survey.dialogue.areas.order_by("name").values_list("pk", "name"))
    if not areas:
        areas = list(Area.objects.order_by("name").values_list("pk", "name"))
    return [(str(pk), name) for pk, name in areas]


def target_group_choices(survey: Survey) -> list[tuple[str, str]]:
    """The target groups of the dialogue's plan: the checklist's by code, written-in ones by
    their name."""
    choices = []
    for planned in survey.dialogue.target_groups.select_related("group").order_by("id"):
        if planned.group is not None:
            choices.append((planned.group.code, planned.group.name))
        else:
            choices.append((planned.other, planned.other))
    return choices


class BackgroundForm(forms.Form):
    """The background page: only the questions the survey asks are fields."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        unsaid = [(UNSAID, UNSAID_LABEL)]
        if survey.ask_age_band:
            self.fields["age_band"] = forms.ChoiceField(
                label=_("Hur gammal är du?"),
                choices=[*AGE_BAND_CHOICES, *unsaid],
                widget=forms.RadioSelect,
                required=False,
            )
        if survey.ask_area:
            self.fields["area"] = forms.ChoiceField(
                label=_("Var bor du?"),
                choices=[("", _("Välj område")), *area_choices(survey), *unsaid],
                required=False,
            )
        if survey.ask_target_groups:
            groups = target_group_choices(survey)
            if groups:
                self.fields["target_groups"] = forms.MultipleChoiceField(
                    label=_("Hör du till någon av de här grupperna?"),
                    help_text=_("Välj alla som passar, eller ingen."),
                    choices=[*groups, *unsaid],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
        if survey.ask_gender:
            self.fields["gender"] = forms.ChoiceField(
                label=_("Kön"),
                choices=Gender.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    def clean_target_groups(self) -> list[str]:
        chosen = self.cleaned_data.get("target_groups") or []
        if UNSAID in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                _("Välj grupper eller ”Vill inte svara”, inte båda."), code="unsaid"
            )
        return chosen

    def background(self) -> dict[str, Any]:
        """The answers as `Response` fields: "Vill inte svara" and no answer are both blank
        (neither says anything about the person)."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        if "age_band" in self.fields:
            values["age_band"] = "" if data.get("age_band") == UNSAID else data.get("age_band", "")
        if "area" in self.fields:
            area = data.get("area") or ""
            values["area_id"] = int(area) if area and area != UNSAID else None
        if "target_groups" in self.fields:
            values["target_groups"] = [g for g in data.get("target_groups") or [] if g != UNSAID]
        if "gender" in self.fields:
            values["gender"] = data.get("gender") or ""
        return values


def background_initial(response: Response) -> dict[str, Any]:
    return {
        "age_band": response.age_band,
        "area": str(response.area_id or ""),
        "target_groups": response.target_groups,
        "gender": response.gender,
    }


def background_form(
    survey: Survey, *, data: Any = None, response: Response | None = None, prefix: str | None = None
) -> BackgroundForm:
    initial = background_initial(response) if response is not None else None
    return BackgroundForm(data, survey=survey, initial=initial, prefix=prefix)
