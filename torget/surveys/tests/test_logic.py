import pytest

from torget.surveys.logic import condition_met, person_hash, shown_questions
from torget.surveys.models import Kind
from torget.surveys.tests.factories import survey_of_every_kind

pytestmark = pytest.mark.django_db


def test_a_conditional_question_shows_only_after_the_answer_it_depends_on():
    survey = survey_of_every_kind()
    questions = list(survey.questions.select_related("condition_question"))
    yes_no = next(q for q in questions if q.kind == Kind.YES_NO)
    assert len(questions) == 9
    assert len(shown_questions(questions, {})) == 8
    assert len(shown_questions(questions, {yes_no.pk: "nej"})) == 8
    assert len(shown_questions(questions, {yes_no.pk: "ja"})) == 9


@pytest.mark.parametrize(
    ("value", "expected", "met"),
    [
        ("A", "a", True),
        (["B", "C"], "C", True),
        (["B"], "A", False),
        (3, "3", True),
        (None, "ja", False),
    ],
)
def test_condition_values_compare_codes_lists_and_points(value, expected, met):
    assert condition_met(value, expected) is met


def test_the_participation_mark_differs_between_surveys_for_the_same_person():
    first, second = survey_of_every_kind(), survey_of_every_kind()
    assert person_hash(first, "k") != person_hash(second, "k")
    assert person_hash(first, "k") == person_hash(first, "k")
