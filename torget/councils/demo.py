"""Demo data for the councils: the twelve safety councils, each tied to the utskott whose area
covers it, Ljungsbro närråd (closed with the new term of office), the pensioners' and the
youth council, and a held meeting of Trygghetsrådet Innerstaden whose minutes are on the
agenda of Utskott Centrum's next meeting."""

import datetime

from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.councils import services
from torget.councils.models import Council, CouncilKind, CouncilMeeting, Represents
from torget.dialogues.models import Method
from torget.meetings import services as meetings
from torget.meetings.models import Meeting
from torget.organisation.models import Body

SAFETY_AREAS = [
    "Ekholmen",
    "Berga",
    "Skäggetorp",
    "Innerstaden",
    "Linghem",
    "Tallboda",
    "Ryd",
    "Vikingstad",
    "Malmslätt",
    "Lambohov",
    "Johannelund",
    "Ekängen",
]
TERM_START = datetime.date(2023, 1, 1)
FOCUS = (
    "Otrygga platser kring centrum och hållplatserna\n"
    "Ungdomar som samlas sent på kvällen\n"
    "Belysning och buskage längs gångvägarna"
)
# (name, organisation, role, represents)
LOCAL_MEMBERS = [
    ("Anna Berg", "Polisen, lokalpolisområde Storeby", "Områdespolis", Represents.AUTHORITY),
    ("Peter Lind", "Storebyhem AB", "Fastighetsförvaltare", Represents.BUSINESS),
    ("Sara Nyström", "Nattvandrarna i {area}", "Samordnare", Represents.ASSOCIATION),
    ("Kerstin Ödman", "{area}skolan", "Rektor", Represents.ORGANISATION),
    ("Ali Hassan", "Boende i {area}", "Boenderepresentant", Represents.RESIDENTS),
]


@demo.register("councils", after=["accounts", "geo", "organisation", "meetings"])
def load(context: DemoContext) -> None:
    """The councils of the demo municipality (see the module's docstring)."""
    users, areas = context.users, context.areas
    coordinator, admin, official = (
        users[Role.SAFETY_COORDINATOR],
        users[Role.ADMINISTRATOR],
        users[Role.OFFICIAL],
    )
    for index, area_name in enumerate(SAFETY_AREAS):
        name = f"Trygghetsrådet {area_name}"
        if Council.objects.filter(name=name).exists():
            continue
        council = services.council_create(
            actor=coordinator,
            kind=CouncilKind.SAFETY,
            name=name,
            area=areas[area_name],
            description=(
                f"Myndigheter, organisationer, föreningar, näringsidkare och boende i "
                f"{area_name} arbetar tillsammans för tryggheten i området."
            ),
            focus_questions=FOCUS,
        )
        members = [
            services.member_add(
                actor=coordinator,
                council=council,
                name=person,
                organisation=organisation.format(area=area_name),
                role=role,
                represents=represents,
                term_from=TERM_START,
                email=f"{person.split()[0].lower()}.{index}@example.se",
            )
            for person, organisation, role, represents in LOCAL_MEMBERS
        ]
        if area_name == "Linghem":
            services.chair_set(
                actor=coordinator,
                council=council,
                coordinator=coordinator,
                reason="Ingen av de lokala företrädarna ville ta ordförandeskapet den här "
                "mandatperioden.",
            )
        else:
            services.chair_set(actor=coordinator, council=council, member=members[2])
        services.support_add(
            actor=coordinator, council=council, user=coordinator, task="Samordnare"
        )
        context.changes += 1

    if not Council.objects.filter(name="Ljungsbro närråd").exists():
        ljungsbro = services.council_create(
            actor=coordinator,
            kind=CouncilKind.SAFETY,
            name="Ljungsbro närråd",
            area=areas["Utskottsområde Norr och väster"],
            description="Närrådet för Ljungsbro och orterna runt omkring.",
        )
        services.member_add(
            actor=coordinator,
            council=ljungsbro,
            name="Bo Sjöberg",
            organisation="Ljungsbro företagarförening",
            role="Ordförande i föreningen",
            represents=Represents.BUSINESS,
            term_from=datetime.date(2019, 1, 1),
            term_to=datetime.date(2022, 12, 31),
        )
        services.council_close(
            actor=coordinator,
            council=ljungsbro,
            closed_on=datetime.date(2022, 12, 31),
            reason="Närrådet upphörde i och med den nya mandatperioden.",
        )
        context.changes += 1

    _advisory(context, coordinator, official)
    _held_meeting(context, coordinator, admin)


