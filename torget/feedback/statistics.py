"""Fråge- och lösningsstatistik (seed 000): how many cases came in, of what kind, where and to
whom, how fast they were answered and resolved, and how many were answered within the
service level.

Only anonymous aggregates are read: the columns the figures need, never the reporter's data,
so the figures are the same before and after the retention rule (gallring) has removed the
personal data of old cases. Merged duplicates are left out of every figure: the case they
were merged into is counted once.

Percentiles are computed in Python, the same way on SQLite and PostgreSQL, without holding one
value per case in memory:

* time to first response is counted in working days (the service level is in working days).
  The database groups the answered cases by (day received, day answered) and counts each
  pair; a year of cases has a few thousand distinct pairs however many cases there are, and
  the working days between the two days of each pair are counted once.
* time to resolution is counted in calendar days (closed_at − created_at). The two columns
  are streamed in chunks and each duration is added, rounded to the hour, to a histogram.

Both percentiles come from the histogram (value → number of cases) by linear interpolation
between the closest ranks, the definition of PostgreSQL's percentile_cont, numpy's default
and `statistics.quantiles(method="inclusive")`.
"""

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.core.workdays import working_days_between
from torget.feedback.models import OPINION_KINDS, Case, Kind
from torget.organisation.selectors import municipality_get

DEFAULT_MONTHS = 12
MAX_MONTHS = 60
CHUNK = 5000


class KindGroup:
    """The kind filter: opinions (the four kinds) or fault reports. Values are URL slugs."""

    OPINIONS = "synpunkter"
    FAULTS = "felanmalan"

    @staticmethod
    def kinds(group: str) -> tuple[str, ...]:
        if group == KindGroup.OPINIONS:
            return tuple(str(kind) for kind in OPINION_KINDS)
        if group == KindGroup.FAULTS:
            return (str(Kind.FAULT),)
        return ()


@dataclass(frozen=True)
class Row:
    """One line of a count table: what was counted and how many."""

    label: str
    count: int


@dataclass(frozen=True)
class Durations:
    """How long something took: how many cases were measured, the median and the 90th
    percentile (nine in ten cases took at most this long). None when nothing was measured."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class CaseStatistics:
    start: datetime.date  # first day of the first month
    end: datetime.date  # last day of the last month
    total: int
    open: int
    closed: int
    per_month: list[tuple[datetime.date, int]]  # every month of the period, zeros too
    per_kind: list[Row]
    per_category: list[Row]
    per_area: list[Row]
    per_administration: list[Row]
    first_response_days: Durations  # working days
    resolution_days: Durations  # calendar days
    answered_in_time: int
    service_level_measured: int  # answered, plus unanswered ones past their due day
    service_level_days: int

    @property
    def share_in_time(self) -> float | None:
        """Percent answered within the service level; None when nothing can be judged yet."""
        if not self.service_level_measured:
            return None
        return 100 * self.answered_in_time / self.service_level_measured


# --- Periods ---------------------------------------------------------------------------------


def month_start(date: datetime.date) -> datetime.date:
    return date.replace(day=1)


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the month of `date`."""
    index = date.year * 12 + date.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(date: datetime.date) -> datetime.date:
    return add_months(date, 1) - datetime.timedelta(days=1)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months, this month included."""
    today = today or timezone.localdate()
    return add_months(today, -(DEFAULT_MONTHS - 1)), month_end(today)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from start's to end's, both included."""
    months = []
    month = month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


# --- Percentiles -----------------------------------------------------------------------------


def percentile(histogram: Mapping[float, int], fraction: float) -> float | None:
    """The `fraction` quantile (0.5 = median) of the values counted in `histogram`, by linear
    interpolation between the closest ranks; None for an empty histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    position = (total - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > below:
            low = value
        if seen > above:
            high = value
            break
    assert low is not None and high is not None  # noqa: S101 — ranks lie within the total
    return low + (high - low) * (position - below)


def durations(histogram: Mapping[float, int]) -> Durations:
    return Durations(
        count=sum(histogram.values()),
        median=percentile(histogram, 0.5),
        p90=percentile(histogram, 0.9),
    )


# --- Figures ---------------------------------------------------------------------------------


def cases_counted(
    *,
    start: datetime.date,
    end: datetime.date,
    kind_group: str = "",
    administration_id: int | None = None,
) -> QuerySet[Case]:
    """The cases the statistics count: received from start to end (local days, both
    included), merged duplicates left out."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    cases = Case.objects.filter(
        merged_into__isnull=True, created_at__gte=since, created_at__lt=until
    )
    kinds = KindGroup.kinds(kind_group)
    if kinds:
        cases = cases.filter(kind__in=kinds)
    if administration_id is not None:
        cases = cases.filter(administration_id=administration_id)
    return cases.order_by()


