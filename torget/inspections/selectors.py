"""Reads of the inspections part: one inspection for its staff page, the yearly planning
view (each safety council's spring and autumn as planned, done or missing) and the
warnings for seasons that have no inspection planned four weeks before they end."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.councils.models import Council, CouncilKind, CouncilStatus
from torget.dialogues.calendar import Entry
from torget.inspections import permissions
from torget.inspections.models import (
    DONE_STATUSES,
    OPEN_ACTION_STATUSES,
    WARN_BEFORE,
    Action,
    ActionStatus,
    Cause,
    Finding,
    FindingPhoto,
    GroupContact,
    Inspection,
    InspectionStatus,
    Season,
    season_end,
)
from torget.meetings.minutes import MinutesEntry
from torget.organisation.models import Body


def access_inspection(actor: Actor, pk: int) -> Inspection:
    """An inspection for its staff page: 404 if missing, 403 for anyone who may not read the
    council's material (members of another utskott among them)."""
    inspection = get_object_or_404(
        Inspection.objects.select_related("council", "council__area", "council__utskott"), pk=pk
    )
    if not permissions.reads_inspection(actor, inspection):
        raise PermissionDenied
    return inspection


def access_inspection_for_editing(actor: Actor, pk: int) -> Inspection:
    inspection = access_inspection(actor, pk)
    if not permissions.edits_inspections(actor):
        raise PermissionDenied
    return inspection


def inspected_councils() -> QuerySet[Council]:
    """The areas that have inspections: those with an active safety council."""
    return (
        Council.objects.filter(kind=CouncilKind.SAFETY, status=CouncilStatus.ACTIVE)
        .select_related("area")
        .order_by("name")
    )


class SeasonState:
    DONE = "done"
    PLANNED = "planned"
    MISSING = "missing"


@dataclass
class SeasonCell:
    season: str
    end: datetime.date
    state: str
    inspections: list[Inspection]
    # No inspection planned and the season ends within WARN_BEFORE (or has ended).
    warn: bool
    overdue: bool

    @property
    def season_label(self) -> Any:
        return Season(self.season).label


@dataclass
class PlanRow:
    council: Council
    cells: list[SeasonCell]


def _cell(
    season: str, year: int, inspections: list[Inspection], today: datetime.date
) -> SeasonCell:
    end = season_end(year, season)
    live = [i for i in inspections if i.status != InspectionStatus.CANCELLED]
    if any(i.status in DONE_STATUSES for i in live):
        state = SeasonState.DONE
    elif live:
        state = SeasonState.PLANNED
    else:
        state = SeasonState.MISSING
    missing = state == SeasonState.MISSING
    return SeasonCell(
        season=season,
        end=end,
        state=state,
        inspections=inspections,
        warn=missing and end - WARN_BEFORE <= today <= end,
        overdue=missing and today > end,
    )


def planning(year: int, today: datetime.date | None = None) -> list[PlanRow]:
    """Each active safety council with its spring and autumn of `year` (two queries)."""
    today = today or timezone.localdate()
    councils = list(inspected_councils())
    by_council: dict[tuple[int, str], list[Inspection]] = {}
    for inspection in Inspection.objects.filter(year=year, council__in=councils).order_by("date"):
        by_council.setdefault((inspection.council_id, inspection.season), []).append(inspection)
    return [
        PlanRow(
            council=council,
            cells=[
                _cell(season, year, by_council.get((council.pk, season), []), today)
                for season in Season.values
            ],
        )
        for council in councils
    ]


def season_warnings(today: datetime.date | None = None) -> list[tuple[Council, SeasonCell]]:
    """The current year's seasons that end within four weeks (or ended) without an
    inspection planned: what the coordinator is warned about."""
    today = today or timezone.localdate()
    return [
        (row.council, cell)
        for row in planning(today.year, today)
        for cell in row.cells
        if cell.warn or cell.overdue
    ]


def council_inspections(council: Council) -> QuerySet[Inspection]:
    return council.inspections.order_by("-date")


def access_finding(actor: Actor, inspection: Inspection, finding_pk: int) -> Finding:
    """A finding of an inspection already accessed (access_inspection)."""
    return get_object_or_404(
        Finding.objects.select_related("inspection", "case", "case__status").prefetch_related(
            "photos"
        ),
        pk=finding_pk,
        inspection=inspection,
    )


def access_finding_photo(actor: Actor, pk: int, photo_pk: int, key: str) -> FindingPhoto:
    inspection = access_inspection(actor, pk)
    photo = get_object_or_404(FindingPhoto, pk=photo_pk, finding__inspection=inspection)
    if photo.key != key:
        raise Http404
    return photo


