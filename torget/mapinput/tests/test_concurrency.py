"""Agree once under real concurrency on PostgreSQL: one person pressing "Jag håller med" ten
times at once counts once (the unique constraint, the loser's IntegrityError in a savepoint)."""

import threading

import pytest
from django.db import connection

from torget.mapinput import services
from torget.mapinput.models import Agree
from torget.mapinput.tests.factories import citizen, map_, point

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PARALLEL = 10


def test_ten_parallel_agrees_by_one_person_count_once(postgres_only):
    p = point(map_())
    person = citizen()
    barrier = threading.Barrier(PARALLEL)
    results: list[object] = []
    lock = threading.Lock()

    def agree() -> None:
        try:
            barrier.wait()
            outcome: object = services.point_agree(point=p, actor=person)
        except Exception as error:  # noqa: BLE001 (reported below)
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=agree) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == sorted(["True"] + ["False"] * (PARALLEL - 1))
    assert Agree.objects.filter(point=p).count() == 1
    p.refresh_from_db()
    assert p.agree_count == 1
