"""Agrees at the same moment, on PostgreSQL: each thread has its own database connection, so
these are the races of a busy evening (a double click, many people agreeing together)."""

import threading

import pytest
from django.db import connection

from torget.forum import services
from torget.forum.models import Agree, Post
from torget.forum.tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PARALLEL = 10


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


def test_ten_parallel_agrees_by_one_person_count_once(postgres_only):
    forum = factories.forum()
    thread = factories.thread(forum)
    post = factories.post(thread)
    citizen = factories.citizen()
    results = _run_all(
        [lambda: services.post_agree(post=post, actor=citizen) for _ in range(PARALLEL)]
    )
    assert sorted(map(repr, results)) == ["False"] * (PARALLEL - 1) + ["True"]
    assert Agree.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.agree_count == 1
    assert thread.agree_count == 1


def test_ten_people_agreeing_together_are_all_counted(postgres_only):
    forum = factories.forum()
    thread = factories.thread(forum)
    post = factories.post(thread)
    people = [factories.citizen() for _ in range(PARALLEL)]
    results = _run_all(
        [lambda person=person: services.post_agree(post=post, actor=person) for person in people]
    )
    assert results == [True] * PARALLEL
    assert Post.objects.get(pk=post.pk).agree_count == PARALLEL
    thread.refresh_from_db()
    assert thread.agree_count == PARALLEL
