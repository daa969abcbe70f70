"""One link, many submits at the same moment (a double click, a reloaded tab, a script): the
answers are stored exactly once. Real parallel HTTP requests against the live server, each in
its own thread with its own database connection, on PostgreSQL."""

import threading

import pytest
import requests
from django.urls import reverse

from torget.evaluation.models import Answer, Invitation, QuestionKind, Response
from torget.evaluation.tests.factories import sent_survey
from torget.testing.identity import csrf_secret

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PARALLEL = 30


def test_parallel_submits_of_one_link_store_one_response(postgres_only, live_server, people):
    survey, tokens = sent_survey(people, invited=2)
    url = live_server.url + reverse("evaluation:answer", kwargs={"token": tokens[0]})
    data = {
        f"q{q.pk}": ("4" if q.kind == QuestionKind.LIKERT else "Bra.")
        for q in survey.questions.all()
    }
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        secret = csrf_secret()
        barrier.wait()
        response = requests.post(
            url,
            data={**data, "csrfmiddlewaretoken": secret},
            cookies={"csrftoken": secret},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302] + [410] * (PARALLEL - 1)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == survey.questions.count()
    assert Invitation.objects.filter(used=True).count() == 1
