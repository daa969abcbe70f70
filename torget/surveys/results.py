"""Reads of a survey's results: respondents, counts per question, cross-tables, free text,
places and representativeness.

Only submitted responses count. Answers are counted under the question, all its wordings
together; the result says how many answered each wording, so that a reader knows when the
wording changed. Everything is aggregated in the database (`values()` + `Count`): the Python
loops below walk distinct values (an option, a scale point, a combination of options), never
the answers one by one, so a survey of 10,000 responses costs the same few queries as one
of ten.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from torget.geo.models import Area
from torget.geo.population import age_band_label
from torget.geo.selectors import Representativeness
from torget.geo.selectors import representativeness as compare_with_population
from torget.surveys.models import (
    SCALE_POINTS,
    Answer,
    AnswerTag,
    Gender,
    Kind,
    Question,
    Response,
    ResponseStatus,
    Source,
    Status,
    Survey,
)

# Kinds counted by their value (one value, or a list of option codes).
COUNTED_KINDS = frozenset(
    {Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.NUMBER, Kind.YES_NO, Kind.RANKING}
)
TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
# The kinds a cross-table can break down: their answers are a few fixed values.
CROSS_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.YES_NO})
YES, NO = "ja", "nej"


class Background:
    """The background questions a cross-table can break answers down by (GET `efter=`)."""

    AGE_BAND = "alder"
    AREA = "omrade"
    GENDER = "kon"
    TARGET_GROUP = "malgrupp"

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [
            (cls.AGE_BAND, _("Åldersgrupp")),
            (cls.AREA, _("Område")),
            (cls.GENDER, _("Kön")),
            (cls.TARGET_GROUP, _("Målgrupp")),
        ]


def submitted(survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)


def submitted_answers(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(response__survey=survey, response__status=ResponseStatus.SUBMITTED)


# --- Respondents -------------------------------------------------------------------------------


@dataclasses.dataclass
class Respondents:
    total: int
    by_source: list[tuple[str, int]]  # (label, count) for web, paper and SMS, zeros too


def respondents(survey: Survey) -> Respondents:
    counts = dict(
        submitted(survey)
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    by_source = [(str(source.label), counts.get(source.value, 0)) for source in Source]
    return Respondents(total=sum(counts.values()), by_source=by_source)


# --- Counts per question -----------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    label: str
    count: int
    share: float = 0.0  # of those who answered the question, 0–100

    @property
    def percent(self) -> str:
        return f"{self.share:.0f}"


@dataclasses.dataclass
class RankRow:
    label: str
    mean_rank: float | None  # among those who ranked it
    first: int  # times ranked first
    points: int  # Borda points: see `_ranking`


@dataclasses.dataclass
class NumberStats:
    count: int
    minimum: float
    maximum: float
    mean: float
    median: float


@dataclasses.dataclass
class QuestionResult:
    question: Question
    number: int  # its number in the survey, 1, 2, …
    answered: int
    rows: list[Row] = dataclasses.field(default_factory=list)
    ranks: list[RankRow] = dataclasses.field(default_factory=list)
    mean: float | None = None  # scale
    median: float | None = None  # scale
    stats: NumberStats | None = None  # number
    # The wordings answered: (version number, wording, answers) when the wording changed.
    versions: list[tuple[int, str, int]] = dataclasses.field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def chart_rows(self) -> list[Row]:
        return self.rows

    @property
    def has_chart(self) -> bool:
        return bool(self.rows) and any(row.count for row in self.rows)


def _code(value: Any) -> str:
    return str(value).strip()


def _weighted_median(frequencies: Mapping[float, int]) -> float | None:
    total = sum(frequencies.values())
    if not total:
        return None
    ordered = sorted(frequencies.items())

    def at(position: int) -> float:  # 0-based position in the sorted answers
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        return ordered[-1][0]

    if total % 2:
        return at(total // 2)
    return (at(total // 2 - 1) + at(total // 2)) / 2


def _shares(rows: list[Row], answered: int) -> list[Row]:
    for row in rows:
        row.share = 100 * row.count / answered if answered else 0.0
    return rows


def _ranking(question: Question, combos: Mapping[str, tuple[list[str], int]]) -> list[RankRow]:
    """Mean rank (1 is first) among those who ranked the option, times ranked first, and
    Borda points: with k options, the first place gives k points, the second k−1, …, and an
    option left unranked none. The list is ordered by points, most first."""
    options = list(question.options.all())
    k = len(options)
    rank_sum: dict[str, int] = defaultdict(int)
    ranked: dict[str, int] = defaultdict(int)
    first: dict[str, int] = defaultdict(int)
    points: dict[str, int] = defaultdict(int)
    for codes, count in combos.values():
        for position, code in enumerate(codes):
            rank_sum[code] += (position + 1) * count
            ranked[code] += count
            points[code] += max(k - position, 0) * count
            if position == 0:
                first[code] += count
    rows = [
        RankRow(
            label=option.localized_text,
            mean_rank=rank_sum[option.code] / ranked[option.code] if ranked[option.code] else None,
            first=first[option.code],
            points=points[option.code],
        )
        for option in options
    ]
    return sorted(rows, key=lambda row: -row.points)


def question_results(survey: Survey) -> list[QuestionResult]:
    """Every question of the survey in order with its counts. Five queries, whatever the
    number of questions or answers."""
    questions = list(
        survey.questions.select_related("section").prefetch_related("options", "versions")
    )
    answers = submitted_answers(survey).order_by()
    answered: dict[int, int] = defaultdict(int)
    per_version: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, version, count in answers.values_list(
        "question_id", "question_version"
    ).annotate(n=Count("id")):
        answered[question_id] += count
        per_version[question_id][version] = count
    # One value (or list of codes) per answer: grouped by value, so that each row is a
    # distinct value with its count.
    values: dict[int, dict[str, tuple[Any, int]]] = defaultdict(dict)
    counted = answers.filter(question__kind__in=COUNTED_KINDS, value__isnull=False)
    for question_id, value, count in counted.values_list("question_id", "value").annotate(
        n=Count("id")
    ):
        key = repr(value)
        previous = values[question_id].get(key)
        values[question_id][key] = (value, count + (previous[1] if previous else 0))
    results = []
    for number, question in enumerate(questions, start=1):
        result = QuestionResult(question=question, number=number, answered=answered[question.pk])
        _fill(result, values.get(question.pk, {}))
        result.versions = _versions(question, per_version.get(question.pk, {}))
        results.append(result)
    return results


def _versions(question: Question, counts: Mapping[int, int]) -> list[tuple[int, str, int]]:
    old = list(question.versions.all())
    if not old:
        return []
    wordings = {version.number: version.text for version in old}
    wordings[question.version] = question.text
    return [(number, wordings[number], counts.get(number, 0)) for number in sorted(wordings)]


def _fill(result: QuestionResult, grouped: Mapping[str, tuple[Any, int]]) -> None:
    question = result.question
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        counts: dict[str, int] = defaultdict(int)
        for value, count in grouped.values():
            for code in value if isinstance(value, list) else [value]:
                counts[_code(code)] += count
        result.rows = _shares(
            [Row(option.localized_text, counts[option.code]) for option in question.options.all()],
            result.answered,
        )
    elif kind == Kind.YES_NO:
        counts = defaultdict(int)
        for value, count in grouped.values():
            counts[_code(value).casefold()] += count
        result.rows = _shares(
            [Row(_("Ja"), counts[YES]), Row(_("Nej"), counts[NO])], result.answered
        )
    elif kind == Kind.SCALE:
        frequencies: dict[float, int] = defaultdict(int)
        for value, count in grouped.values():
            try:
                frequencies[float(value)] += count
            except (TypeError, ValueError):
                continue
        labels = {1: question.localized_scale_low_label, 5: question.localized_scale_high_label}
        result.rows = _shares(
            [
                Row(
                    f"{point} {labels[point]}".strip() if labels.get(point) else str(point),
                    frequencies.get(float(point), 0),
                )
                for point in SCALE_POINTS
            ],
            result.answered,
        )
        total = sum(frequencies.values())
        if total:
            result.mean = sum(v * c for v, c in frequencies.items()) / total
            result.median = _weighted_median(frequencies)
    elif kind == Kind.NUMBER:
        frequencies = defaultdict(int)
        for value, count in grouped.values():
            try:
                frequencies[float(value)] += count
            except (TypeError, ValueError):
                continue
        total = sum(frequencies.values())
        if total:
            result.stats = NumberStats(
                count=total,
                minimum=min(frequencies),
                maximum=max(frequencies),
                mean=sum(v * c for v, c in frequencies.items()) / total,
                median=_weighted_median(frequencies) or 0.0,
            )
    elif kind == Kind.RANKING:
        combos = {
            key: ([_code(code) for code in value], count)
            for key, (value, count) in grouped.items()
            if isinstance(value, list)
        }
        result.ranks = _ranking(question, combos)
        result.rows = [Row(row.label, row.points) for row in result.ranks]


# --- Cross-tables ------------------------------------------------------------------------------


@dataclasses.dataclass
class CrossTable:
    question: Question
    by: str
    columns: list[str]  # the background groups, "no answer" last
    rows: list[tuple[str, list[int]]]  # option label, count per column
    totals: list[int]  # those who answered the question, per column

    def cells(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """Each row's counts with the share of its column, as text ("42")."""
        return [
            (
                label,
                [
                    (count, f"{100 * count / total:.0f}" if total else "0")
                    for count, total in zip(counts, self.totals, strict=True)
                ],
            )
            for label, counts in self.rows
        ]


