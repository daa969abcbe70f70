"""Demo data for organisation: Storeby kommun itself, its parties and topics, the bodies
(KF, KS, three nämnder and seven utskott for medborgardialog) with their members, and the
administrations with their units, staff and contact people."""

import datetime
from typing import Any

from torget.accounts.demo import DEMO_DOMAIN, user_ensure
from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.organisation.models import (
    Administration,
    Body,
    BodyKind,
    BodyMembership,
    Employment,
    MemberRole,
    Municipality,
    Party,
    Topic,
    Unit,
    UnitKind,
)

TERM_START = datetime.date(2023, 1, 1)

PARTIES = [
    ("S", "Socialdemokraterna"),
    ("M", "Moderaterna"),
    ("SD", "Sverigedemokraterna"),
    ("C", "Centerpartiet"),
    ("V", "Vänsterpartiet"),
    ("KD", "Kristdemokraterna"),
    ("L", "Liberalerna"),
    ("MP", "Miljöpartiet"),
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Fatima",
    "Lars",
    "Karin",
    "Mohammed",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Aisha",
    "Nils",
    "Lena",
    "Ali",
    "Maria",
    "Olof",
    "Sofia",
    "Hassan",
    "Ingrid",
    "Mikael",
]
LAST_NAMES = [
    "Andersson",
    "Berg",
    "Lindqvist",
    "Nilsson",
    "Holm",
    "Karlsson",
    "Ek",
    "Öberg",
    "Sandberg",
    "Åström",
    "Lund",
    "Jönsson",
]

BODIES = [
    # (kind, name, abbreviation, seats, parent abbreviation, area name)
    (BodyKind.COUNCIL, "Kommunfullmäktige", "KF", 15, None, None),
    (BodyKind.EXECUTIVE, "Kommunstyrelsen", "KS", 9, None, None),
    (BodyKind.COMMITTEE, "Samhällsbyggnadsnämnden", "SBN", 7, None, None),
    (BodyKind.COMMITTEE, "Barn- och ungdomsnämnden", "BUN", 7, None, None),
    (BodyKind.COMMITTEE, "Kultur- och fritidsnämnden", "KFN", 7, None, None),
] + [
    (
        BodyKind.DIALOGUE_COMMITTEE,
        f"Utskott för medborgardialog {area}",
        f"UMD{index}",
        5,
        "KS",
        f"Utskottsområde {area}",
    )
    for index, area in enumerate(
        [
            "Centrum",
            "Norr och väster",
            "Söder",
            "Östra landsbygden",
            "Västra landsbygden",
            "Sydvästra landsbygden",
            "Södra landsbygden",
        ],
        start=1,
    )
]

TOPICS = [
    ("Trafik och gator", "trafik-och-gator"),
    ("Skola och förskola", "skola-och-forskola"),
    ("Miljö och klimat", "miljo-och-klimat"),
    ("Trygghet", "trygghet"),
    ("Kultur och fritid", "kultur-och-fritid"),
    ("Bostäder och stadsbyggnad", "bostader-och-stadsbyggnad"),
    ("Vård och omsorg", "vard-och-omsorg"),
]

ADMINISTRATIONS = [
    # (name, abbreviation, body, units)
    (
        "Kommunledningsförvaltningen",
        "KLF",
        "KS",
        [
            ("Kontaktcenter", UnitKind.CONTACT_CENTRE),
            ("Säkerhetsenheten", UnitKind.SAFETY),
            ("Hållbarhetsenheten", UnitKind.UNIT),
            ("Kommunkansliet", UnitKind.UNIT),
        ],
    ),
    ("Samhällsbyggnadsförvaltningen", "SBF", "SBN", [("Gata och park", UnitKind.UNIT)]),
    ("Utbildningsförvaltningen", "UF", "BUN", [("Förskola och skola", UnitKind.UNIT)]),
    ("Kultur- och fritidsförvaltningen", "KFF", "KFN", [("Fritid och föreningar", UnitKind.UNIT)]),
]


@demo.register("organisation", after=["accounts", "geo"])
def load(context: DemoContext) -> None:
    """The municipality, parties, topics, bodies with their members, and the
    administrations with their units and staff."""
    context.ensure(
        Municipality,
        {"pk": Municipality.SINGLETON_PK},
        name="Storeby kommun",
        email="kontakt@storeby.example",
        phone="0123-45 67 00",
        address="Storeby kommun\nTorggatan 1\n123 45 Storeby",
        website="https://storeby.example",
        population=165000,
        map_center_lat=58.41,
        map_center_lon=15.62,
        map_zoom=10,
        registrar_email="registrator@storeby.example",
    )
    parties = {
        abbr: context.ensure(Party, {"abbreviation": abbr}, name=name) for abbr, name in PARTIES
    }
    for name, slug in TOPICS:
        context.ensure(Topic, {"slug": slug}, name=name)
    context.bodies = _bodies(context, context.areas)
    _politicians(context, context.bodies, parties, context.users[Role.ELECTED])
    _administrations(context, context.bodies, context.users, context.areas)


