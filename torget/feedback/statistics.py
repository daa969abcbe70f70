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
* time to resolution is counted in calendar days (closed_at − created_at), to the nearest
  hour. The database computes each duration in whole hours and counts the cases per value
  (`HoursElapsed`): a year has at most 8,760 distinct values.

Both percentiles come from the resulting histogram (value → number of cases) by linear interpolation
between the closest ranks, the definition of PostgreSQL's percentile_cont, numpy's default
and `statistics.quantiles(method="inclusive")`.
"""

import datetime
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import NotSupportedError
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from torget.core.workdays import working_days_between
from torget.feedback.models import OPINION_KINDS, Case, Category, Kind
from torget.geo.models import Area
from torget.organisation.models import Administration, Unit
from torget.organisation.selectors import municipality_get

DEFAULT_MONTHS = 12
MAX_MONTHS = 60
SHARED_CACHE_SECONDS = 300


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
class UnitResult:
    """The service-level result of one handling unit (the förvaltning itself for cases given
    to no unit): how many cases it handled, how many were answered within the service level
    of those that can be judged, and the median working days to the first answer."""

    unit: str
    administration: str
    count: int
    answered_in_time: int
    service_level_measured: int
    first_response_median: float | None

    @property
    def label(self) -> str:
        return f"{self.unit} ({self.administration})" if self.unit else self.administration

    @property
    def share_in_time(self) -> float | None:
        if not self.service_level_measured:
            return None
        return 100 * self.answered_in_time / self.service_level_measured


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
    per_unit: list[UnitResult]  # the handling unit of each case, with its service level
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


def _ranked(counts: Mapping[Any, int], names: Mapping[Any, str]) -> list[Row]:
    """Rows most first, then by name."""
    rows = [Row(label=names[key], count=count) for key, count in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _per_group(cases: QuerySet[Case], no_area: str) -> dict[str, list[Row]]:
    """Counts per kind, category, area and förvaltning from one scan of the cases table:
    the database counts each combination of ids (a few thousand at most), Python adds them
    up per dimension, and the names of the ids found are read after. Grouped by id, so two
    categories of the same name stay apart."""
    dimensions = {
        "kind": "kind",
        "category": "category_id",
        "area": "area_id",
        "administration": "administration_id",
    }
    counts: dict[str, Counter[Any]] = {name: Counter() for name in dimensions}
    for row in cases.values(*dimensions.values()).annotate(n=Count("pk")).order_by():
        for name, key in dimensions.items():
            counts[name][row[key]] += row["n"]
    kinds = dict(Kind.choices)
    names: dict[str, dict[Any, str]] = {
        "kind": {key: str(kinds.get(key, key)) for key in counts["kind"]},
        "category": dict(
            Category.objects.filter(pk__in=counts["category"]).values_list("pk", "name")
        ),
        "area": dict(Area.objects.filter(pk__in=counts["area"]).values_list("pk", "name")),
        "administration": dict(
            Administration.objects.filter(pk__in=counts["administration"]).values_list("pk", "name")
        ),
    }
    names["area"][None] = no_area
    return {name: _ranked(counts[name], names[name]) for name in dimensions}


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


def _service_level_counts(today: datetime.date) -> dict[str, Any]:
    """Count, answered within the service level, and answered or overdue (what can be
    judged); `cases.values(...)` first to have these per group."""
    return {
        "total": Count("pk"),
        "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
        "in_time": Count("pk", filter=Q(answered_on__lte=F("respond_by"))),
        # Not answered and past the day they should have been: not within, whatever happens.
        "late": Count("pk", filter=Q(first_response_at__isnull=True, respond_by__lt=today)),
    }


def _per_unit(cases: QuerySet[Case], today: datetime.date) -> list[UnitResult]:
    """The service level per handling unit (förvaltning and unit): two grouped queries, one
    for the counts and one for the (received, answered) day pairs of the median, then the
    names of the units found."""
    zone = timezone.get_current_timezone()
    keyed = cases.annotate(answered_on=TruncDate("first_response_at", tzinfo=zone))
    counts = {
        (row["administration_id"], row["unit_id"]): row
        for row in keyed.values("administration_id", "unit_id")
        .annotate(**_service_level_counts(today))
        .order_by()
    }
    histograms: dict[tuple[int, int | None], Counter[float]] = {key: Counter() for key in counts}
    pairs = (
        cases.filter(first_response_at__isnull=False)
        .values(
            "administration_id",
            "unit_id",
            received=TruncDate("created_at", tzinfo=zone),
            answered=TruncDate("first_response_at", tzinfo=zone),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pair in pairs:
        days = working_days_between(pair["received"], pair["answered"])
        histograms[(pair["administration_id"], pair["unit_id"])][days] += pair["n"]
    administrations = dict(
        Administration.objects.filter(pk__in={key[0] for key in counts}).values_list("pk", "name")
    )
    units = dict(
        Unit.objects.filter(pk__in={key[1] for key in counts if key[1]}).values_list("pk", "name")
    )
    results = [
        UnitResult(
            unit=units.get(unit_id, "") if unit_id else "",
            administration=administrations.get(administration_id, ""),
            count=row["total"],
            answered_in_time=row["in_time"],
            service_level_measured=row["answered"] + row["late"],
            first_response_median=percentile(histograms[(administration_id, unit_id)], 0.5),
        )
        for (administration_id, unit_id), row in counts.items()
    ]
    return sorted(results, key=lambda result: (-result.count, result.label))


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


class HoursElapsed(Func):
    """Whole hours from `earlier` to `later` (rounded), computed by the database so that only
    one number per distinct duration travels: PostgreSQL's epoch of the interval, SQLite's
    Julian day numbers (parsed in C, unlike Django's time-zone functions there)."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(F(later), F(earlier))

    def _operands(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return later, earlier, [*later_params, *earlier_params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        later, earlier, params = self._operands(compiler, connection)
        return f"ROUND(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600)::integer", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        later, earlier, params = self._operands(compiler, connection)
        return f"CAST(ROUND((JULIANDAY({later}) - JULIANDAY({earlier})) * 24) AS INTEGER)", params

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        raise NotSupportedError("HoursElapsed is written for PostgreSQL and SQLite.")


def _resolution_histogram(cases: QuerySet[Case]) -> Counter[float]:
    hours = (
        cases.filter(is_open=False, closed_at__isnull=False)
        .values(hours=HoursElapsed("closed_at", "created_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({max(row["hours"], 0) / 24: row["n"] for row in hours})


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
        open=Count("pk", filter=Q(is_open=True)), **_service_level_counts(today)
    )
    groups = _per_group(cases, no_area=_("Utan område"))
    return CaseStatistics(
        start=start,
        end=end,
        total=totals["total"],
        open=totals["open"],
        closed=totals["total"] - totals["open"],
        per_month=_per_month(cases, start, end),
        per_kind=groups["kind"],
        per_category=groups["category"],
        per_area=groups["area"],
        per_administration=groups["administration"],
        per_unit=_per_unit(cases, today),
        first_response_days=durations(_first_response_histogram(cases)),
        resolution_days=durations(_resolution_histogram(cases)),
        answered_in_time=totals["in_time"],
        service_level_measured=totals["answered"] + totals["late"],
        service_level_days=municipality_get().feedback_sla_days,
    )


def case_statistics_shared(
    *, start: datetime.date, end: datetime.date, kind_group: str = ""
) -> CaseStatistics:
    """The figures of the public page, kept in the cache for a few minutes: the page is the
    same for everyone, and a period of a large municipality takes a second to count."""
    key = ":".join(
        [
            "feedback-statistics",
            get_language() or "",
            timezone.localdate().isoformat(),  # what is overdue changes with the day
            start.isoformat(),
            end.isoformat(),
            kind_group,
        ]
    )
    stats: CaseStatistics | None = cache.get(key)
    if stats is None:
        stats = case_statistics(start=start, end=end, kind_group=kind_group)
        cache.set(key, stats, SHARED_CACHE_SECONDS)
    return stats