def findings(inspection: Inspection) -> QuerySet[Finding]:
    return inspection.findings.prefetch_related("photos").order_by("id")


def overdue_actions(today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions past their due date: on the coordinator's start page."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .select_related("finding", "finding__inspection", "finding__inspection__council")
        .order_by("due_on", "pk")
    )


def actions_to_follow_up(inspection: Inspection) -> list[Action]:
    """The open actions from the area's earlier inspections, each with the follow-up
    recorded at this inspection (`follow_up`, or None): listed on this inspection."""
    actions = list(
        Action.objects.filter(
            finding__inspection__council=inspection.council,
            finding__inspection__date__lt=inspection.date,
        )
        .filter(Q(status__in=OPEN_ACTION_STATUSES) | Q(follow_ups__inspection=inspection))
        .distinct()
        .select_related("finding", "finding__inspection", "cause")
        .order_by("finding__inspection__date", "pk")
    )
    recorded = {f.action_id: f for f in inspection.follow_ups.all()}
    for action in actions:
        action.follow_up = recorded.get(action.pk)  # type: ignore[attr-defined]
    return actions


def access_action(actor: Actor, inspection: Inspection, action_pk: int) -> Action:
    """An action of one of the inspection's findings."""
    return get_object_or_404(
        Action.objects.select_related("finding"), pk=action_pk, finding__inspection=inspection
    )


def access_cause(actor: Actor, inspection: Inspection, cause_pk: int) -> Cause:
    """A cause of one of the inspection's findings."""
    return get_object_or_404(
        Cause.objects.select_related("finding"), pk=cause_pk, finding__inspection=inspection
    )


def access_action_to_follow_up(actor: Actor, inspection: Inspection, action_pk: int) -> Action:
    """An action of an earlier inspection of the same area."""
    return get_object_or_404(
        Action.objects.select_related("finding", "finding__inspection"),
        pk=action_pk,
        finding__inspection__council=inspection.council,
        finding__inspection__date__lt=inspection.date,
    )


# --- The protocol ------------------------------------------------------------------------------


def protocols_to_utskott(
    body: Body, since: datetime.datetime | None, until: datetime.datetime
) -> list[MinutesEntry]:
    """meetings.minutes: the inspection protocols done for this utskott's areas since its
    previous meeting, for the agenda of its next one."""
    done = Inspection.objects.filter(
        council__utskott=body, protocol_done_at__isnull=False, protocol_done_at__lte=until
    ).select_related("council")
    if since is not None:
        done = done.filter(protocol_done_at__gt=since)
    return [
        MinutesEntry(
            _("%(council)s: protokoll från trygghetsbesiktningen %(date)s")
            % {"council": inspection.council.name, "date": inspection.date.isoformat()},
            timezone.localdate(inspection.protocol_done_at),
            # The agenda is read by the public too: the public version once published.
            inspection.public_url() if inspection.published_at else inspection.protocol_url(),
        )
        for inspection in done
        if inspection.protocol_done_at is not None
    ]


def protocol(inspection: Inspection, *, public: bool) -> dict[str, Any]:
    """What the protocol shows: the groups that came, the findings with their analyses,
    actions and fault reports, and the follow-ups made at this inspection. The public
    version has only the photos approved for it (and the template leaves out who recorded
    what)."""
    photos = FindingPhoto.objects.filter(is_public=True) if public else FindingPhoto.objects
    findings = (
        inspection.findings.select_related("case", "case__status", "created_by")
        .prefetch_related(
            "causes",
            Prefetch("actions", queryset=Action.objects.select_related("cause")),
            Prefetch("photos", queryset=photos.all(), to_attr="shown_photos"),
        )
        .order_by("id")
    )
    return {
        "inspection": inspection,
        "council": inspection.council,
        "attended": [row for row in inspection.groups.all() if row.attended],
        "findings": list(findings),
        "follow_ups": list(
            inspection.follow_ups.select_related(
                "action", "action__finding", "action__finding__inspection", "recorded_by"
            ).order_by("action__finding__inspection__date", "action_id")
        ),
        "public": public,
    }


def published_protocols() -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(published_at__isnull=False)
        .select_related("council", "council__area")
        .order_by("-date")
    )


def public_protocol(pk: int) -> Inspection:
    """A published protocol; 404 for one that is not (the public sees nothing else)."""
    return get_object_or_404(published_protocols(), pk=pk)


def public_photo(pk: int, photo_pk: int, key: str) -> FindingPhoto:
    inspection = public_protocol(pk)
    photo = get_object_or_404(
        FindingPhoto, pk=photo_pk, finding__inspection=inspection, is_public=True
    )
    if photo.key != key:
        raise Http404
    return photo