def cross_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.filter(kind__in=CROSS_KINDS).prefetch_related("options"))


def _group_field(by: str) -> str:
    return {
        Background.AGE_BAND: "response__age_band",
        Background.AREA: "response__area_id",
        Background.GENDER: "response__gender",
        Background.TARGET_GROUP: "response__target_groups",
    }[by]


def cross_table(question: Question, by: str) -> CrossTable:
    """The answers of a question with options (or a scale, or yes/no) broken down by one
    background question. A respondent who chose several options (or target groups) counts
    once in each. Two queries: the grouped counts and, for areas, their names."""
    if by not in dict(Background.choices()):
        raise ValueError(by)
    field = _group_field(by)
    grouped = (
        submitted_answers(question.survey)
        .filter(question=question, value__isnull=False)
        .order_by()
        .values_list("value", field)
        .annotate(n=Count("id"))
    )
    unsaid = _("Inget svar")
    cells: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    groups: set[str] = set()
    for value, group, count in grouped:
        raw = group if isinstance(group, list) else [group]
        group_keys = [str(g) for g in raw if g not in (None, "")] or [""]
        codes = value if isinstance(value, list) else [value]
        for key in group_keys:
            groups.add(key)
            totals[key] += count
            for code in codes:
                cells[(_code(code).casefold(), key)] += count
    # Column labels, in a stable order, "no answer" last.
    labels = _group_labels(by, {g for g in groups if g})
    keys = sorted((g for g in groups if g), key=lambda g: (labels.get(g) or g).casefold())
    if by == Background.AGE_BAND:
        keys = sorted((g for g in groups if g), key=_age_key)
    if "" in groups:
        keys.append("")
    columns = [labels.get(key, key) if key else unsaid for key in keys]
    if question.kind == Kind.YES_NO:
        options = [(YES, _("Ja")), (NO, _("Nej"))]
    elif question.kind == Kind.SCALE:
        options = [(str(point), str(point)) for point in SCALE_POINTS]
    else:
        options = [(o.code.casefold(), o.localized_text) for o in question.options.all()]
    rows = [(label, [cells[(code, key)] for key in keys]) for code, label in options]
    return CrossTable(
        question=question, by=by, columns=columns, rows=rows, totals=[totals[k] for k in keys]
    )


