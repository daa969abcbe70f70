"""Swedish working days: weekdays that are not public holidays (helgdagar, lag 1989:253) nor
the eves that municipalities keep closed like Sundays (midsommarafton, julafton, nyårsafton).

Service levels ("answered within 5 working days") count with these.
"""

import datetime
from functools import lru_cache


def easter_sunday(year: int) -> datetime.date:
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def _first_weekday_between(
    year: int, month: int, first_day: int, last_day: int, weekday: int
) -> datetime.date:
    for day in range(first_day, last_day + 1):
        date = datetime.date(year, month, day)
        if date.weekday() == weekday:
            return date
    raise AssertionError("unreachable: a 7-day window holds every weekday")


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[datetime.date, str]:
    """The year's non-working days other than Saturdays and Sundays, with their names."""
    easter = easter_sunday(year)
    days = datetime.timedelta
    midsummer_eve = _first_weekday_between(year, 6, 19, 25, 4)  # Friday 19–25 June
    # Alla helgons dag: the Saturday between 31 October and 6 November.
    all_saints = min(
        datetime.date(year, 10, 31) + days(offset)
        for offset in range(7)
        if (datetime.date(year, 10, 31) + days(offset)).weekday() == 5
    )
    return {
        datetime.date(year, 1, 1): "Nyårsdagen",
        datetime.date(year, 1, 6): "Trettondedag jul",
        easter - days(2): "Långfredagen",
        easter: "Påskdagen",
        easter + days(1): "Annandag påsk",
        datetime.date(year, 5, 1): "Första maj",
        easter + days(39): "Kristi himmelsfärdsdag",
        easter + days(49): "Pingstdagen",
        datetime.date(year, 6, 6): "Sveriges nationaldag",
        midsummer_eve: "Midsommarafton",
        midsummer_eve + days(1): "Midsommardagen",
        all_saints: "Alla helgons dag",
        datetime.date(year, 12, 24): "Julafton",
        datetime.date(year, 12, 25): "Juldagen",
        datetime.date(year, 12, 26): "Annandag jul",
        datetime.date(year, 12, 31): "Nyårsafton",
    }


def is_working_day(date: datetime.date) -> bool:
    return date.weekday() < 5 and date not in holidays(date.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days after `start` (which need not be one itself):
    a case received on a Friday evening with 1 day's service level is due on Monday."""
    date = start
    while count > 0:
        date += datetime.timedelta(days=1)
        if is_working_day(date):
            count -= 1
    return date


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    date = start
    while date < end:
        date += datetime.timedelta(days=1)
        if is_working_day(date):
            count += 1
    return count
