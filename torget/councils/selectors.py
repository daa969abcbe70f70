"""Reads of the councils part. Public reads show a council's kind, area, the organisations
and roles of its members and the chair's organisation, never a person's contact details."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.councils import permissions
from torget.councils.models import (
    Council,
    CouncilKind,
    CouncilMeeting,
    CouncilMember,
    CouncilStatus,
    UtskottParticipation,
)
from torget.meetings.minutes import MinutesEntry
from torget.meetings.models import MeetingStatus
from torget.organisation.models import Body
from torget.organisation.selectors import seats_current


def _current_members(on: datetime.date | None = None) -> QuerySet[CouncilMember]:
    on = on or timezone.localdate()
    return CouncilMember.objects.filter(term_from__lte=on).filter(
        Q(term_to__isnull=True) | Q(term_to__gte=on)
    )


def current_members(council: Council) -> QuerySet[CouncilMember]:
    return _current_members().filter(council=council)


def councils_public() -> QuerySet[Council]:
    """Every council, the closed ones too (marked), with area, utskott and chair."""
    return Council.objects.select_related("area", "utskott", "chair").order_by(
        "status", "kind", "name"
    )


def _councils_with_members() -> QuerySet[Council]:
    """Councils with their current members (`current_members`) for the public pages, which
    show the members' organisations and roles only."""
    return councils_public().prefetch_related(
        Prefetch(
            "members",
            queryset=_current_members().order_by("represents", "organisation", "role"),
            to_attr="current_members",
        )
    )


def public_council(slug: str) -> Council:
    return get_object_or_404(_councils_with_members(), slug=slug)


def public_council_of_body(body: Body) -> Council | None:
    """The council whose own body this is, as its public page shows it (None for any other
    body): for the body's page under /om/organisation/."""
    return _councils_with_members().filter(body=body).first()


def councils_of_area(area: Any) -> QuerySet[Council]:
    return councils_public().filter(area=area)


def access_council(actor: Actor, pk: int) -> Council:
    """A council for its staff page: 404 if missing, 403 for anyone who may not read it
    (members of another utskott among them)."""
    council = get_object_or_404(
        Council.objects.select_related("area", "utskott", "body", "chair", "acting_chair"), pk=pk
    )
    if not permissions.reads_council(actor, council):
        raise PermissionDenied
    return council


def access_council_for_editing(actor: Actor, pk: int) -> Council:
    council = access_council(actor, pk)
    if not permissions.edits_councils(actor):
        raise PermissionDenied
    return council


def readable_councils(actor: Actor) -> list[Council]:
    """The councils `actor` reads, in one query: all for those who edit them, else those of
    the utskott the actor sits in and those the actor supports (permissions.reads_council)."""
    councils = Council.objects.select_related("area", "utskott").order_by("status", "kind", "name")
    if permissions.edits_councils(actor):
        return list(councils)
    if not actor.is_authenticated:
        return []
    return list(councils.filter(permissions.read_by(actor)).distinct())


def council_meetings(council: Council) -> QuerySet[CouncilMeeting]:
    return (
        CouncilMeeting.objects.filter(council=council)
        .select_related("meeting", "secretary", "meeting__documentation")
        .order_by("-meeting__starts_at")
    )


def published_minutes(council: Council) -> QuerySet[CouncilMeeting]:
    """The council's meetings whose minutes are public: the meeting is no draft and its
    documentation is approved."""
    return (
        council_meetings(council)
        .exclude(meeting__status=MeetingStatus.DRAFT)
        .filter(meeting__documentation__approved_at__isnull=False)
    )


def access_council_meeting(actor: Actor, council: Council, pk: int) -> CouncilMeeting:
    """One meeting of a council the actor may read (checked by access_council first)."""
    return get_object_or_404(
        CouncilMeeting.objects.select_related("meeting", "secretary", "council"),
        council=council,
        pk=pk,
    )


def participations(council: Council) -> QuerySet[UtskottParticipation]:
    return council.participations.select_related("person", "council_meeting__meeting")


def utskott_recipients(utskott: Body | None) -> list[Any]:
    """Who receives invitations and minutes for the utskott: today its current members.
    Widen here when the utskott's work gets a coordinator of its own."""
    if utskott is None:
        return []
    return [seat.person for seat in seats_current(body=utskott).select_related("person")]


def utskott_members(utskott: Body | None) -> list[Any]:
    if utskott is None:
        return []
    return [seat.person for seat in seats_current(body=utskott).select_related("person")]


def minutes_to_utskott(
    body: Body, since: datetime.datetime | None, until: datetime.datetime
) -> list[MinutesEntry]:
    """meetings.minutes: the safety councils' minutes sent to this utskott since its
    previous meeting, for the agenda of its next one."""
    sent = CouncilMeeting.objects.filter(
        council__utskott=body,
        council__kind=CouncilKind.SAFETY,
        minutes_sent_at__isnull=False,
        minutes_sent_at__lte=until,
    ).select_related("council", "meeting")
    if since is not None:
        sent = sent.filter(minutes_sent_at__gt=since)
    return [
        MinutesEntry(
            _("%(council)s: minnesanteckningar från mötet %(date)s")
            % {
                "council": cm.council.name,
                "date": timezone.localdate(cm.meeting.starts_at).isoformat(),
            },
            timezone.localdate(cm.minutes_sent_at),
            cm.meeting.get_absolute_url(),
        )
        for cm in sent
    ]


def active_councils() -> QuerySet[Council]:
    return Council.objects.filter(status=CouncilStatus.ACTIVE)
