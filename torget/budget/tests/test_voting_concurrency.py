"""Votes at the same moment, on PostgreSQL: each thread has its own database connection, so
these are the races of a busy last evening (a double click, a voter with two tabs, many
people voting together)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from torget.budget import voting
from torget.budget.models import Ballot, Phase, VoteMark
from torget.budget.tests.factories import budget_round, project, verification
from torget.testing.identity import verified_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PARALLEL = 8


def _run_all(calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            outcome: object = call()
        except Exception as error:  # noqa: BLE001 (reported by the assertions below)
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _round():
    round = budget_round(phase=Phase.VOTING, amount=1_000)
    for cost in (100, 200, 300, 400):
        project(round, cost)
    return round


def test_parallel_votes_of_one_person_leave_one_mark_and_one_current_ballot(postgres_only):
    round = _round()
    person = verification()
    results = _run_all(
        [
            lambda n=n: voting.vote_cast(round=round, verification=person, choices=[n % 4 + 1])
            for n in range(PARALLEL)
        ]
    )
    assert all(isinstance(result, Ballot) for result in results), results
    assert VoteMark.objects.filter(round=round).count() == 1
    assert Ballot.objects.filter(round=round, superseded=False).count() == 1
    # Every vote was a ballot in turn; all but the last were superseded, none edited.
    assert Ballot.objects.filter(round=round).count() == PARALLEL
    assert voting.voter_count(round) == 1


def test_different_people_voting_together_are_all_counted(postgres_only):
    round = _round()
    people = [verification() for _ in range(PARALLEL)]
    results = _run_all(
        [
            lambda person=person: voting.vote_cast(round=round, verification=person, choices=[1])
            for person in people
        ]
    )
    assert all(isinstance(result, Ballot) for result in results), results
    assert VoteMark.objects.filter(round=round).count() == PARALLEL
    assert Ballot.objects.filter(round=round, superseded=False).count() == PARALLEL
    assert Ballot.objects.filter(round=round).count() == PARALLEL


def test_parallel_confirmations_from_one_browser_count_once(postgres_only):
    round = _round()
    session = verified_session(verification())
    url = reverse("budget:ballot_confirm", args=[round.pk])

    def confirm(choice: int) -> int:
        client = Client()
        client.cookies["sessionid"] = session
        return client.post(url, {"choices": [str(choice)]}).status_code

    results = _run_all([lambda n=n: confirm(n % 4 + 1) for n in range(PARALLEL)])
    assert results == [302] * PARALLEL
    assert VoteMark.objects.filter(round=round).count() == 1
    assert Ballot.objects.filter(round=round, superseded=False).count() == 1