def _rows(cases: QuerySet[Case], key: str, label: str, empty: str) -> list[Row]:
    """Counts grouped by `key` (so two categories of the same name stay apart), most first."""
    counted = (
        cases.values(group=F(key), name=F(label)).annotate(n=Count("pk")).order_by("-n", "name")
    )
    return [Row(label=row["name"] or empty, count=row["n"]) for row in counted]


def _per_month(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, int]]:
    zone = timezone.get_current_timezone()
    counts: dict[datetime.date, int] = {}
    rows = cases.annotate(month=TruncMonth("created_at", tzinfo=zone)).values("month")
    for row in rows.annotate(n=Count("pk")).order_by("month"):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month, zone) if timezone.is_aware(month) else month
            month = month.date()
        counts[month] = counts.get(month, 0) + row["n"]
    return [(month, counts.get(month, 0)) for month in months_between(start, end)]


def _first_response_histogram(cases: QuerySet[Case]) -> Counter[float]:
    zone = timezone.get_current_timezone()
    pairs = (
        cases.filter(first_response_at__isnull=False)
        .values(
            received=TruncDate("created_at", tzinfo=zone),
            answered=TruncDate("first_response_at", tzinfo=zone),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    histogram: Counter[float] = Counter()
    for pair in pairs:
        histogram[working_days_between(pair["received"], pair["answered"])] += pair["n"]
    return histogram


def _resolution_histogram(cases: QuerySet[Case]) -> Counter[float]:
    histogram: Counter[float] = Counter()
    closed: Iterable[tuple[datetime.datetime, datetime.datetime | None]] = (
        cases.filter(is_open=False, closed_at__isnull=False)
        .values_list("created_at", "closed_at")
        .iterator(chunk_size=CHUNK)
    )
    for created_at, closed_at in closed:
        if closed_at is None:  # excluded by the filter; for the type checker
            continue
        hours = max(round((closed_at - created_at).total_seconds() / 3600), 0)
        histogram[hours] += 1
    return Counter({hours / 24: count for hours, count in histogram.items()})


def case_statistics(
    *,
    start: datetime.date,
    end: datetime.date,
    kind_group: str = "",
    administration_id: int | None = None,
    today: datetime.date | None = None,
) -> CaseStatistics:
    """Every figure of the statistics pages and the CSV export for one period (about ten
    queries whatever the number of cases)."""
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    cases = cases_counted(
        start=start, end=end, kind_group=kind_group, administration_id=administration_id
    )
    totals = cases.annotate(answered_on=TruncDate("first_response_at", tzinfo=zone)).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(is_open=True)),
        answered=Count("pk", filter=Q(first_response_at__isnull=False)),
        in_time=Count("pk", filter=Q(answered_on__lte=F("respond_by"))),
        # Not answered and past the day they should have been: not within, whatever happens.
        late=Count("pk", filter=Q(first_response_at__isnull=True, respond_by__lt=today)),
    )
    kinds = dict(Kind.choices)
    return CaseStatistics(
        start=start,
        end=end,
        total=totals["total"],
        open=totals["open"],
        closed=totals["total"] - totals["open"],
        per_month=_per_month(cases, start, end),
        per_kind=[
            Row(label=str(kinds.get(row.label, row.label)), count=row.count)
            for row in _rows(cases, "kind", "kind", "")
        ],
        per_category=_rows(cases, "category_id", "category__name", ""),
        per_area=_rows(cases, "area_id", "area__name", _("Utan område")),
        per_administration=_rows(cases, "administration_id", "administration__name", ""),
        first_response_days=durations(_first_response_histogram(cases)),
        resolution_days=durations(_resolution_histogram(cases)),
        answered_in_time=totals["in_time"],
        service_level_measured=totals["answered"] + totals["late"],
        service_level_days=municipality_get().feedback_sla_days,
    )
