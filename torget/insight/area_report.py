"""The utskott's area report (*områdesrapport*, seed 000: the utskott passes knowledge of its
area on to the council): for one area and period, the area's dialogues and how their results
were handled, citizen proposals, feedback statistics, the safety councils' and inspections'
findings and actions, and the utskott's meetings.

Everything placed in the area or in an area inside it counts. The report is internal (staff
only): it names dialogues, proposals and findings, never a citizen.

Other parts add sections through `register_section(build)`: `build(report)` returns a
`Section` (a heading, a lead, and rows of a table), or None to add nothing for this report.
The lead registers representativeness this way, in its AppConfig.ready().
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.councils.models import Council
from torget.dialogues.models import Dialogue
from torget.feedback import statistics as feedback_statistics
from torget.feedback.models import Category
from torget.geo.models import Area, AreaKind
from torget.insight.dashboard import Period, dialogues_in
from torget.inspections.models import Action, Finding, Inspection
from torget.meetings.models import Meeting, MeetingStatus
from torget.organisation.models import Body, BodyKind
from torget.proposals.models import Proposal, Status
from torget.results.models import ItemStatus, Kind, ResultItem

# What the results handling counts as done: handled and fed back to the utskott, or closed.
RESULTS_HANDLED = frozenset({ItemStatus.HANDLED, ItemStatus.CLOSED, ItemStatus.PROPOSAL})


@dataclass(frozen=True)
class Section:
    """A section added by another part (register_section): a heading, a lead, and a table."""

    title: str
    lead: str = ""
    headings: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)


SectionBuilder = Callable[["AreaReport"], Section | None]
_builders: list[SectionBuilder] = []


def register_section(build: SectionBuilder) -> SectionBuilder:
    """Add a section to every area report; `build(report)` returns a Section or None.
    Registering the same callable twice adds it once."""
    if build not in _builders:
        _builders.append(build)
    return build


def unregister_section(build: SectionBuilder) -> None:
    if build in _builders:
        _builders.remove(build)


@dataclass(frozen=True)
class DialogueLine:
    dialogue: Dialogue
    results: int
    handled: int
    per_kind: list[tuple[str, int]]


@dataclass(frozen=True)
class FeedbackSummary:
    total: int
    open: int
    answered: int
    overdue: int
    per_category: list[tuple[str, int]]


@dataclass
class AreaReport:
    area: Area
    period: Period
    area_ids: list[int]
    utskott: list[Body]
    dialogues: list[DialogueLine]
    proposals: list[Proposal]
    proposals_under_review: int
    feedback: FeedbackSummary
    councils: list[Council]
    inspections: list[Any]  # Inspection, with report_findings (each with report_actions)
    utskott_meetings: list[Meeting]
    council_meetings: list[Meeting]
    sections: list[Section] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return sum(len(inspection.report_findings) for inspection in self.inspections)

    @property
    def actions(self) -> int:
        return sum(
            len(finding.report_actions)
            for inspection in self.inspections
            for finding in inspection.report_findings
        )


def report_areas() -> list[Area]:
    """The areas a report can be made for: every area but the whole municipality; the utskott
    areas first, then by name."""
    areas = Area.objects.exclude(kind=AreaKind.MUNICIPALITY).only("pk", "name", "slug", "kind")
    return sorted(areas, key=lambda area: (area.kind != AreaKind.COMMITTEE_AREA, area.name))


def area_for_report(slug: str) -> Area:
    return get_object_or_404(Area.objects.exclude(kind=AreaKind.MUNICIPALITY), slug=slug)


def area_and_below(area: Area) -> list[int]:
    """The area and every area inside it (one query: the parent links of all areas)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [area.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def _ancestors(area: Area) -> list[int]:
    result, current, seen = [], area, 0
    while current.parent_id and seen < 20:
        result.append(current.parent_id)
        current = Area.objects.only("pk", "parent_id").get(pk=current.parent_id)
        seen += 1
    return result


def _utskott(area: Area, area_ids: list[int]) -> list[Body]:
    """The utskott of the area: one tied to the area or an area inside it; failing that, the
    one of the nearest area around it."""
    bodies = list(
        Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE, area_id__in=area_ids).order_by("name")
    )
    if bodies:
        return bodies
    for pk in _ancestors(area):
        bodies = list(Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE, area_id=pk))
        if bodies:
            return bodies
    return []


