"""Demo data for the inspections: a year of inspections for the twelve safety councils,
spring and autumn, with attendance per group, and Tallboda missing its autumn inspection so
that the planning view and the coordinator's start page warn of it. Each held walk has three
findings with a root-cause analysis and an action; the actions go through every status, and
each autumn walk follows up the spring's open actions. One finding in Innerstaden is a fault report.
Each council's walks have a few fictional contacts per group; the walks held were invited."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.councils.models import Council, CouncilKind, CouncilStatus
from torget.feedback.models import Category
from torget.inspections import invitations, services
from torget.inspections.models import (
    CauseRemoved,
    Finding,
    FindingCategory,
    GroupContact,
    Inspection,
    InspectionStatus,
    InvitedGroup,
    ResponsibleKind,
)
from torget.inspections.selectors import actions_to_follow_up

# The area whose autumn inspection was never planned.
MISSING_AUTUMN = "Trygghetsrådet Tallboda"
# Groups that did not come to the demo's walks (the others did).
ABSENT = {InvitedGroup.FAITH, InvitedGroup.DISTRICT_COORDINATORS}


def _walk(council: Council, day: datetime.date, actor: Any, today: datetime.date) -> None:
    """One walk; when its day has passed, held with attendance, findings, analyses and
    actions, and the follow-up of the area's earlier open actions."""
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
    if not GroupContact.objects.filter(group__inspection=inspection).exists():
        # The council's first walk; the next ones start with these contacts.
        _contacts(inspection, actor, council.pk)
    if day > today:
        return
    invitations.invitation_send(actor=actor, inspection=inspection)
    services.inspection_mark_held(actor=actor, inspection=inspection)
    services.attendance_record(
        actor=actor,
        inspection=inspection,
        attended=[code for code in InvitedGroup.values if code not in ABSENT],
    )
    for number, action in enumerate(actions_to_follow_up(inspection)):
        services.follow_up_record(
            actor=actor,
            inspection=inspection,
            action=action,
            cause_removed=CauseRemoved.PARTLY if number % 2 else CauseRemoved.NO,
            note="Följs upp igen vid nästa besiktning.",
        )
    _findings(inspection, actor)
    if day.month <= 6:
        # The spring protocols are done (on the utskott's next agenda) and published.
        services.inspection_protocol_done(actor=actor, inspection=inspection)
        services.protocol_publish(actor=actor, inspection=inspection)


def _contacts(inspection: Inspection, actor: Any, number: int) -> None:
    """A few fictional contacts (example.se addresses, numbers from the range kept for
    fiction)."""
    phone = f"070-174 06 {60 + number % 40:02d}"
    for group, name, email, mobile in [
        (InvitedGroup.NIGHT_WALKERS, "Nattvandrarna", f"nattvandrarna{number}@example.se", ""),
        (InvitedGroup.POLICE, "Områdespolisen", f"omradespolis{number}@example.se", phone),
        (InvitedGroup.RESIDENTS, "", f"hyresgastforeningen{number}@example.se", ""),
    ]:
        invitations.contact_add(
            actor=actor, inspection=inspection, group=group, name=name, email=email, phone=mobile
        )


FINDINGS = [
    (FindingCategory.LIGHTING, "Två lampor ur funktion i gångtunneln; mörkt hela vägen.", 0),
    (FindingCategory.VEGETATION, "Buskar vid gångvägen skymmer sikten mot parkeringen.", 1),
    (FindingCategory.VANDALISM, "Klotter och krossat glas i busskuren.", 2),
]


ANALYSES = [
    (
        "Gångtunneln är så mörk att många tar en omväg.",
        "Lamporna är trasiga och ingen har felanmält dem.",
        "Gatukontoret",
        "Byt lamporna och sätt upp skylt om felanmälan.",
        "Samhällsbyggnadsförvaltningen",
        ResponsibleKind.ADMINISTRATION,
    ),
    (
        "Man ser inte vem som kommer längs gångvägen.",
        "Buskarna har inte beskurits på flera år.",
        "Fastighetsägaren",
        "Beskär buskarna till knähöjd längs gångvägen.",
        "Bostadsbolaget",
        ResponsibleKind.PROPERTY_OWNER,
    ),
    (
        "Busskuren känns otrygg och skräpig.",
        "Ungdomar samlas där sent utan vuxna i närheten.",
        "Polisen och föreningarna",
        "Nattvandring fredagar och lördagar i området.",
        "Nattvandrarna",
        ResponsibleKind.ASSOCIATION,
    ),
]
# The steps each demo action is taken through, in turn, so every status is shown.
ACTION_PATHS: list[list[str]] = [[], ["agree"], ["agree", "start"], ["complete"], ["give_up"]]


