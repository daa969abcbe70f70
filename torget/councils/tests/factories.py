"""Councils made through the services, as the staff pages make them."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.councils import services
from torget.councils.models import Council, CouncilKind, CouncilMeeting, Represents
from torget.dialogues.catalogue import catalogue_ensure
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory
from torget.organisation.models import BodyKind, MemberRole
from torget.organisation.tests.factories import BodyFactory, MembershipFactory


@dataclass
class Place:
    """An utskottsområde with its utskott and one member, and a district inside it."""

    committee_area: Any
    district: Any
    utskott: Any
    utskott_member: Any


def place(name: str = "Centrum") -> Place:
    committee_area = AreaFactory(name=f"Utskottsområde {name}", kind=AreaKind.COMMITTEE_AREA)
    district = AreaFactory(name=f"Stadsdel i {name}", parent=committee_area)
    utskott = BodyFactory(
        kind=BodyKind.DIALOGUE_COMMITTEE, name=f"Utskott {name}", area=committee_area
    )
    member = MembershipFactory(body=utskott, role=MemberRole.MEMBER).person
    return Place(committee_area, district, utskott, member)


def coordinator() -> Any:
    return user_with_role(Role.SAFETY_COORDINATOR)


def safety_council(where: Place, actor: Any = None, **values: Any) -> Council:
    values.setdefault("name", f"Trygghetsrådet {where.district.name}")
    values.setdefault("focus_questions", "Belysning vid skolan\nUngdomar vid centrum")
    return services.council_create(
        actor=actor or coordinator(),
        kind=CouncilKind.SAFETY,
        area=where.district,
        **values,
    )


def member(council: Council, actor: Any = None, **values: Any) -> Any:
    values.setdefault("name", "Anna Berg")
    values.setdefault("organisation", "Polisen")
    values.setdefault("role", "Områdespolis")
    values.setdefault("represents", Represents.AUTHORITY)
    values.setdefault("term_from", datetime.date(2023, 1, 1))
    return services.member_add(actor=actor or coordinator(), council=council, **values)


def planned_meeting(council: Council, actor: Any, *, days: int = 10) -> CouncilMeeting:
    catalogue_ensure()
    starts = timezone.now() + datetime.timedelta(days=days)
    return services.council_meeting_plan(
        actor=actor,
        council=council,
        title="Trygghetsrådets möte",
        purpose="Lägesbild och åtgärder.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Biblioteket",
    )
