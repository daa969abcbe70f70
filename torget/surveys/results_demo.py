"""Demo data for survey results: plausible submitted responses for the demo surveys that
have none, and a published summary for one closed survey. Does nothing where the demo has
no survey. Registered from `SurveysConfig.ready()` (the survey demo itself is `demo.py`)."""

import random
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.geo.population import RESPONDENT_AGE_BANDS
from torget.surveys import results_services
from torget.surveys.models import (
    Answer,
    Gender,
    Kind,
    Response,
    ResponseStatus,
    Source,
    Status,
    Survey,
)

RESPONSES = 150
AGE_BANDS = RESPONDENT_AGE_BANDS
TEXTS = (
    "Bättre belysning på kvällarna.",
    "Fler bänkar i skuggan.",
    "Det behövs en säkrare övergång vid skolan.",
    "Mer grönska och träd.",
    "Cykelparkering med tak.",
    "Lekplatsen är sliten.",
    "Bra att ni frågar!",
    "Papperskorgar töms för sällan.",
)
SUMMARY = (
    "De flesta som svarade vill ha bättre belysning och fler platser att sitta på. Unga "
    "svarade mindre än andra; vi frågar dem igen på skolan."
)


def _value(question: Any, rng: random.Random) -> dict[str, Any] | None:
    codes = [option.code for option in question.options.all()]
    kind = question.kind
    if kind == Kind.SINGLE and codes:
        return {"value": rng.choice(codes)}
    if kind == Kind.MULTIPLE and codes:
        limit = min(question.max_choices or len(codes), len(codes))
        return {"value": sorted(rng.sample(codes, rng.randint(1, limit)))}
    if kind == Kind.RANKING and codes:
        return {"value": rng.sample(codes, len(codes))}
    if kind == Kind.SCALE:
        return {"value": rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 5, 3])[0]}
    if kind == Kind.NUMBER:
        low, high = question.number_min or 0, question.number_max or 100
        return {"value": rng.randint(low, high)}
    if kind == Kind.YES_NO:
        return {"value": rng.choice(["ja", "ja", "nej"])}
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return {"text": rng.choice(TEXTS)} if rng.random() < 0.6 else None
    if kind == Kind.PLACE:
        if rng.random() < 0.5:
            return None
        return {"lat": 59.33 + rng.uniform(-0.02, 0.02), "lon": 18.06 + rng.uniform(-0.03, 0.03)}
    return None


def fill(survey: Survey, *, count: int, context: DemoContext | None = None, seed: int = 0) -> int:
    """`count` submitted responses with background answers, written with the ORM."""
    rng = random.Random(seed or survey.pk)  # noqa: S311 (plausible demo answers, no secret)
    questions = list(survey.questions.prefetch_related("options"))
    areas = list(context.areas.values() if context else [])
    today = timezone.localdate()
    responses = [
        Response(
            survey=survey,
            status=ResponseStatus.SUBMITTED,
            source=rng.choices([Source.WEB, Source.PAPER, Source.SMS], weights=[8, 2, 1])[0],
            started_on=today,
            submitted_on=today,
            age_band=rng.choice(AGE_BANDS) if survey.ask_age_band and rng.random() < 0.9 else "",
            area=rng.choice(areas) if survey.ask_area and areas and rng.random() < 0.9 else None,
            gender=rng.choice(list(Gender.values)) if survey.ask_gender else "",
        )
        for _ in range(count)
    ]
    Response.objects.bulk_create(responses)
    answers = []
    for made in responses:
        for question in questions:
            fields = _value(question, rng)
            if fields is not None:
                answers.append(
                    Answer(
                        response=made,
                        question=question,
                        question_version=question.version,
                        **fields,
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    if survey.locked_at is None:
        Survey.objects.filter(pk=survey.pk).update(locked_at=timezone.now())
    return count + len(answers)


@demo.register("survey-results", after=["accounts", "geo", "surveys"])
def load(context: DemoContext) -> None:
    surveys = Survey.objects.filter(status__in=(Status.PUBLISHED, Status.CLOSED)).order_by("pk")
    for survey in surveys:
        if survey.questions.exists() and not survey.responses.exists():
            context.changes += fill(survey, count=RESPONSES, context=context)
    closed = surveys.filter(status=Status.CLOSED).first()
    if closed is not None and not closed.summary_published_at:
        results_services.summary_save(
            survey=closed,
            actor=context.users[Role.OFFICIAL],
            text=closed.summary or SUMMARY,
            publish=True,
        )
        context.changes += 1
