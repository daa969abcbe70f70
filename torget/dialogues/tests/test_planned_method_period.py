"""A planned method's period (PlannedMethod.is_open_on): both days included, and a method
without both dates is not open. The forum and the map ask it whether they take submissions
(their own tests cover that through their services)."""

import datetime

import pytest

from torget.dialogues.models import PlannedMethod

FIRST = datetime.date(2026, 3, 2)
LAST = datetime.date(2026, 3, 29)
ONE_DAY = datetime.timedelta(days=1)


def planned(starts_on: datetime.date | None, ends_on: datetime.date | None) -> PlannedMethod:
    return PlannedMethod(starts_on=starts_on, ends_on=ends_on)


class TestIsOpenOn:
    def test_the_first_day_is_open(self):
        assert planned(FIRST, LAST).is_open_on(FIRST)

    def test_the_last_day_is_open(self):
        assert planned(FIRST, LAST).is_open_on(LAST)

    def test_a_day_in_between_is_open(self):
        assert planned(FIRST, LAST).is_open_on(FIRST + 10 * ONE_DAY)

    def test_the_day_before_the_first_is_closed(self):
        assert not planned(FIRST, LAST).is_open_on(FIRST - ONE_DAY)

    def test_the_day_after_the_last_is_closed(self):
        assert not planned(FIRST, LAST).is_open_on(LAST + ONE_DAY)

    def test_a_one_day_period_is_open_on_that_day_only(self):
        method = planned(FIRST, FIRST)
        assert method.is_open_on(FIRST)
        assert not method.is_open_on(FIRST - ONE_DAY)
        assert not method.is_open_on(FIRST + ONE_DAY)

    @pytest.mark.parametrize(
        ("starts_on", "ends_on"),
        [(None, LAST), (FIRST, None), (None, None)],
        ids=["no-start", "no-end", "no-dates"],
    )
    def test_a_method_without_both_dates_is_closed_every_day(self, starts_on, ends_on):
        method = planned(starts_on, ends_on)
        for day in (FIRST - ONE_DAY, FIRST, FIRST + 10 * ONE_DAY, LAST, LAST + ONE_DAY):
            assert not method.is_open_on(day)
