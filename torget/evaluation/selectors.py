"""Reads of the evaluation part: who gets the survey, and its results for staff and public."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from torget.dialogues.models import Dialogue
from torget.evaluation.models import (
    LIKERT_MAX,
    LIKERT_MIN,
    Answer,
    InternalEvaluation,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyTemplate,
    TemplateQuestion,
)
from torget.meetings.selectors import registered_emails

# Fewer answers than this are not summarised publicly: with three respondents a mean says
# too much about each of them.
MIN_PUBLIC_RESPONSES = 5
AGREE_FROM = 4  # 4 and 5 count as agreeing


def participant_emails(dialogue: Dialogue) -> list[str]:
    """Distinct addresses of the active registrations to the dialogue's meetings."""
    return registered_emails(dialogue)


def survey_for(dialogue: Dialogue) -> Survey | None:
    return Survey.objects.filter(dialogue=dialogue).first()


def internal_evaluation_for(dialogue: Dialogue) -> InternalEvaluation | None:
    return InternalEvaluation.objects.filter(dialogue=dialogue).select_related("updated_by").first()


def template_questions(template: SurveyTemplate) -> list[TemplateQuestion]:
    return list(template.questions.order_by("order", "id"))


@dataclass
class QuestionResult:
    question: SurveyQuestion
    # Likert: how many chose each value 1–5, as (value, count, percent of those who chose).
    distribution: list[tuple[int, int, int]] = field(default_factory=list)
    answered: int = 0
    skipped: int = 0
    mean: float | None = None
    agree_share: int | None = None  # percent choosing 4 or 5
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    responses: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> int:
        return round(100 * self.responses / self.invited) if self.invited else 0

    @property
    def likert(self) -> list[QuestionResult]:
        return [r for r in self.questions if r.question.kind == QuestionKind.LIKERT]

    @property
    def free_text(self) -> list[QuestionResult]:
        return [r for r in self.questions if r.question.kind == QuestionKind.TEXT]

    @property
    def public(self) -> bool:
        return self.responses >= MIN_PUBLIC_RESPONSES


def survey_results(survey: Survey, *, with_texts: bool = True) -> SurveyResults:
    """Counts, distribution, mean and share agreeing per question, in a fixed number of
    queries whatever the number of questions and responses."""
    questions = list(survey.questions.order_by("order", "id"))
    responses = survey.responses.count()
    counts: dict[tuple[int, int], int] = {
        (row["question_id"], row["value"]): row["count"]
        for row in Answer.objects.filter(question__survey=survey, value__isnull=False)
        .values("question_id", "value")
        .annotate(count=Count("id"))
        .order_by()
    }
    texts: dict[int, list[str]] = {}
    if with_texts:
        for question_id, text in (
            Answer.objects.filter(question__survey=survey, value__isnull=True)
            .exclude(text="")
            .order_by("response_id", "id")
            .values_list("question_id", "text")
        ):
            texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        result = QuestionResult(question=question)
        if question.kind == QuestionKind.LIKERT:
            values = [
                (value, counts.get((question.pk, value), 0))
                for value in range(LIKERT_MIN, LIKERT_MAX + 1)
            ]
            result.answered = sum(count for _, count in values)
            result.distribution = [
                (value, count, round(100 * count / result.answered) if result.answered else 0)
                for value, count in values
            ]
            if result.answered:
                result.mean = sum(v * c for v, c in values) / result.answered
                agree = sum(c for v, c in values if v >= AGREE_FROM)
                result.agree_share = round(100 * agree / result.answered)
        else:
            result.texts = texts.get(question.pk, [])
            result.answered = len(result.texts)
        result.skipped = responses - result.answered
        results.append(result)
    return SurveyResults(
        survey=survey,
        invited=survey.invitations.count(),
        responses=responses,
        questions=results,
    )


def public_summary(dialogue: Dialogue) -> dict[str, Any] | None:
    """What the public page shows: never a free-text answer, and no figures below
    MIN_PUBLIC_RESPONSES responses. None when there is nothing to show."""
    survey = survey_for(dialogue)
    evaluation = internal_evaluation_for(dialogue)
    summary = evaluation.summary if evaluation and evaluation.publish_summary else ""
    if survey is None and not summary:
        return None
    results = survey_results(survey, with_texts=False) if survey else None
    return {
        "survey": survey,
        "responses": results.responses if results else 0,
        "shown": bool(results and results.public),
        "likert": results.likert if results and results.public else [],
        "min_responses": MIN_PUBLIC_RESPONSES,
        "summary": summary,
    }
