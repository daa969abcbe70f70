"""Reads of the safety part: survey trends per area and question, and the citizens'
promise with its follow-ups per tertial and party. Everything here is public."""

import dataclasses
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from torget.safety import charts
from torget.safety.models import (
    CitizensPromise,
    Commitment,
    FollowUp,
    Party,
    SurveyAnswer,
    SurveyResult,
    Tertial,
    tertial_of,
)


@dataclasses.dataclass
class QuestionTrend:
    """One question's shares per option and year in one area, and its chart."""

    area: Any
    question: str
    years: list[int]
    options: list[str]
    shares: dict[str, dict[int, Decimal | None]]
    chart_id: str

    @property
    def rows(self) -> list[tuple[str, list[Decimal | None]]]:
        return [
            (option, [self.shares[option].get(year) for year in self.years])
            for option in self.options
        ]

    @property
    def svg(self) -> str:
        return charts.trend_chart(self)


@dataclasses.dataclass
class AreaTrends:
    area: Any
    questions: list[QuestionTrend]


def survey_trends(area: Any = None) -> list[AreaTrends]:
    """The trends of every area with results (or of `area`), in two queries."""
    results = SurveyResult.objects.select_related("area").order_by("area__name", "year")
    if area is not None:
        results = results.filter(area=area)
    results_list = list(results)
    if not results_list:
        return []
    answers = SurveyAnswer.objects.filter(result__in=results_list).order_by(
        "result__year", "position"
    )
    by_result: dict[int, list[SurveyAnswer]] = defaultdict(list)
    for answer in answers:
        by_result[answer.result_id].append(answer)
    trends: list[AreaTrends] = []
    by_area: dict[int, list[SurveyResult]] = defaultdict(list)
    areas = {}
    for result in results_list:
        by_area[result.area_id].append(result)
        areas[result.area_id] = result.area
    for area_pk, area_results in by_area.items():
        questions: dict[str, dict[str, dict[int, Decimal | None]]] = {}
        years = [result.year for result in area_results]
        for result in area_results:
            for answer in by_result[result.pk]:
                options = questions.setdefault(answer.question, {})
                options.setdefault(answer.option, {})[result.year] = answer.share
        trends.append(
            AreaTrends(
                area=areas[area_pk],
                questions=[
                    QuestionTrend(
                        area=areas[area_pk],
                        question=question,
                        years=years,
                        options=list(options),
                        shares=options,
                        chart_id=f"trend-{area_pk}-{index}",
                    )
                    for index, (question, options) in enumerate(questions.items())
                ],
            )
        )
    trends.sort(key=lambda t: t.area.name)
    return trends


def survey_results() -> QuerySet[SurveyResult]:
    return SurveyResult.objects.select_related("area", "imported_by").order_by(
        "area__name", "-year"
    )


def promises() -> QuerySet[CitizensPromise]:
    return CitizensPromise.objects.order_by("-valid_from", "pk")


def current_promise() -> CitizensPromise | None:
    """The promise in force today, else the latest one."""
    today = timezone.localdate()
    found = promises().filter(valid_from__lte=today, valid_to__gte=today).first()
    return found or promises().first()


@dataclasses.dataclass
class CommitmentFollowUps:
    commitment: Commitment
    # Per tertial (in order): {party: FollowUp or None}
    tertials: list[tuple[Tertial, dict[str, FollowUp | None]]]


@dataclasses.dataclass
class PromiseFollowUps:
    promise: CitizensPromise
    tertials: list[Tertial]
    commitments: list[CommitmentFollowUps]
    # Tertials that have ended and still lack a party's follow-up of some commitment.
    missing: list[tuple[Tertial, str]]


def promise_follow_ups(promise: CitizensPromise) -> PromiseFollowUps:
    """Each commitment's follow-ups per tertial and party, in two queries."""
    today = timezone.localdate()
    tertials = promise.tertials()
    current = tertial_of(today)
    commitments = list(
        promise.commitments.prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.all(), to_attr="all_follow_ups")
        )
    )
    shown = [t for t in tertials if t <= current] or tertials[:1]
    rows: list[CommitmentFollowUps] = []
    missing: set[tuple[Tertial, str]] = set()
    for commitment in commitments:
        found = {(f.year, f.tertial, f.party): f for f in commitment.all_follow_ups}
        per_tertial = []
        for tertial in shown:
            parties = {
                party.value: found.get((tertial.year, tertial.number, party.value))
                for party in Party
            }
            per_tertial.append((tertial, parties))
            if tertial.last_day < today:
                for party, follow_up in parties.items():
                    if follow_up is None:
                        missing.add((tertial, str(Party(party).label)))
        rows.append(CommitmentFollowUps(commitment=commitment, tertials=per_tertial))
    return PromiseFollowUps(
        promise=promise, tertials=shown, commitments=rows, missing=sorted(missing)
    )


def public_promise(pk: int) -> CitizensPromise:
    return get_object_or_404(CitizensPromise, pk=pk)


def access_promise(pk: int) -> CitizensPromise:
    return get_object_or_404(CitizensPromise, pk=pk)
