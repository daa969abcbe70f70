import threading

import pytest
from django.db import connection, transaction

from torget.organisation.models import DiaryNumber
from torget.organisation.services import diary_number_for_body, diary_number_next
from torget.organisation.tests.factories import BodyFactory


@pytest.mark.django_db
class TestDiaryNumber:
    def test_numbers_count_up_per_prefix_and_year(self):
        assert str(diary_number_next(prefix="KS", year=2026)) == "KS 2026/1"
        assert str(diary_number_next(prefix="KS", year=2026)) == "KS 2026/2"
        assert str(diary_number_next(prefix="SBN", year=2026)) == "SBN 2026/1"
        assert str(diary_number_next(prefix="KS", year=2027)) == "KS 2027/1"

    def test_the_body_abbreviation_is_the_prefix(self):
        body = BodyFactory(abbreviation="BUN")
        number = diary_number_for_body(body=body, title="Medborgarförslag om lekplats")
        assert str(number).startswith("BUN ")
        assert number.title == "Medborgarförslag om lekplats"

    def test_a_rolled_back_case_gives_its_number_back(self):
        diary_number_next(prefix="KS", year=2026)
        with pytest.raises(RuntimeError), transaction.atomic():
            diary_number_next(prefix="KS", year=2026)
            raise RuntimeError("the case was not saved")
        assert str(diary_number_next(prefix="KS", year=2026)) == "KS 2026/2"

    def test_prefix_is_normalised(self):
        assert str(diary_number_next(prefix=" ks ", year=2026)) == "KS 2026/1"

    def test_a_prefix_is_required(self):
        with pytest.raises(ValueError, match="prefix"):
            diary_number_next(prefix="  ")


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_get_gapless_unique_numbers(postgres_only):
    """20 threads, each its own connection and transaction, ask for a number at once."""
    workers = 20
    barrier = threading.Barrier(workers)
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def take() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                number = diary_number_next(prefix="KS", year=2026)
            with lock:
                results.append(number.serial)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, workers + 1))
    assert DiaryNumber.objects.count() == workers
