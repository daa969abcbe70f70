import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from torget.evaluation import selectors, services
from torget.evaluation.tests.factories import likert_answers, sent_survey

pytestmark = pytest.mark.django_db


def _queries(survey) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.survey_results(survey)
    return len(captured)


def test_results_take_the_same_queries_for_one_response_or_many(people):
    survey, tokens = sent_survey(people, invited=8)
    services.response_submit(token=tokens[0], answers=likert_answers(survey, 3, "Ett"))
    few = _queries(survey)
    for token in tokens[1:]:
        services.response_submit(token=token, answers=likert_answers(survey, 5, "Fler"))
    assert _queries(survey) == few <= 5


def test_means_and_shares(people):
    survey, tokens = sent_survey(people, invited=4)
    for token, value in zip(tokens, (1, 2, 4, 5), strict=True):
        services.response_submit(token=token, answers=likert_answers(survey, value))
    results = selectors.survey_results(survey)
    first = results.likert[0]
    assert results.responses == 4 and results.rate == 100
    assert first.mean == 3 and first.agree_share == 50
    assert [count for _value, count, _percent in first.distribution] == [1, 1, 0, 1, 1]
    assert not results.public  # fewer than five