def _dialogues(period: Period, area_ids: list[int]) -> list[DialogueLine]:
    dialogues = list(
        dialogues_in(period, public=False, area_ids=area_ids)
        .select_related("deciding_body")
        .order_by("day", "pk")
    )
    counts: dict[int, Counter[tuple[str, str]]] = {}
    for dialogue_id, kind, status, n in (
        ResultItem.objects.filter(dialogue__in=[d.pk for d in dialogues])
        .values_list("dialogue_id", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(dialogue_id, Counter())[(kind, status)] += n
    kinds = dict(Kind.choices)
    lines = []
    for dialogue in dialogues:
        items = counts.get(dialogue.pk, Counter())
        per_kind: Counter[str] = Counter()
        for (kind, _status), n in items.items():
            per_kind[str(kinds.get(kind, _("Inte bedömd")))] += n
        lines.append(
            DialogueLine(
                dialogue=dialogue,
                results=sum(items.values()),
                handled=sum(n for (_k, status), n in items.items() if status in RESULTS_HANDLED),
                per_kind=sorted(per_kind.items()),
            )
        )
    return lines


def _feedback(period: Period, area_ids: list[int]) -> FeedbackSummary:
    cases = feedback_statistics.cases_counted(start=period.start, end=period.end).filter(
        area_id__in=area_ids
    )
    totals = cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(is_open=True)),
        answered=Count("pk", filter=Q(first_response_at__isnull=False)),
        overdue=Count(
            "pk", filter=Q(first_response_at__isnull=True, respond_by__lt=timezone.localdate())
        ),
    )
    names = dict(Category.objects.values_list("pk", "name"))
    per_category = Counter(cases.values_list("category_id", flat=True))
    return FeedbackSummary(
        total=totals["total"],
        open=totals["open"],
        answered=totals["answered"],
        overdue=totals["overdue"],
        per_category=sorted(
            ((names.get(pk, _("Utan kategori")), n) for pk, n in per_category.items()),
            key=lambda row: (-row[1], row[0]),
        ),
    )


def area_report(area: Area, period: Period) -> AreaReport:
    """Everything the report shows, in a fixed number of queries."""
    area_ids = area_and_below(area)
    utskott = _utskott(area, area_ids)
    proposals = list(
        Proposal.objects.filter(
            area_id__in=area_ids, created_at__gte=period.since, created_at__lt=period.until
        )
        .exclude(status__in=[Status.SUBMITTED, Status.REJECTED, Status.MOVED])
        .filter(hidden_at__isnull=True)
        .select_related("preparing_body")
        .order_by("created_at", "pk")
    )
    under_review = Proposal.objects.filter(
        area_id__in=area_ids,
        created_at__gte=period.since,
        created_at__lt=period.until,
        status=Status.SUBMITTED,
    ).count()
    councils = list(Council.objects.filter(area_id__in=area_ids).order_by("name"))
    inspections = list(
        Inspection.objects.filter(
            council__in=councils, date__gte=period.start, date__lte=period.end
        )
        .select_related("council")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.order_by("due_on", "pk"),
                        to_attr="report_actions",
                    )
                ),
                to_attr="report_findings",
            )
        )
        .order_by("date", "pk")
    )
    utskott_meetings = list(
        Meeting.objects.filter(
            body__in=utskott, starts_at__gte=period.since, starts_at__lt=period.until
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    council_meetings = list(
        Meeting.objects.filter(
            council_meeting__council__in=councils,
            starts_at__gte=period.since,
            starts_at__lt=period.until,
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    report = AreaReport(
        area=area,
        period=period,
        area_ids=area_ids,
        utskott=utskott,
        dialogues=_dialogues(period, area_ids),
        proposals=proposals,
        proposals_under_review=under_review,
        feedback=_feedback(period, area_ids),
        councils=councils,
        inspections=inspections,
        utskott_meetings=utskott_meetings,
        council_meetings=council_meetings,
    )
    for build in list(_builders):
        section = build(report)
        if section is not None:
            report.sections.append(section)
    return report


def report_title(report: AreaReport) -> str:
    return _("Områdesrapport för %(area)s, %(start)s–%(end)s") % {
        "area": report.area.name,
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
    }


def report_filename(report: AreaReport) -> str:
    return f"omradesrapport-{report.area.slug}-{report.period.start}-{report.period.end}.pdf"


def upcoming_utskott_meetings(report: AreaReport) -> list[Meeting]:
    """The utskott's meetings the report can be attached to: not held, not cancelled, from
    today on."""
    return list(
        Meeting.objects.filter(
            body__in=report.utskott,
            starts_at__gte=timezone.now(),
            status__in=[MeetingStatus.DRAFT, MeetingStatus.PUBLISHED],
        )
        .select_related("body")
        .order_by("starts_at", "pk")[:20]
    )
