"""Age bands (*åldersgrupper*): one definition for the whole site.

The surveys' and consultations' background question, the population figures the municipality
imports and the representativeness tables all use these values, so a respondent's answer and
the population figure for the same band always meet. The bands follow the breaks Swedish
statistics commonly use, with 12–15 on its own: pupils from 12 may answer surveys, and the
younger children (0–11) are in the population figures but never among the respondents.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    # The values are stored (population figures, survey answers) and written in import
    # files: keep them stable.
    CHILD = "0-11", _("0–11 år")
    YOUNG_TEEN = "12-15", _("12–15 år")
    TEEN = "16-19", _("16–19 år")
    YOUNG_ADULT = "20-29", _("20–29 år")
    ADULT = "30-44", _("30–44 år")
    MIDDLE_AGED = "45-64", _("45–64 år")
    SENIOR = "65-79", _("65–79 år")
    ELDERLY = "80+", _("80 år eller äldre")


# Every band, youngest first (the values as stored).
AGE_BANDS: tuple[str, ...] = tuple(AgeBand.values)
# The bands whose people can answer a survey or take part in a consultation: the population
# these are compared with leaves the younger children out.
RESPONDENT_AGE_BANDS: tuple[str, ...] = AGE_BANDS[1:]


def age_band_choices(*, include_children: bool = False) -> list[tuple[str, str | Promise]]:
    """Choices for a form's age question: ("16-19", "16–19 år"), …, youngest first.

    Without `include_children` the 0–11 band is left out (it is not asked of respondents).
    The labels are lazy translations, so call this where the form is built.
    """
    bands = AGE_BANDS if include_children else RESPONDENT_AGE_BANDS
    labels: dict[str, str | Promise] = dict(AgeBand.choices)
    return [(band, labels[band]) for band in bands]


def age_band_label(band: str) -> str:
    """The band's label ("80 år eller äldre"), or the value itself if it is not a band."""
    return str(dict(AgeBand.choices).get(band, band))


def age_band_of(age: int) -> str | None:
    """The band an age in whole years falls in; None for a negative age."""
    if age < 0:
        return None
    for band in reversed(AGE_BANDS):
        low = int(band.split("-")[0].rstrip("+"))
        if age >= low:
            return band
    return None
