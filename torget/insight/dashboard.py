"""The dashboards' figures (*statistik*): what happened on the platform in a period, counted
in the database, read-only, from the process apps' models.

The public dashboard counts only what is public (dialogues past the decision, published
meetings, published proposals, published inspection protocols, budget rounds past their
draft) and only as numbers: no names, no texts written by citizens. The staff dashboard counts
everything and adds internal figures (open and overdue cases per unit, proposals under review,
planned inspections, open actions).

What falls in the period:
* a dialogue by the day it starts (the day it was registered when it has no start yet);
* a meeting by the day it starts; a proposal by the day it was submitted;
* a feedback case by the day it was received (torget.feedback.statistics, the same figures as
  the feedback statistics page);
* a finding and its actions by the day of the inspection;
* a budget round when its idea-to-voting period overlaps the period.

The whole set takes a fixed number of queries, whatever the number of rows
(tests/test_dashboard.py asserts it).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torget.budget.models import PUBLIC_PHASES as BUDGET_PUBLIC_PHASES
from torget.budget.models import BudgetRound, Phase
from torget.dialogues.models import NOT_PUBLIC as DIALOGUE_NOT_PUBLIC
from torget.dialogues.models import Dialogue, LadderStep
from torget.feedback import statistics as feedback_statistics
from torget.geo.models import Area, AreaKind
from torget.insight.charts import Chart, MapArea, Row, area_map, bar_chart, column_chart
from torget.inspections.models import (
    DONE_STATUSES,
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Finding,
    FindingCategory,
    Inspection,
    InspectionStatus,
)
from torget.meetings.models import (
    Documentation,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from torget.organisation.models import Body
from torget.proposals.models import PUBLIC_STATUSES as PROPOSAL_PUBLIC_STATUSES
from torget.proposals.models import Proposal, Status

# Periods longer than this are counted per quarter on the charts over time.
MONTHLY_UP_TO = 24


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included (local days)."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self) -> datetime.datetime:
        return datetime.datetime.combine(
            self.start, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the period."""
        return datetime.datetime.combine(
            self.end + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def steps(self) -> list[tuple[datetime.date, str]]:
        """The periods of the charts over time: (first day, label) per month, or per quarter
        when the period is long."""
        quarterly = self.months > MONTHLY_UP_TO
        day = self.start.replace(day=1)
        if quarterly:
            day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
        result = []
        while day <= self.end:
            if quarterly:
                label = f"{day.year} K{(day.month - 1) // 3 + 1}"
                month = day.month + 3
            else:
                label = date_format(day, "M Y")
                month = day.month + 1
            result.append((day, label))
            day = datetime.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return result

    def step_of(self, day: datetime.date) -> datetime.date:
        if self.months > MONTHLY_UP_TO:
            return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return day.replace(day=1)


def default_period(today: datetime.date | None = None) -> Period:
    """The last twelve months, this one included."""
    start, end = feedback_statistics.default_period(today or timezone.localdate())
    return Period(start, end)


def _over_time(period: Period, days: Iterable[datetime.date | None]) -> list[Row]:
    counts: Counter[datetime.date] = Counter(period.step_of(day) for day in days if day)
    return [Row(label=label, value=counts.get(first, 0)) for first, label in period.steps()]


def _ranked(counts: Mapping[Any, int], names: Mapping[Any, str]) -> list[Row]:
    rows = [Row(label=names[key], value=count) for key, count in counts.items() if count]
    return sorted(rows, key=lambda row: (-row.value, row.label))


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- Dialogues -------------------------------------------------------------------------------


def dialogues_in(
    period: Period, *, public: bool, area_ids: Iterable[int] | None = None
) -> QuerySet[Any]:
    """The dialogues of the period, by the day they start (or were registered)."""
    dialogues = Dialogue.objects.annotate(
        day=Coalesce(
            "starts_on",
            TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
            output_field=DateField(),
        )
    ).filter(day__gte=period.start, day__lte=period.end)
    if public:
        dialogues = dialogues.exclude(status__in=DIALOGUE_NOT_PUBLIC)
    if area_ids is not None:
        dialogues = dialogues.filter(areas__in=list(area_ids)).distinct()
    return dialogues.order_by()


@dataclass(frozen=True)
class CrossTable:
    """Counts per period (rows) and per group (columns), zeros included."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]


def cross_table(
    period: Period,
    caption: str,
    items: Iterable[tuple[datetime.date, Any]],
    names: Mapping[Any, str],
) -> CrossTable:
    counts: Counter[tuple[datetime.date, Any]] = Counter(
        (period.step_of(day), key) for day, key in items
    )
    keys = [key for key in names if any(k == key for _first, k in counts)]
    return CrossTable(
        caption=caption,
        columns=[names[key] for key in keys],
        rows=[
            (label, [counts.get((first, key), 0) for key in keys])
            for first, label in period.steps()
        ],
    )


@dataclass(frozen=True)
class DialogueFigures:
    total: int
    per_step: Chart
    per_area: Chart
    per_body: Chart
    over_time: Chart
    step_over_time: CrossTable
    body_over_time: CrossTable


def dialogue_figures(period: Period, *, public: bool) -> DialogueFigures:
    dialogues = dialogues_in(period, public=public)
    rows = list(dialogues.values_list("pk", "ladder_step", "deciding_body_id", "day"))
    ids = [pk for pk, *_rest in rows]
    per_step = Counter(step for _pk, step, _body, _day in rows)
    step_rows = [
        Row(label=f"{step.value}. {step.label}", value=per_step.get(step.value, 0))
        for step in LadderStep
    ]
    if per_step.get(None):
        step_rows.append(Row(label=_("Inte bestämt"), value=per_step[None]))
    area_counts = Counter(
        Dialogue.areas.through.objects.filter(dialogue_id__in=ids).values_list("area_id", flat=True)
    )
    area_names = dict(Area.objects.filter(pk__in=area_counts).values_list("pk", "name"))
    body_counts = Counter(body for _pk, _step, body, _day in rows)
    body_names: dict[Any, str] = dict(
        Body.objects.filter(pk__in=[b for b in body_counts if b]).values_list("pk", "name")
    )
    body_names[None] = _("Inget beslutande organ ännu")
    step_names: dict[Any, str] = {step.value: f"{step.value}. {step.label}" for step in LadderStep}
    step_names[None] = _("Inte bestämt")
    return DialogueFigures(
        total=len(rows),
        step_over_time=cross_table(
            period,
            _("Dialoger per steg och period"),
            ((day, step) for _pk, step, _body, day in rows),
            step_names,
        ),
        body_over_time=cross_table(
            period,
            _("Dialoger per beslutande organ och period"),
            ((day, body) for _pk, _step, body, day in rows),
            body_names,
        ),
        per_step=bar_chart(
            chart_id="dialoger-per-steg",
            title=_("Dialoger per steg på delaktighetstrappan"),
            rows=step_rows,
            label_heading=_("Steg"),
            value_heading=_("Dialoger"),
        ),
        per_area=bar_chart(
            chart_id="dialoger-per-omrade",
            title=_("Dialoger per område"),
            rows=_ranked(area_counts, area_names),
            label_heading=_("Område"),
            value_heading=_("Dialoger"),
        ),
        per_body=bar_chart(
            chart_id="dialoger-per-organ",
            title=_("Dialoger per beslutande organ"),
            rows=_ranked(body_counts, body_names),
            label_heading=_("Organ"),
            value_heading=_("Dialoger"),
        ),
        over_time=column_chart(
            chart_id="dialoger-over-tid",
            title=_("Dialoger som började under perioden"),
            rows=_over_time(period, (day for *_rest, day in rows)),
            label_heading=_("Period"),
            value_heading=_("Dialoger"),
        ),
    )


# --- Meetings --------------------------------------------------------------------------------


def meetings_in(period: Period, *, public: bool) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(starts_at__gte=period.since, starts_at__lt=period.until)
    if public:
        meetings = meetings.exclude(status=MeetingStatus.DRAFT).exclude(
            dialogue__status__in=DIALOGUE_NOT_PUBLIC
        )
    return meetings.order_by()


@dataclass(frozen=True)
class MeetingFigures:
    total: int
    held: int
    cancelled: int
    participants: int  # counted at the meetings (the documentation's total)
    registrations: int
    over_time: Chart


def meeting_figures(period: Period, *, public: bool) -> MeetingFigures:
    meetings = meetings_in(period, public=public)
    totals = meetings.aggregate(
        total=Count("pk"),
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
    )
    participants = Documentation.objects.filter(meeting__in=meetings).aggregate(
        total=Sum("participants_total")
    )["total"]
    registrations = Registration.objects.filter(
        meeting__in=meetings, status=RegistrationStatus.REGISTERED
    ).count()
    days = [timezone.localdate(moment) for moment in meetings.values_list("starts_at", flat=True)]
    return MeetingFigures(
        total=totals["total"],
        held=totals["held"],
        cancelled=totals["cancelled"],
        participants=participants or 0,
        registrations=registrations,
        over_time=column_chart(
            chart_id="moten-over-tid",
            title=_("Dialogmöten under perioden"),
            rows=_over_time(period, days),
            label_heading=_("Period"),
            value_heading=_("Möten"),
        ),
    )


# --- Proposals -------------------------------------------------------------------------------


def proposals_in(period: Period, *, public: bool) -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    if public:
        proposals = proposals.filter(status__in=PROPOSAL_PUBLIC_STATUSES, hidden_at__isnull=True)
    return proposals.order_by()


@dataclass(frozen=True)
class ProposalFigures:
    submitted: int
    supported: int  # at least one support
    over_threshold: int
    decided: int
    under_review: int  # staff only: waiting for moderation
    median_days_to_publish: float | None
    median_days_to_threshold: float | None
    median_days_to_decision: float | None
    funnel: Chart


def proposal_figures(period: Period, *, public: bool) -> ProposalFigures:
    proposals = proposals_in(period, public=public)
    zone = timezone.get_current_timezone()
    rows = list(
        proposals.values_list(
            "status",
            "support_count",
            "created_at",
            "published_at",
            "threshold_reached_at",
            "decided_on",
        )
    )
    to_publish: list[float] = []
    to_threshold: list[float] = []
    to_decision: list[float] = []
    for _status, _supports, created, published, reached, decided in rows:
        if published:
            to_publish.append((published - created).total_seconds() / 86400)
        if published and reached:
            to_threshold.append((reached - published).total_seconds() / 86400)
        if reached and decided:
            to_decision.append(float((decided - reached.astimezone(zone).date()).days))
    submitted = len(rows)
    supported = sum(1 for row in rows if row[1] > 0)
    over = sum(1 for row in rows if row[4] is not None)
    decided_count = sum(1 for row in rows if row[0] == Status.DECIDED)
    under_review = sum(1 for row in rows if row[0] == Status.SUBMITTED)
    return ProposalFigures(
        submitted=submitted,
        supported=supported,
        over_threshold=over,
        decided=decided_count,
        under_review=under_review,
        median_days_to_publish=_median(to_publish),
        median_days_to_threshold=_median(to_threshold),
        median_days_to_decision=_median(to_decision),
        funnel=bar_chart(
            chart_id="forslag-steg",
            title=_("Medborgarförslag från inskickat till beslut"),
            rows=[
                Row(_("Inskickade"), submitted),
                Row(_("Fick stöd"), supported),
                Row(_("Nådde gränsen för stöd"), over),
                Row(_("Beslutade"), decided_count),
            ],
            label_heading=_("Steg"),
            value_heading=_("Förslag"),
        ),
    )


# --- Feedback --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackFigures:
    stats: feedback_statistics.CaseStatistics
    per_category: Chart
    per_unit: Chart
    open_per_unit: list[Row]  # staff only
    overdue: int  # staff only: not answered and past the day they should have been


def feedback_figures(period: Period, *, public: bool) -> FeedbackFigures:
    if public:
        stats = feedback_statistics.case_statistics_shared(start=period.start, end=period.end)
    else:
        stats = feedback_statistics.case_statistics(start=period.start, end=period.end)
    open_per_unit: list[Row] = []
    overdue = 0
    if not public:
        cases = feedback_statistics.cases_counted(start=period.start, end=period.end)
        today = timezone.localdate()
        overdue = cases.filter(first_response_at__isnull=True, respond_by__lt=today).count()
        grouped = (
            cases.filter(is_open=True)
            .values("unit__name", "administration__name")
            .annotate(n=Count("pk"))
        )
        open_per_unit = sorted(
            (
                Row(
                    label=(
                        f"{row['unit__name']} ({row['administration__name']})"
                        if row["unit__name"]
                        else row["administration__name"] or _("Ingen förvaltning")
                    ),
                    value=row["n"],
                )
                for row in grouped
            ),
            key=lambda row: (-row.value, row.label),
        )
    return FeedbackFigures(
        stats=stats,
        per_category=bar_chart(
            chart_id="synpunkter-per-kategori",
            title=_("Synpunkter och felanmälningar per kategori"),
            rows=[Row(row.label, row.count) for row in stats.per_category],
            label_heading=_("Kategori"),
            value_heading=_("Ärenden"),
        ),
        per_unit=bar_chart(
            chart_id="synpunkter-per-enhet",
            title=_("Ärenden per enhet"),
            rows=[Row(unit.label, unit.count) for unit in stats.per_unit],
            label_heading=_("Enhet"),
            value_heading=_("Ärenden"),
        ),
        open_per_unit=open_per_unit,
        overdue=overdue,
    )


# --- Safety ----------------------------------------------------------------------------------


def findings_in(
    period: Period, *, public: bool, council_ids: Iterable[int] | None = None
) -> QuerySet[Finding]:
    findings = Finding.objects.filter(
        inspection__date__gte=period.start, inspection__date__lte=period.end
    )
    if public:
        findings = findings.filter(inspection__published_at__isnull=False)
    if council_ids is not None:
        findings = findings.filter(inspection__council_id__in=list(council_ids))
    return findings.order_by()


@dataclass(frozen=True)
class SafetyFigures:
    inspections_done: int
    inspections_planned: int  # staff only
    findings: int
    actions: int
    actions_done: int
    actions_open: int
    per_category: Chart
    per_action_status: Chart


def safety_figures(
    period: Period, *, public: bool, council_ids: Iterable[int] | None = None
) -> SafetyFigures:
    council_ids = list(council_ids) if council_ids is not None else None
    inspections = Inspection.objects.filter(date__gte=period.start, date__lte=period.end)
    if public:
        inspections = inspections.filter(published_at__isnull=False)
    if council_ids is not None:
        inspections = inspections.filter(council_id__in=council_ids)
    inspection_totals = inspections.aggregate(
        done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
        planned=Count("pk", filter=Q(status=InspectionStatus.PLANNED)),
    )
    findings = findings_in(period, public=public, council_ids=council_ids)
    per_category = Counter(findings.values_list("category", flat=True))
    actions = Action.objects.filter(finding__in=findings).order_by()
    per_status = Counter(actions.values_list("status", flat=True))
    return SafetyFigures(
        inspections_done=inspection_totals["done"],
        inspections_planned=inspection_totals["planned"],
        findings=sum(per_category.values()),
        actions=sum(per_status.values()),
        actions_done=per_status.get(ActionStatus.DONE, 0),
        actions_open=sum(per_status.get(status, 0) for status in OPEN_ACTION_STATUSES),
        per_category=bar_chart(
            chart_id="fynd-per-kategori",
            title=_("Fynd vid trygghetsbesiktningar per kategori"),
            rows=_ranked(
                per_category, {value: str(label) for value, label in FindingCategory.choices}
            ),
            label_heading=_("Kategori"),
            value_heading=_("Fynd"),
        ),
        per_action_status=bar_chart(
            chart_id="atgarder-per-status",
            title=_("Åtgärder efter trygghetsbesiktningar"),
            rows=[
                Row(str(status.label), per_status.get(status.value, 0)) for status in ActionStatus
            ],
            label_heading=_("Status"),
            value_heading=_("Åtgärder"),
        ),
    )


# --- Budget ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetFigures:
    rounds: int
    amount: int
    ideas: int
    per_phase: Chart


def budget_figures(period: Period, *, public: bool) -> BudgetFigures:
    rounds = BudgetRound.objects.filter(
        ideas_open_on__lte=period.end, voting_closes_on__gte=period.start
    ).order_by()
    if public:
        rounds = rounds.filter(phase__in=BUDGET_PUBLIC_PHASES)
    rows = list(
        rounds.annotate(idea_count=Count("ideas")).values_list("phase", "amount", "idea_count")
    )
    per_phase = Counter(phase for phase, _amount, _ideas in rows)
    return BudgetFigures(
        rounds=len(rows),
        amount=sum(amount for _phase, amount, _ideas in rows),
        ideas=sum(ideas for _phase, _amount, ideas in rows),
        per_phase=bar_chart(
            chart_id="budget-per-fas",
            title=_("Medborgarbudgetens omgångar per fas"),
            rows=[
                Row(str(phase.label), per_phase.get(phase.value, 0))
                for phase in Phase
                if not public or phase in BUDGET_PUBLIC_PHASES
            ],
            label_heading=_("Fas"),
            value_heading=_("Omgångar"),
        ),
    )


# --- The activity map ------------------------------------------------------------------------


def map_areas() -> tuple[list[Area], dict[int, int]]:
    """The areas the map draws, and for every area the drawn area it lies in.

    The map draws the tier under the municipality (the utskott areas in the demo): areas
    whose parent is the municipality's area, or the top areas when there is none; what
    happens in a smaller area counts for the drawn area around it."""
    areas = list(Area.objects.only("pk", "name", "slug", "kind", "parent_id", "geometry"))
    by_pk = {area.pk: area for area in areas}
    municipality = {area.pk for area in areas if area.kind == AreaKind.MUNICIPALITY}
    drawn = [
        area
        for area in areas
        if area.kind != AreaKind.MUNICIPALITY
        and (area.parent_id in municipality or area.parent_id is None)
    ]
    drawn_ids = {area.pk for area in drawn}
    tier: dict[int, int] = {}
    for area in areas:
        current: Area | None = area
        seen = 0
        while current is not None and current.pk not in drawn_ids and seen < 20:
            current = by_pk.get(current.parent_id) if current.parent_id else None
            seen += 1
        if current is not None and current.pk in drawn_ids:
            tier[area.pk] = current.pk
    return drawn, tier


def activity_map(period: Period, *, public: bool) -> Chart:
    """Dialogues, meetings, proposals and feedback cases of the period per area."""
    drawn, tier = map_areas()
    counts: Counter[int] = Counter()
    dialogue_ids = dialogues_in(period, public=public).values("pk")
    for area_id in Dialogue.areas.through.objects.filter(dialogue_id__in=dialogue_ids).values_list(
        "area_id", flat=True
    ):
        counts[area_id] += 1
    for queryset in (
        meetings_in(period, public=public),
        proposals_in(period, public=public),
        feedback_statistics.cases_counted(start=period.start, end=period.end),
    ):
        for row in queryset.filter(area__isnull=False).values("area_id").annotate(n=Count("pk")):
            counts[row["area_id"]] += row["n"]
    per_drawn: dict[int, int] = defaultdict(int)
    for area_id, count in counts.items():
        if area_id in tier:
            per_drawn[tier[area_id]] += count
    return area_map(
        chart_id="aktivitet-per-omrade",
        title=_("Aktivitet per område"),
        areas=[
            MapArea(
                name=area.name,
                geometry=area.geometry,
                value=per_drawn.get(area.pk, 0),
                url=reverse("core:area_detail", kwargs={"slug": area.slug}),
            )
            for area in drawn
        ],
        label_heading=_("Område"),
        value_heading=_("Dialoger, möten, förslag och ärenden"),
    )


# --- Everything ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    period: Period
    public: bool
    dialogues: DialogueFigures
    meetings: MeetingFigures
    proposals: ProposalFigures
    feedback: FeedbackFigures
    safety: SafetyFigures
    budget: BudgetFigures
    activity: Chart


def dashboard(period: Period, *, public: bool) -> Dashboard:
    """Every figure of a dashboard, public (only public objects) or for staff."""
    return Dashboard(
        period=period,
        public=public,
        dialogues=dialogue_figures(period, public=public),
        meetings=meeting_figures(period, public=public),
        proposals=proposal_figures(period, public=public),
        feedback=feedback_figures(period, public=public),
        safety=safety_figures(period, public=public),
        budget=budget_figures(period, public=public),
        activity=activity_map(period, public=public),
    )