def _age_key(band: str) -> tuple[int, str]:
    digits = "".join(ch if ch.isdigit() else " " for ch in band).split()
    return (int(digits[0]) if digits else 999, band)


def _group_labels(by: str, keys: set[str]) -> dict[str, str]:
    if by == Background.AREA:
        return {
            str(pk): name
            for pk, name in Area.objects.filter(
                pk__in=[k for k in keys if k.isdigit()]
            ).values_list("pk", "name")
        }
    if by == Background.GENDER:
        return {choice.value: str(choice.label) for choice in Gender}
    if by == Background.AGE_BAND:
        return {key: age_band_label(key) for key in keys}
    return {}


# --- Free text and places ----------------------------------------------------------------------


def text_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.filter(kind__in=TEXT_KINDS))


def free_text_answers(
    survey: Survey, *, query: str = "", tag: AnswerTag | None = None, question: int | None = None
) -> QuerySet[Answer]:
    """The free-text answers, newest first, with their question and tags; `query` searches
    the text (case-insensitive), `tag` keeps those with the tag."""
    answers = (
        submitted_answers(survey)
        .filter(question__kind__in=TEXT_KINDS)
        .exclude(text="")
        .select_related("question", "response")
        .prefetch_related("tags")
        .order_by("-response__submitted_on", "-pk")
    )
    if query:
        answers = answers.filter(text__icontains=query)
    if tag is not None:
        answers = answers.filter(tags=tag)
    if question is not None:
        answers = answers.filter(question_id=question)
    return answers


def tags(survey: Survey) -> QuerySet[AnswerTag]:
    """The survey's tags with how many submitted answers carry each."""
    return survey.tags.annotate(
        used=Count("answers", filter=Q(answers__response__status=ResponseStatus.SUBMITTED))
    ).order_by("name")


def place_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.filter(kind=Kind.PLACE))


def place_answers(survey: Survey, *, question: int | None = None) -> QuerySet[Answer]:
    answers = (
        submitted_answers(survey)
        .filter(question__kind=Kind.PLACE, lat__isnull=False, lon__isnull=False)
        .order_by("question__section__order", "question__order", "pk")
    )
    if question is not None:
        answers = answers.filter(question_id=question)
    return answers


# --- Representativeness ------------------------------------------------------------------------


def background_counts(survey: Survey) -> dict[tuple[int | None, str | None], int]:
    """Respondents per (area, age band), None where not answered: what the population
    comparison takes."""
    return {
        (area_id, age_band or None): count
        for area_id, age_band, count in submitted(survey)
        .order_by()
        .values_list("area_id", "age_band")
        .annotate(n=Count("id"))
    }


def representativeness(survey: Survey) -> list[tuple[str, Representativeness]]:
    """The respondents compared with the imported population, by age band and by area (the
    comparison and its under-reached flags are the geography part's)."""
    counts = background_counts(survey)
    return [
        (_("Per åldersgrupp"), compare_with_population(counts, by="age_band")),
        (_("Per område"), compare_with_population(counts, by="area")),
    ]


# --- Public results ----------------------------------------------------------------------------


def results_are_public(survey: Survey) -> bool:
    """The charts are public once the survey is closed and its summary published: the
    official has read the answers first. Free text and places are never public."""
    return survey.status == Status.CLOSED and survey.summary_published_at is not None


def public_question_results(survey: Survey) -> list[QuestionResult]:
    return [r for r in question_results(survey) if r.kind in COUNTED_KINDS]