def _advisory(context: DemoContext, coordinator: User, official: User) -> None:
    elected = context.users[Role.ELECTED]
    for kind, name, members in [
        (
            CouncilKind.PENSIONERS,
            "Kommunala pensionärsrådet",
            [
                ("Gunnel Ahl", "PRO Storeby", "Ordförande", Represents.ORGANISATION),
                ("Lars Mård", "SPF Seniorerna Storeby", "Ledamot", Represents.ORGANISATION),
                (elected.get_full_name(), "Kommunstyrelsen", "Ledamot", Represents.ELECTED),
            ],
        ),
        (
            CouncilKind.YOUTH,
            "Ungdomsrådet",
            [
                (
                    "Elsa Ring",
                    "Elevkåren vid Storeby gymnasium",
                    "Ordförande",
                    Represents.ORGANISATION,
                ),
                ("Noah Vik", "Ungdomens hus", "Ledamot", Represents.ASSOCIATION),
            ],
        ),
    ]:
        if Council.objects.filter(name=name).exists():
            continue
        council = services.council_create(
            actor=coordinator,
            kind=kind,
            name=name,
            description="Ett rådgivande råd där intresseorganisationernas företrädare möter "
            "de förtroendevalda.",
        )
        added = [
            services.member_add(
                actor=coordinator,
                council=council,
                name=person,
                organisation=organisation,
                role=role,
                represents=represents,
                term_from=TERM_START,
                user=elected if represents == Represents.ELECTED else None,
            )
            for person, organisation, role, represents in members
        ]
        services.chair_set(actor=coordinator, council=council, member=added[0])
        services.support_add(
            actor=coordinator, council=council, user=official, task="Sekreterare och stöd"
        )
        context.changes += 1


def _held_meeting(context: DemoContext, coordinator: User, admin: User) -> None:
    council = Council.objects.filter(name="Trygghetsrådet Innerstaden").first()
    if council is None or CouncilMeeting.objects.filter(council=council).exists():
        return
    today = timezone.localdate()

    def at(days: int, hour: int) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    council_meeting = services.council_meeting_plan(
        actor=coordinator,
        council=council,
        title="Trygghetsrådets möte i november",
        purpose="Lägesbild och åtgärder kring fokusfrågorna.",
        starts_at=at(-6, 15),
        ends_at=at(-6, 17),
        place="Stadsbiblioteket, konferensrummet",
    )
    meeting = meetings.agenda_publish(meeting=council_meeting.meeting, actor=coordinator)
    meeting = meetings.meeting_mark_held(meeting=meeting, actor=coordinator)
    members = list(council.members.order_by("pk"))
    services.secretary_appoint(
        actor=coordinator, council_meeting=council_meeting, member=members[1]
    )
    services.attendance_record(
        actor=coordinator, council_meeting=council_meeting, present=members[:4]
    )
    meetings.documentation_update(
        meeting=meeting,
        actor=coordinator,
        notes=(
            "Polisen redovisade lägesbilden: färre anmälningar om skadegörelse än i våras.\n\n"
            "Fastighetsägaren byter belysning i gångtunneln vid Järnvägsgatan före jul. "
            "Nattvandrarna går fredagar och lördagar under december."
        ),
        participants_total=4,
        counts={},
    )
    # Approving the minutes sends them to Utskott Centrum (meetings.bodies hook).
    meetings.documentation_approve(meeting=meeting, actor=coordinator)
    elected = context.users[Role.ELECTED]
    if council.utskott is not None:
        services.participation_record(
            actor=coordinator,
            council=council,
            person=elected,
            matter="Trygghetsfrågorna vid Resecentrum, som rör utskottets dialog om stationsområdet.",
            decided_on=today - datetime.timedelta(days=20),
            decision_reference="UMD1 § 14",
            council_meeting=council_meeting,
        )
        _next_utskott_meeting(council.utskott, admin, at(10, 18), at(10, 20))
    context.changes += 1


def _next_utskott_meeting(
    utskott: Body, admin: User, starts: datetime.datetime, ends: datetime.datetime
) -> None:
    """Utskott Centrum's next meeting, whose agenda lists the council's minutes."""
    if Meeting.objects.filter(body=utskott, starts_at__gte=timezone.now()).exists():
        return
    meeting = meetings.meeting_create(
        actor=admin,
        body=utskott,
        method=Method.objects.get(code="dialogmote"),
        title="Utskottets möte i december",
        purpose="Utskottets ordinarie möte: rapporter från området och trygghetsrådens protokoll.",
        starts_at=starts,
        ends_at=ends,
        place="Stadshuset, sal B",
    )
    for title, minutes, citizens in [
        ("Rapporter från området", 30, False),
        ("Protokoll från trygghetsråden", 20, False),
        ("Invånarnas frågor", 60, True),
        ("Övrigt", 10, False),
    ]:
        meetings.agenda_item_add(
            meeting=meeting, actor=admin, title=title, minutes=minutes, citizens_time=citizens
        )
    meetings.agenda_publish(meeting=meeting, actor=admin)
