"""Demo data for the inspections: a year of inspections for the twelve safety councils,
spring and autumn, with attendance per group, and Tallboda missing its autumn inspection so
that the planning view and the coordinator's start page warn of it."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.councils.models import Council, CouncilKind, CouncilStatus
from torget.inspections import services
from torget.inspections.models import Inspection, InspectionStatus, InvitedGroup

# The area whose autumn inspection was never planned.
MISSING_AUTUMN = "Trygghetsrådet Tallboda"
# Groups that did not come to the demo's walks (the others did).
ABSENT = {InvitedGroup.FAITH, InvitedGroup.DISTRICT_COORDINATORS}


def _walk(council: Council, day: datetime.date, actor: Any, today: datetime.date) -> None:
    area = council.area.name if council.area else council.name
    inspection = services.inspection_plan(
        actor=actor,
        council=council,
        date=day,
        starts_at=datetime.time(18, 0),
        meeting_point=f"Vid centrumtorget i {area}",
        route={
            "type": "LineString",
            "coordinates": [[15.6214, 58.4108], [15.6250, 58.4120], [15.6290, 58.4101]],
        },
        description="Vi går genom centrum, förbi skolan och hållplatserna och ner mot gångtunneln.",
    )
    if day > today:
        return
    services.inspection_mark_held(actor=actor, inspection=inspection)
    services.attendance_record(
        actor=actor,
        inspection=inspection,
        attended=[code for code in InvitedGroup.values if code not in ABSENT],
    )
    if day.month <= 6:
        services.inspection_protocol_done(actor=actor, inspection=inspection)


@demo.register("inspections", after=["councils"])
def load(context: DemoContext) -> None:
    """The year's inspections (see the module's docstring)."""
    coordinator = context.users[Role.SAFETY_COORDINATOR]
    today = timezone.localdate()
    year = today.year
    councils = Council.objects.filter(
        kind=CouncilKind.SAFETY, status=CouncilStatus.ACTIVE, area__isnull=False
    ).order_by("name")
    for index, council in enumerate(councils):
        if Inspection.objects.filter(council=council, year=year).exists():
            continue
        _walk(council, datetime.date(year, 5, 4 + index), coordinator, today)
        if council.name != MISSING_AUTUMN:
            _walk(council, datetime.date(year, 9, 7 + index), coordinator, today)
        context.changes += 1
    # One cancelled walk, so the page shows how a cancellation reads.
    innerstaden = councils.filter(name="Trygghetsrådet Innerstaden").first()
    if (
        innerstaden
        and not Inspection.objects.filter(
            council=innerstaden, status=InspectionStatus.CANCELLED
        ).exists()
    ):
        cancelled = services.inspection_plan(
            actor=coordinator,
            council=innerstaden,
            date=datetime.date(year, 4, 20),
            meeting_point="Stora torget",
        )
        services.inspection_cancel(
            actor=coordinator,
            inspection=cancelled,
            reason="Flyttad en vecka på grund av kraftigt regn.",
        )
        context.changes += 1
