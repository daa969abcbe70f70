"""Who may do what with surveys: those who work with the dialogue (its officials, presidium
and process leader, administrators) build surveys, enter paper answers and read results;
anyone reads a published survey and answers it by its rule of who may answer."""

import rules

from torget.accounts.types import Actor
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.surveys.models import Status, Survey


def works_with_survey(user: Actor, survey: Survey) -> bool:
    return can_work_with(user, survey.dialogue)


def sees_survey_staff_pages(user: Actor) -> bool:
    return bool(can_see_staff_pages(user))


def sees_public_survey(survey: Survey) -> bool:
    """A survey is public once published (and stays readable, closed, with its dates)."""
    return survey.status in (Status.PUBLISHED, Status.CLOSED)


@rules.predicate
def _works_with_survey(user: Actor, survey: Survey | None = None) -> bool:
    return survey is not None and works_with_survey(user, survey)


rules.add_perm("surveys.work_with_survey", _works_with_survey)