def _bodies(context: DemoContext, areas: dict[str, Any]) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for kind, name, abbreviation, _seats, parent, area in BODIES:
        bodies[abbreviation] = context.ensure(
            Body,
            {"abbreviation": abbreviation},
            kind=kind,
            name=name,
            slug=name.lower()
            .replace(" ", "-")
            .replace("ö", "o")
            .replace("å", "a")
            .replace("ä", "a"),
            parent=bodies.get(parent) if parent else None,
            area=areas[area] if area else None,
        )
    return bodies


def _politicians(
    context: DemoContext, bodies: dict[str, Body], parties: dict[str, Party], demo_elected: User
) -> None:
    people = [demo_elected]
    for index in range(40):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        # Politicians of the demo cannot log in; only the demo elected official can.
        people.append(
            user_ensure(
                context,
                email=f"politiker{index + 1:02d}@{DEMO_DOMAIN}",
                full_name=f"{first} {last}",
                role=Role.ELECTED,
                can_log_in=False,
            )
        )
    party_cycle = list(parties.values())
    roles = [MemberRole.CHAIR, MemberRole.FIRST_VICE_CHAIR, MemberRole.SECOND_VICE_CHAIR]
    for body_index, (_kind, _name, abbreviation, seats, _parent, _area) in enumerate(BODIES):
        body = bodies[abbreviation]
        for seat in range(seats):
            # The demo elected official chairs the first utskott and sits in KS.
            if abbreviation == "UMD1" and seat == 0 or abbreviation == "KS" and seat == seats - 1:
                person = demo_elected
            else:
                person = people[1 + (body_index * 5 + seat * 3) % 40]
            if BodyMembership.objects.current().filter(body=body, person=person).exists():
                continue
            role = roles[seat] if seat < len(roles) else MemberRole.MEMBER
            if seat >= seats - 1 and seats > 5:
                role = MemberRole.DEPUTY
            BodyMembership.objects.create(
                body=body,
                person=person,
                party=party_cycle[(body_index + seat) % len(party_cycle)],
                role=role,
                started_on=TERM_START,
            )
            context.changes += 1


def _administrations(
    context: DemoContext, bodies: dict[str, Body], users: dict[Role, User], areas: dict[str, Any]
) -> None:
    units: dict[str, Unit] = {}
    administrations: dict[str, Administration] = {}
    for name, abbreviation, body, unit_specs in ADMINISTRATIONS:
        administration = context.ensure(
            Administration,
            {"abbreviation": abbreviation},
            name=name,
            slug=abbreviation.lower(),
            body=bodies[body],
            email=f"{abbreviation.lower()}@storeby.example",
        )
        administrations[abbreviation] = administration
        for unit_name, kind in unit_specs:
            units[unit_name] = context.ensure(
                Unit, {"administration": administration, "name": unit_name}, kind=kind
            )
    staff = [
        (
            users[Role.OFFICIAL],
            "KLF",
            "Hållbarhetsenheten",
            "Utvecklingsledare medborgardialog",
            True,
            [],
        ),
        (users[Role.CONTACT_CENTRE], "KLF", "Kontaktcenter", "Kommunvägledare", False, []),
        (
            users[Role.UTSKOTT_COORDINATOR],
            "KLF",
            "Kommunkansliet",
            "Koordinator för utskottsarbetet",
            False,
            [],
        ),
        (
            users[Role.SAFETY_COORDINATOR],
            "KLF",
            "Säkerhetsenheten",
            "Trygghetssamordnare",
            False,
            [
                "Utskottsområde Centrum",
                "Utskottsområde Norr och väster",
                "Utskottsområde Söder",
            ],
        ),
    ]
    contact_people = [
        ("Samir Lund", "SBF", "Gata och park"),
        ("Elin Holm", "UF", "Förskola och skola"),
        ("Jonas Ek", "KFF", "Fritid och föreningar"),
    ]
    for full_name, administration, unit in contact_people:
        person = user_ensure(
            context,
            email=f"kontaktperson-{administration.lower()}@{DEMO_DOMAIN}",
            full_name=full_name,
            role=Role.OFFICIAL,
            can_log_in=False,
        )
        staff.append((person, administration, unit, "Kontaktperson medborgardialog", True, []))
    for person, administration, unit, title, contact, covered in staff:
        employment = context.ensure(
            Employment,
            {"person": person, "administration": administrations[administration]},
            unit=units[unit],
            title=title,
            is_contact_person=contact,
        )
        wanted = {areas[name].pk for name in covered}
        if set(employment.areas.values_list("pk", flat=True)) != wanted:
            employment.areas.set(wanted)
            context.changes += 1
