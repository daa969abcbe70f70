"""Dialogues whose participation has ended, with registered participants, and a sent survey —
all made through the same services as the pages."""

import datetime
from typing import Any

from django.utils import timezone

from torget.dialogues import services as dialogue_services
from torget.dialogues.models import Dialogue, Method
from torget.dialogues.tests.factories import Cast, opened
from torget.evaluation import services
from torget.evaluation.models import Survey
from torget.meetings.models import Meeting, Registration, RegistrationStatus
from torget.notifications.models import Notification


def compiling(people: Cast, **values: Any) -> Dialogue:
    """A dialogue whose participation has ended (status: results are being compiled)."""
    dialogue = opened(people, **values)
    return dialogue_services.dialogue_step(dialogue=dialogue, step="compile", actor=people.official)


def register(
    dialogue: Dialogue, *emails: str, status: str = RegistrationStatus.REGISTERED
) -> Meeting:
    """A meeting of the dialogue with these registrations (written directly: the meeting is
    in the past, where the registration service would rightly refuse)."""
    starts = timezone.now() - datetime.timedelta(days=20)
    meeting = Meeting.objects.create(
        dialogue=dialogue,
        method=Method.objects.get(code="dialogmote"),
        title="Dialogmöte om skolgården",
        purpose="Samla idéer.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    for number, email in enumerate(emails):
        Registration.objects.create(
            meeting=meeting, name=f"Deltagare {number}", email=email, status=status
        )
    return meeting


def tokens_sent(survey: Survey) -> list[str]:
    """The tokens in the links e-mailed for this survey (from the outbox)."""
    paths = Notification.objects.filter(
        template="evaluation.survey", context__title=survey.dialogue.title
    ).values_list("context__path", flat=True)
    return [path.rstrip("/").rsplit("/", 1)[-1] for path in paths]


def sent_survey(people: Cast, *, invited: int = 3, **values: Any) -> tuple[Survey, list[str]]:
    """A sent survey and the tokens of its links."""
    dialogue = compiling(people, **values)
    emails = [f"deltagare{n}@example.se" for n in range(invited)]
    survey = services.survey_send(dialogue=dialogue, actor=people.official, extra_emails=emails)
    tokens = tokens_sent(survey)
    assert len(tokens) == invited
    return survey, tokens


def likert_answers(survey: Survey, value: int, text: str = "") -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for question in survey.questions.all():
        answers[question.pk] = value if question.is_likert else text
    return answers
