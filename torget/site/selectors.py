"""Reads of the site shell: pages that gather what several parts offer."""

import dataclasses
import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.dialogues.models import ONGOING, PLANNED
from torget.dialogues.selectors import dialogues_public
from torget.feedback.selectors import cases_public
from torget.geo.models import Area
from torget.geo.selectors import area_family
from torget.meetings.models import MeetingStatus
from torget.meetings.selectors import meetings_public
from torget.organisation.models import MemberRole
from torget.organisation.selectors import dialogue_committees, seats_current
from torget.proposals.selectors import proposals_public

# How many of each the area page shows; each list links on to the full, filtered list.
SHOWN = 6
PAST_MEETINGS_SHOWN = 3
# The latest actions done after the safety inspections on /trygghet/.
ACTIONS_DONE_SHOWN = 10
ROLE_ORDER = {role: index for index, role in enumerate(MemberRole)}


@dataclasses.dataclass
class Committee:
    """An utskott för medborgardialog as the area page shows it."""

    body: Any
    members: list[Any]
    coming: list[Any]
    past: list[Any]


@dataclasses.dataclass
class AreaLife:
    """What is going on in an area now (the start page promises it): in the area and in the
    areas inside it, and the utskott of the area or of the area it lies in."""

    dialogues: list[Any]
    meetings: list[Any]
    proposals: list[Any]
    faults: list[Any]
    committees: list[Committee]
    # Utskott of areas inside this one (the municipality's page), as links.
    committees_below: list[Any]

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.dialogues,
                self.meetings,
                self.proposals,
                self.faults,
                self.committees,
                self.committees_below,
            )
        )


def area_life(area: Area, *, now: datetime.datetime | None = None) -> AreaLife:
    """A fixed number of queries whatever the area holds (the page asserts it)."""
    now = now or timezone.now()
    family = area_family(area)
    dialogues = list(
        dialogues_public()
        .filter(areas__in=family.below, status__in=PLANNED | ONGOING)
        .distinct()
        .order_by("starts_on", "pk")[:SHOWN]
    )
    meetings = list(
        meetings_public()
        .filter(status=MeetingStatus.PUBLISHED, ends_at__gte=now)
        .filter(
            Q(area_id__in=family.below)
            | Q(dialogue__areas__in=family.below)
            | Q(body__area_id__in=family.below)
        )
        .distinct()
        .order_by("starts_at", "pk")[:SHOWN]
    )
    proposals = list(proposals_public(area=area)[:SHOWN])
    faults = list(
        cases_public().filter(area_id__in=family.below).order_by("-created_at", "-pk")[:SHOWN]
    )
    committees = _committees(family.above, now)
    # The utskott's own meetings are listed under the utskott, not twice.
    shown = {committee.body.pk for committee in committees}
    meetings = [meeting for meeting in meetings if meeting.body_id not in shown]
    below = [pk for pk in family.below if pk != area.pk]
    committees_below = (
        list(dialogue_committees().filter(area_id__in=below).order_by("name")) if below else []
    )
    return AreaLife(
        dialogues=dialogues,
        meetings=meetings,
        proposals=proposals,
        faults=faults,
        committees=committees,
        committees_below=committees_below,
    )


def _committees(area_ids: list[int], now: datetime.datetime) -> list[Committee]:
    """The utskott of the nearest area (the area itself, or the one it lies in) that has one,
    with their members and their meetings that are not drafts."""
    seats = seats_current().select_related("person", "party").order_by("person__full_name")
    bodies = list(
        dialogue_committees()
        .filter(area_id__in=area_ids)
        .prefetch_related(Prefetch("memberships", queryset=seats, to_attr="current_memberships"))
    )
    if not bodies:
        return []
    distance = {pk: index for index, pk in enumerate(area_ids)}
    nearest = min(distance[body.area_id] for body in bodies if body.area_id is not None)
    bodies = [
        body for body in bodies if body.area_id is not None and distance[body.area_id] == nearest
    ]
    coming = list(
        meetings_public().filter(body__in=bodies, ends_at__gte=now).order_by("starts_at", "pk")
    )
    past = list(
        meetings_public()
        .filter(body__in=bodies, ends_at__lt=now)
        .order_by("-starts_at", "-pk")[: PAST_MEETINGS_SHOWN * len(bodies)]
    )
    committees = []
    for body in bodies:
        committees.append(
            Committee(
                body=body,
                # The chair and vice chairs first, then members, then deputies.
                members=sorted(body.current_memberships, key=lambda seat: ROLE_ORDER[seat.role]),
                coming=[m for m in coming if m.body_id == body.pk],
                past=[m for m in past if m.body_id == body.pk][:PAST_MEETINGS_SHOWN],
            )
        )
    return committees


@dataclasses.dataclass
class SafetyWorkSection:
    """A section of the safety work on /trygghet/ or an area's page that a part of Torget
    fills: `items` for `template` (rendered with `items` and `area`), or `empty` to say what
    will be there while there is nothing to show."""

    key: str
    title: Any
    empty: Any
    items: list[Any] = dataclasses.field(default_factory=list)
    template: str = ""


def safety_work_sections() -> list[SafetyWorkSection]:
    """The safety inspections' places on /trygghet/: coming inspections ("walk with us"),
    published protocols and actions done; the inspections part fills them (`items` from its
    selectors and a `template` of its own), and each says what will come while it is empty."""
    from torget.inspections.selectors import (
        actions_done_public,
        coming_inspections,
        published_protocols,
    )

    sections = [
        SafetyWorkSection(
            key="coming-inspections",
            title=_("Kommande trygghetsbesiktningar – gå med oss"),
            empty=_(
                "Här kommer du att se när och var nästa trygghetsbesiktning i ditt område går, "
                "så att du kan gå med och visa var det känns otryggt."
            ),
        ),
        SafetyWorkSection(
            key="published-protocols",
            title=_("Protokoll från trygghetsbesiktningar"),
            empty=_(
                "Här kommer protokollen från besiktningarna att publiceras: vad som hittades, "
                "orsakerna och vilka åtgärder som beslutades."
            ),
        ),
        SafetyWorkSection(
            key="actions-done",
            title=_("Åtgärder som är gjorda"),
            empty=_("Här kommer du att se åtgärderna efter besiktningarna som är genomförda."),
        ),
    ]
    coming, protocols, done = sections
    coming.items = list(coming_inspections())
    coming.template = "inspections/_coming_items.html"
    protocols.items = list(published_protocols()[:12])
    protocols.template = "inspections/_protocol_items.html"
    done.items = list(actions_done_public()[:ACTIONS_DONE_SHOWN])
    done.template = "inspections/_actions_done_items.html"
    return sections


def safety_work_of_area(area: Area) -> list[SafetyWorkSection]:
    """The safety inspections' place on an area's page: its latest inspection (with its
    public protocol once published) and the next one planned."""
    from torget.inspections.selectors import inspections_of_area

    walks = inspections_of_area(area)
    return [
        SafetyWorkSection(
            key="latest-inspection",
            title=_("Trygghetsbesiktningar"),
            empty=_(
                "Här kommer områdets senaste trygghetsbesiktning att visas, med det som "
                "hittades och åtgärderna, och när nästa går."
            ),
            items=[walks] if walks else [],
            template="inspections/_area_items.html",
        )
    ]