# --- Contacts of the invited groups (staff only: never on a public page) -----------------------


def contacts(inspection: Inspection) -> QuerySet[GroupContact]:
    return GroupContact.objects.filter(group__inspection=inspection).select_related("group")


def access_contact(actor: Actor, inspection: Inspection, pk: int) -> GroupContact:
    if not permissions.edits_inspections(actor):
        raise PermissionDenied
    return get_object_or_404(contacts(inspection), pk=pk)


def groups_with_contacts(inspection: Inspection) -> list[tuple[Any, list[GroupContact]]]:
    """Each invited group with its contacts, for the inspection's staff page."""
    by_group: dict[int, list[GroupContact]] = {}
    for contact in contacts(inspection):
        by_group.setdefault(contact.group_id, []).append(contact)
    return [(row, by_group.get(row.pk, [])) for row in inspection.groups.all()]


# --- The public safety work (/trygghet/ and an area's page) --------------------------------------

# How near a cancelled walk must be to be still shown, marked as cancelled, among the coming
# ones: someone who planned to come sees that it is off; one further ahead simply goes.
CANCELLED_SHOWN_FOR = datetime.timedelta(days=14)


def coming_inspections(today: datetime.date | None = None) -> QuerySet[Inspection]:
    """ "Gå med oss": the planned walks from today on, and the cancelled ones of the next two
    weeks (the page marks them). The public fields only: date, time, meeting point,
    description and route of the walk, the council and its area; never who comes."""
    today = today or timezone.localdate()
    return (
        Inspection.objects.filter(date__gte=today)
        .filter(
            Q(status=InspectionStatus.PLANNED)
            | Q(status=InspectionStatus.CANCELLED, date__lte=today + CANCELLED_SHOWN_FOR)
        )
        .select_related("council", "council__area")
        .order_by("date", "starts_at", "pk")
    )


def actions_done_public() -> QuerySet[Action]:
    """The actions done from published protocols, the latest first (when marked done)."""
    return (
        Action.objects.filter(
            status=ActionStatus.DONE, finding__inspection__published_at__isnull=False
        )
        .select_related("finding", "finding__inspection", "finding__inspection__council__area")
        .order_by("-updated_at", "-pk")
    )


@dataclass
class AreaInspections:
    """An area's safety walks on its page: the latest held (its public protocol linked when
    published) and the next one planned."""

    latest: Inspection | None
    coming: Inspection | None


def inspections_of_area(area: Any, today: datetime.date | None = None) -> AreaInspections | None:
    """The latest held and the next planned inspection of the area's safety councils (two
    queries); None when it has neither."""
    today = today or timezone.localdate()
    of_area = Inspection.objects.filter(council__area=area).select_related("council")
    latest = (
        of_area.filter(status__in=DONE_STATUSES, date__lte=today).order_by("-date", "-pk").first()
    )
    coming = (
        of_area.filter(status=InspectionStatus.PLANNED, date__gte=today)
        .order_by("date", "starts_at", "pk")
        .first()
    )
    if latest is None and coming is None:
        return None
    return AreaInspections(latest=latest, coming=coming)


# How long a walk is put in the calendar for when it has a time (it has no end time of its own).
WALK_LENGTH = datetime.timedelta(hours=2)


def calendar_entries(
    *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
) -> list[Entry]:
    """The calendar's provider (dialogues.calendar): the walks, "gå med oss", with their
    time, meeting point and area; a cancelled one marked as such. Public fields only."""
    walks = Inspection.objects.filter(date__gte=start, date__lte=end).select_related(
        "council", "council__area"
    )
    if area_ids is not None:
        walks = walks.filter(council__area_id__in=area_ids)
    entries = []
    for walk in walks.order_by("date", "pk"):
        area = walk.council.area
        when: dict[str, Any] = {"first_day": walk.date}
        if walk.starts_at is not None:
            starts = timezone.make_aware(datetime.datetime.combine(walk.date, walk.starts_at))
            when = {"starts_at": starts, "ends_at": starts + WALK_LENGTH}
        entries.append(
            Entry(
                uid=f"inspection-{walk.pk}",
                kind="besiktning",
                kind_label=str(_("Trygghetsbesiktning")),
                title=_("Trygghetsbesiktning i %(area)s")
                % {"area": area.name if area else walk.council.name},
                url=f"{reverse('core:safety')}#besiktning-{walk.pk}",
                place=walk.meeting_point,
                areas=(area.name,) if area else (),
                description=walk.description,
                cancelled=walk.status == InspectionStatus.CANCELLED,
                last_modified=walk.updated_at,
                **when,
            )
        )
    return entries