def _findings(inspection: Inspection, actor: Any) -> None:
    area = inspection.council.area.name if inspection.council.area else ""
    for index, ((category, description, point), analysis) in enumerate(
        zip(FINDINGS, ANALYSES, strict=True)
    ):
        problem, cause_text, influenced_by, action_text, responsible, kind = analysis
        lon, lat = inspection.route["coordinates"][point] if inspection.route else (None, None)
        finding = services.finding_add(
            actor=actor,
            inspection=inspection,
            category=category,
            description=description,
            address=f"{area}, punkt {point + 1} på sträckningen",
            lat=lat,
            lon=lon,
        )
        services.problem_set(actor=actor, finding=finding, problem=problem)
        cause = services.cause_add(
            actor=actor, finding=finding, description=cause_text, influenced_by=influenced_by
        )
        action = services.action_propose(
            actor=actor,
            finding=finding,
            cause=cause,
            description=action_text,
            responsible=responsible,
            responsible_kind=kind,
            due_on=inspection.date + datetime.timedelta(days=60),
        )
        path = ACTION_PATHS[(inspection.council_id + index) % len(ACTION_PATHS)]
        for step in path:
            services.action_step(
                actor=actor,
                action=action,
                step=step,
                reason="Fastighetsägaren har inte svarat." if step == "give_up" else "",
            )


@demo.register("inspections", after=["councils", "feedback"])
def load(context: DemoContext) -> None:
    """The year's inspections (see the module's docstring)."""
    coordinator = context.users[Role.SAFETY_COORDINATOR]
    today = timezone.localdate()
    # The latest year whose autumn walks have been held, so the demo always has held
    # inspections with findings, whatever day it is loaded.
    year = today.year if today >= datetime.date(today.year, 9, 30) else today.year - 1
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

    # One finding the municipality must fix, made a fault report (linked both ways).
    held = (
        Inspection.objects.filter(council=innerstaden, status=InspectionStatus.HELD)
        .order_by("-date")
        .first()
    )
    category = Category.objects.filter(code="gatubelysning").first()
    if held and category and not Finding.objects.filter(case__isnull=False).exists():
        finding = services.finding_add(
            actor=coordinator,
            inspection=held,
            category=FindingCategory.LIGHTING,
            description="Gatlyktan vid övergångsstället är släckt.",
            address="Övergångsstället vid Stora torget",
        )
        services.problem_set(
            actor=coordinator,
            finding=finding,
            problem="Övergångsstället är mörkt och bilisterna ser inte de som går över.",
        )
        services.finding_report_fault(actor=coordinator, finding=finding, category=category)
        context.changes += 1


# How many days from the day the demo is loaded its coming walks go ("gå med oss" on
# /trygghet/ and the areas' pages), whatever day that is.
COMING_IN_DAYS = (10, 24)


@demo.register("inspections-coming", after=["inspections"])
def load_coming(context: DemoContext) -> None:
    """Two walks planned ahead, with a meeting point, a description and a route, so that
    /trygghet/ invites to them (not in Tallboda, whose missing season the warnings show)."""
    coordinator = context.users[Role.SAFETY_COORDINATOR]
    today = timezone.localdate()
    councils = (
        Council.objects.filter(
            kind=CouncilKind.SAFETY, status=CouncilStatus.ACTIVE, area__isnull=False
        )
        .exclude(name=MISSING_AUTUMN)
        .select_related("area")
        .order_by("name")
    )
    for council, days in zip(councils, COMING_IN_DAYS, strict=False):
        if Inspection.objects.filter(
            council=council, status=InspectionStatus.PLANNED, date__gte=today
        ).exists():
            continue
        services.inspection_plan(
            actor=coordinator,
            council=council,
            date=today + datetime.timedelta(days=days),
            starts_at=datetime.time(18, 30),
            meeting_point=f"Utanför biblioteket i {council.area.name if council.area else 'området'}",
            route={
                "type": "LineString",
                "coordinates": [[15.6214, 58.4108], [15.6250, 58.4120], [15.6290, 58.4101]],
            },
            description=(
                "Vi går från biblioteket längs gång- och cykelvägen till skolan och tillbaka "
                "förbi busshållplatsen. Ta med varma kläder och gärna en ficklampa."
            ),
        )
        context.changes += 1
