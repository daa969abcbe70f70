"""Builds the fictional demo municipality, Storeby kommun, modelled on the seeds.

Idempotent: every object is looked up by a natural key and only written when it is missing
or differs, so a second run changes nothing (no rows, no audit entries).
"""

import datetime
import json
import secrets
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.roles import STAFF_ROLES, Role
from torget.dialogues import services as dialogues
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Dialogue, InitiativeKind, LadderStep, Method, TargetGroup
from torget.evaluation import services as evaluation
from torget.feedback import services as feedback
from torget.feedback.models import Case, CaseStatus, Category, CategoryAttribute, CategoryUse, Kind
from torget.geo.models import Area
from torget.geo.services import areas_import_geojson
from torget.identity.personnummer import pin_key, with_check_digit
from torget.meetings import services as meetings
from torget.meetings.models import Meeting
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
from torget.organisation.services import diary_number_next
from torget.proposals.models import Event, EventKind, Origin, Outcome, Proposal, Status, Support
from torget.results import services as results
from torget.results.models import Kind as ResultKind
from torget.results.models import RaisedVia

DATA = Path(__file__).resolve().parents[2] / "data"
# The README's published password; only the dev and test profiles use it (see `handle`).
DEMO_PASSWORD = "torget-demo"  # noqa: S105 — printed for the demo on purpose
DEMO_PROFILES = {"dev", "test"}
DEMO_DOMAIN = "demo.storeby.example"
TERM_START = datetime.date(2023, 1, 1)

DEMO_USERS = [
    # (e-mail local part, role, full name)
    ("medborgare", Role.CITIZEN, "Maja Medborgare"),
    ("tjansteperson", Role.OFFICIAL, "Tove Tjänsteperson"),
    ("fortroendevald", Role.ELECTED, "Filip Förtroendevald"),
    ("kontaktcenter", Role.CONTACT_CENTRE, "Kim Kontaktcenter"),
    ("trygghet", Role.SAFETY_COORDINATOR, "Tilda Trygghetssamordnare"),
    ("admin", Role.ADMINISTRATOR, "Ada Administratör"),
]

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
        ],
    ),
    ("Samhällsbyggnadsförvaltningen", "SBF", "SBN", [("Gata och park", UnitKind.UNIT)]),
    ("Utbildningsförvaltningen", "UF", "BUN", [("Förskola och skola", UnitKind.UNIT)]),
    ("Kultur- och fritidsförvaltningen", "KFF", "KFN", [("Fritid och föreningar", UnitKind.UNIT)]),
]


# Synpunkter och felanmälan: (code, name, use, administration, unit, group)
FEEDBACK_CATEGORIES = [
    (
        "gatubelysning",
        "Gatubelysning",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "gator",
        "Hål eller skador i gata, gång- eller cykelväg",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "snorojning",
        "Snöröjning och halkbekämpning",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "skyltar",
        "Trafikskyltar och trafiksignaler",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "lekplatser",
        "Lekplatser och parker",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Parker och natur",
    ),
    (
        "nedskrapning",
        "Nedskräpning och papperskorgar",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Renhållning",
    ),
    (
        "klotter",
        "Klotter och skadegörelse",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Renhållning",
    ),
    ("skola", "Förskola och skola", CategoryUse.OPINION, "UF", "Förskola och skola", ""),
    ("trafik", "Gator, trafik och parkering", CategoryUse.OPINION, "SBF", "Gata och park", ""),
    (
        "fritid",
        "Kultur, idrott och fritid",
        CategoryUse.OPINION,
        "KFF",
        "Fritid och föreningar",
        "",
    ),
    ("service", "Kommunens service och bemötande", CategoryUse.OPINION, "KLF", "Kontaktcenter", ""),
    ("annat", "Annat", CategoryUse.OPINION, "KLF", "Kontaktcenter", ""),
]

# (category, kind, area, description, address, days ago, status, public reply)
DEMO_CASES = [
    (
        "gatubelysning",
        Kind.FAULT,
        "Berga",
        "Tre lampor i rad är släckta längs gång- och cykelvägen.",
        "Gång- och cykelvägen vid Bergaskolan",
        2,
        "mottaget",
        "",
    ),
    (
        "gator",
        Kind.FAULT,
        "Innerstaden",
        "Djupt hål i vägbanan vid övergångsstället.",
        "Storgatan vid Torget",
        9,
        "pagar",
        "Vi lagar hålet under vecka 49.",
    ),
    (
        "lekplatser",
        Kind.FAULT,
        "Ryd",
        "Gungan på lekplatsen har en trasig kedja.",
        "",
        30,
        "atgardat",
        "Kedjan är utbytt. Tack för att du hörde av dig!",
    ),
    (
        "klotter",
        Kind.FAULT,
        "Skäggetorp",
        "Klotter på bullerplanket.",
        "Bullerplanket mot E4",
        6,
        "mottaget",
        "",
    ),
    (
        "skola",
        Kind.QUESTION,
        "",
        "Hur anmäler jag mitt barn till fritids under lovet?",
        "",
        3,
        "mottaget",
        "",
    ),
    (
        "service",
        Kind.PRAISE,
        "",
        "Mycket trevligt och hjälpsamt bemötande i receptionen!",
        "",
        12,
        "avslutat",
        "",
    ),
]


class Command(BaseCommand):
    help = "Läs in demokommunen Storeby kommun (kan köras flera gånger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force-in-production",
            action="store_true",
            help=(
                "Läs in demon även med TORGET_ENV=production, till exempel på en testserver. "
                "Inloggningarna får då ett slumpat lösenord som skrivs ut en gång."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TORGET_ENV == "production" and not options["force_in_production"]:
            # The demo creates staff log-ins, an administrator among them: on a real site
            # that is a way in for anyone who has read the README.
            raise CommandError(
                "load_demo refuses to run with TORGET_ENV=production: it creates demo staff "
                "accounts, an administrator among them. Use --force-in-production to load "
                "the demo anyway (the log-ins then get a random password, printed once)."
            )
        # Outside dev and test the published password would work on a reachable site, so each
        # run draws its own; dev keeps the README's so its demo log-ins work.
        if settings.TORGET_ENV in DEMO_PROFILES:
            self.password = DEMO_PASSWORD
        else:
            self.password = secrets.token_urlsafe(12)
        self.password_used = False
        self.changes = 0
        with transaction.atomic():
            self.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality loaded ({self.changes} objects created or changed)."
            )
        )
        if self.password == DEMO_PASSWORD:
            self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        elif self.password_used:
            self.stdout.write(
                self.style.WARNING(
                    "Demo log-ins (password of those created or reset in this run, shown "
                    f"only now: {self.password}):"
                )
            )
        else:
            self.stdout.write(
                "Demo log-ins (their password is the one printed when they were created):"
            )
        for local, role, _name in DEMO_USERS:
            self.stdout.write(f"  {role.label:<22} {local}@{DEMO_DOMAIN}")

    # -- helpers ---------------------------------------------------------------------------

    def ensure(self, model: type[models.Model], lookup: dict[str, Any], **values: Any) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.changes += 1
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.full_clean()
            obj.save()
            self.changes += 1
        return obj

    # -- the municipality -------------------------------------------------------------------

    def load(self) -> None:
        self.ensure(
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
        areas = self.load_areas()
        parties = {
            abbr: self.ensure(Party, {"abbreviation": abbr}, name=name) for abbr, name in PARTIES
        }
        for name, slug in TOPICS:
            self.ensure(Topic, {"slug": slug}, name=name)
        bodies = self.load_bodies(areas)
        users = self.load_demo_users()
        self.load_politicians(bodies, parties, users[Role.ELECTED])
        self.load_administrations(bodies, users, areas)
        self.load_proposals(areas, bodies, users)
        self.load_feedback(areas, users)
        self.load_dialogues(areas, bodies, users)
        self.load_meetings(areas, users)
        # The participants' survey template, so staff find it ready to adapt.
        evaluation.template_ensure()

    def load_areas(self) -> dict[str, Area]:
        data = json.loads((DATA / "areas.geojson").read_text(encoding="utf-8"))
        # Parents first: the municipality, then utskottsområden, then districts and localities.
        groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
        for feature in data["features"]:
            props = feature["properties"]
            groups[(props["kind"], props["parent"])].append(feature)
        order = {"kommun": 0, "utskottsomrade": 1, "stadsdel": 2, "ort": 2}
        for (kind, parent_name), features in sorted(
            groups.items(), key=lambda item: order[item[0][0]]
        ):
            parent = Area.objects.get(name=parent_name) if parent_name else None
            result = areas_import_geojson(
                data={"type": "FeatureCollection", "features": features},
                kind=kind,
                parent=parent,
                source="demo",
            )
            self.changes += len(result.created) + len(result.updated)
        return {area.name: area for area in Area.objects.all()}

    def load_bodies(self, areas: dict[str, Area]) -> dict[str, Body]:
        bodies: dict[str, Body] = {}
        for kind, name, abbreviation, _seats, parent, area in BODIES:
            bodies[abbreviation] = self.ensure(
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

    def ensure_user(self, *, email: str, full_name: str, role: Role, can_log_in: bool) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, email_verified_at=timezone.now())
            if can_log_in:
                user.set_password(self.password)
                self.password_used = True
            else:
                user.set_unusable_password()
        elif can_log_in and self.password != DEMO_PASSWORD and user.check_password(DEMO_PASSWORD):
            # Loaded earlier with the published password (before this check existed, or in
            # dev on a database now served in production): close that door.
            user.set_password(self.password)
            user.save(update_fields=["password"])
            self.password_used = True
            self.changes += 1
        values = {
            "full_name": full_name,
            "display_name": full_name.split()[0],
            "is_staff": role in STAFF_ROLES,
        }
        if user.pk is None or any(getattr(user, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(user, field, value)
            user.save()
            self.changes += 1
        group = Group.objects.get(name=role.value)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            self.changes += 1
        return user

    def load_demo_users(self) -> dict[Role, User]:
        return {
            role: self.ensure_user(
                email=f"{local}@{DEMO_DOMAIN}", full_name=full_name, role=role, can_log_in=True
            )
            for local, role, full_name in DEMO_USERS
        }

    def load_politicians(
        self, bodies: dict[str, Body], parties: dict[str, Party], demo_elected: User
    ) -> None:
        people = [demo_elected]
        for index in range(40):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            # Politicians of the demo cannot log in; only the demo elected official can.
            people.append(
                self.ensure_user(
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
                if (
                    abbreviation == "UMD1"
                    and seat == 0
                    or abbreviation == "KS"
                    and seat == seats - 1
                ):
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
                self.changes += 1

    def load_administrations(
        self, bodies: dict[str, Body], users: dict[Role, User], areas: dict[str, Area]
    ) -> None:
        units: dict[str, Unit] = {}
        administrations: dict[str, Administration] = {}
        for name, abbreviation, body, unit_specs in ADMINISTRATIONS:
            administration = self.ensure(
                Administration,
                {"abbreviation": abbreviation},
                name=name,
                slug=abbreviation.lower(),
                body=bodies[body],
                email=f"{abbreviation.lower()}@storeby.example",
            )
            administrations[abbreviation] = administration
            for unit_name, kind in unit_specs:
                units[unit_name] = self.ensure(
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
            person = self.ensure_user(
                email=f"kontaktperson-{administration.lower()}@{DEMO_DOMAIN}",
                full_name=full_name,
                role=Role.OFFICIAL,
                can_log_in=False,
            )
            staff.append((person, administration, unit, "Kontaktperson medborgardialog", True, []))
        for person, administration, unit, title, contact, covered in staff:
            employment = self.ensure(
                Employment,
                {"person": person, "administration": administrations[administration]},
                unit=units[unit],
                title=title,
                is_contact_person=contact,
            )
            wanted = {areas[name].pk for name in covered}
            if set(employment.areas.values_list("pk", flat=True)) != wanted:
                employment.areas.set(wanted)
                self.changes += 1

    # -- synpunkter och felanmälan ----------------------------------------------------------

    def load_feedback(self, areas: dict[str, Area], users: dict[Role, User]) -> None:
        feedback.statuses_ensure_defaults()
        administrations = {a.abbreviation: a for a in Administration.objects.all()}
        categories = {}
        for order, (code, name, use, administration, unit, group) in enumerate(FEEDBACK_CATEGORIES):
            categories[code] = self.ensure(
                Category,
                {"code": code},
                name=name,
                use=use,
                administration=administrations[administration],
                unit=Unit.objects.get(administration=administrations[administration], name=unit),
                group=group,
                order=order,
            )
        self.ensure(
            CategoryAttribute,
            {"category": categories["gatubelysning"], "code": "stolpnummer"},
            description="Stolpens nummer, om du ser det",
            datatype_description="Står på en skylt på stolpen, till exempel 12-345.",
            required=False,
            order=1,
        )
        if Case.objects.exists():
            return
        handler = users[Role.CONTACT_CENTRE]
        for code, kind, area_name, text, address, days, status, reply in DEMO_CASES:
            point = areas[area_name].shape.representative_point() if area_name else None
            case = feedback.case_create(
                kind=kind,
                category=categories[code],
                description=text,
                lat=point.y if point else None,
                lon=point.x if point else None,
                address=address,
                created_at=timezone.now() - datetime.timedelta(days=days),
            )
            if reply:
                feedback.case_reply(case=case, actor=handler, text=reply, public=True)
            if status != "mottaget":
                feedback.case_set_status(
                    case=case, status=CaseStatus.objects.get(slug=status), actor=handler
                )
            self.changes += 1

    # -- medborgardialoger --------------------------------------------------------------------

    def load_dialogues(
        self, areas: dict[str, Area], bodies: dict[str, Body], users: dict[Role, User]
    ) -> None:
        """Dialogues at several points of the process, made through the real steps."""
        catalogue_ensure()
        if Dialogue.objects.exists():
            return
        admin, official, elected = (
            users[Role.ADMINISTRATOR],
            users[Role.OFFICIAL],
            users[Role.ELECTED],
        )
        today = timezone.localdate()
        administrations = {a.abbreviation: a for a in Administration.objects.all()}

        def step(dialogue: Dialogue, name: str, **values: Any) -> None:
            dialogues.dialogue_step(dialogue=dialogue, step=name, actor=admin, **values)

        def decided(dialogue: Dialogue, body: Body, reference: str, budget: int) -> None:
            step(
                dialogue,
                "decide",
                deciding_body=body,
                decided_on=today - datetime.timedelta(days=60),
                decision_reference=reference,
                budget=budget,
                steering_group=f"{body.name}s presidium och förvaltningschefen",
                process_leader=elected,
                supporting_official=official,
            )

        def planned(
            dialogue: Dialogue,
            *,
            question: str,
            influence: str,
            step_no: int,
            groups: list[str],
            methods: list[str],
            starts: int,
            ends: int,
        ) -> None:
            step(dialogue, "start_planning")
            dialogues.dialogue_update(
                dialogue=dialogue,
                actor=admin,
                question=question,
                open_to_influence=influence,
                ladder_step=step_no,
                how_to_take_part="Kom till mötena i kalendariet, eller lämna synpunkter på webbplatsen.",
                communication_plan="Webbplatsen, affischer, sociala medier och brev till hushållen i området.",
                documentation_plan="Anteckningar från varje möte publiceras på dialogens sida inom en vecka.",
                feedback_plan="En sammanfattning skickas till deltagarna när dialogen är slut, och beslutet när det är fattat.",
                evaluation_plan="En kort enkät till deltagarna och en intern utvärdering i styrgruppen.",
                starts_on=today + datetime.timedelta(days=starts),
                ends_on=today + datetime.timedelta(days=ends),
                decision_expected_on=today + datetime.timedelta(days=ends + 60),
            )
            for name in groups:
                dialogues.target_group_add(
                    dialogue=dialogue,
                    actor=admin,
                    group=TargetGroup.objects.get(name=name),
                    effort="Riktad inbjudan och möten där gruppen redan finns.",
                )
            for name in methods:
                dialogues.method_add(
                    dialogue=dialogue, actor=admin, method=Method.objects.get(name=name)
                )

        school = dialogues.dialogue_initiate(
            actor=admin,
            title="Ny skolgård vid Bergaskolan",
            summary="Skolgården ska byggas om. Hur vill barnen, föräldrarna och grannarna att den ska se ut?",
            initiative_kind=InitiativeKind.POLITICAL,
            initiating_body=bodies["BUN"],
            administration=administrations["UF"],
            plan_year=today.year,
            plan_priority=1,
            special_weight=True,
            areas=[areas["Berga"]],
        )
        decided(school, bodies["BUN"], f"BUN {today.year}/41", 80000)
        planned(
            school,
            question="Vad ska finnas på den nya skolgården?",
            influence="Utformning, utrustning och växtlighet. Inte budgeten eller var skolgården ligger.",
            step_no=LadderStep.DIALOGUE,
            groups=["Barn", "Boende i ett visst område"],
            methods=["Information på kommunens webbplats", "Dialogmöte", "Lärande promenad"],
            starts=-10,
            ends=40,
        )
        step(school, "approve_plan")
        step(school, "open")
        dialogues.date_add(
            dialogue=school,
            actor=admin,
            title="Dialogmöte om skolgården",
            starts_at=timezone.make_aware(
                datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(18))
            ),
            ends_at=timezone.make_aware(
                datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(20))
            ),
            place="Bergaskolans matsal",
            area=areas["Berga"],
        )

        library = dialogues.dialogue_initiate(
            actor=admin,
            title="Framtidens bibliotek i Ryd",
            summary="Biblioteket i Ryd ska förnyas. Vad ska ett bibliotek vara för de som bor där?",
            initiative_kind=InitiativeKind.OFFICIALS,
            administration=administrations["KFF"],
            plan_year=today.year + 1,
            plan_priority=1,
            special_weight=True,
            areas=[areas["Ryd"]],
        )
        decided(library, bodies["KFN"], f"KFN {today.year}/17", 120000)
        planned(
            library,
            question="Vad ska biblioteket i Ryd erbjuda om fem år?",
            influence="Öppettider, aktiviteter och lokalernas indelning.",
            step_no=LadderStep.INFLUENCE,
            groups=["Unga", "Äldre", "Utlandsfödda"],
            methods=["Information på kommunens webbplats", "Fokusgrupp", "Sociala fyrtorn"],
            starts=45,
            ends=120,
        )

        dialogues.dialogue_initiate(
            actor=admin,
            title="Cykelstrategi för hela kommunen",
            summary="Förvaltningen föreslår en dialog om var cykelvägar behövs mest.",
            initiative_kind=InitiativeKind.OFFICIALS,
            administration=administrations["SBF"],
            plan_year=today.year + 1,
            plan_priority=2,
        )
        dialogues.dialogue_request(
            title="Trygghet kring resecentrum",
            summary="Många känner sig otrygga vid resecentrum på kvällarna. Låt oss som bor här vara med och ta fram åtgärder.",
            requester_name="Sara Lind",
            requester_email="sara.lind@example.se",
            areas=[areas["Innerstaden"]],
        )
        self.changes += 4

    # -- dialogmöten ------------------------------------------------------------------------

    def load_meetings(self, areas: dict[str, Area], users: dict[Role, User]) -> None:
        """The school dialogue's meetings: a learning walk last week, held and documented with
        its feedback sent, and a dialogue meeting next week with a published agenda, people
        registered and a question accepted."""
        school = Dialogue.objects.filter(title="Ny skolgård vid Bergaskolan").first()
        if school is None or Meeting.objects.filter(dialogue=school).exists():
            return
        admin, official, elected = (
            users[Role.ADMINISTRATOR],
            users[Role.OFFICIAL],
            users[Role.ELECTED],
        )
        today = timezone.localdate()

        def at(days: int, hour: int) -> datetime.datetime:
            day = today + datetime.timedelta(days=days)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

        walk = meetings.meeting_create(
            actor=admin,
            dialogue=school,
            method=Method.objects.get(name="Lärande promenad"),
            title="Promenad runt Bergaskolans skolgård",
            purpose="Att se skolgården tillsammans med barnen och höra vad de tycker fungerar och inte.",
            starts_at=at(-4, 15),
            ends_at=at(-4, 17),
            place="Samling vid Bergaskolans huvudentré",
            area=areas["Berga"],
            accessibility="Promenaden går på asfalt och grus. Hörslinga finns vid samlingen.",
            politician=elected,
            official=official,
        )
        meetings.agenda_item_add(meeting=walk, actor=admin, title="Välkomna och syftet", minutes=15)
        meetings.agenda_item_add(meeting=walk, actor=admin, title="Promenaden", minutes=60)
        meetings.agenda_item_add(
            meeting=walk,
            actor=admin,
            title="Barnens och föräldrarnas frågor",
            minutes=45,
            citizens_time=True,
        )
        walk = meetings.agenda_publish(meeting=walk, actor=admin)
        walk = meetings.meeting_mark_held(meeting=walk, actor=admin)
        groups = {group.name: group for group in TargetGroup.objects.all()}
        meetings.documentation_update(
            meeting=walk,
            actor=official,
            notes=(
                "24 personer gick runt skolgården, varav 15 barn.\n\n"
                "Det som kom fram: fler platser i skugga, en säkrare väg till cykelstället, "
                "och att belysningen vid gångvägen mot Bergavägen är trasig."
            ),
            participants_total=24,
            counts={groups["Barn"]: 15, groups["Boende i ett visst område"]: 9},
        )
        meetings.documentation_approve(meeting=walk, actor=elected)
        # What came out of the walk, one of each kind (seed 000).
        lamp = results.item_create(
            dialogue=school,
            actor=official,
            title="Trasig belysning vid gångvägen mot Bergavägen",
            description="Två lampor lyser inte. Barnen går där när det är mörkt på vintern.",
            meeting=walk,
            kind=ResultKind.SIMPLE,
        )
        results.forward_to_contact_centre(
            item=lamp, actor=official, category=Category.objects.get(code="annat")
        )
        crossing = results.item_create(
            dialogue=school,
            actor=official,
            title="Säkrare övergångsställe vid skolan",
            description="Föräldrarna vill ha ett upphöjt övergångsställe vid skolans entré.",
            meeting=walk,
            kind=ResultKind.COMMITTEE,
        )
        results.assign_to_namnd(
            item=crossing,
            actor=official,
            body=Body.objects.get(abbreviation="SBN"),
            raised_via=RaisedVia.PRESIDIUM,
        )
        results.timeline_add(
            item=crossing,
            actor=official,
            text="Trafikenheten utreder ett upphöjt övergångsställe.",
            due_on=today + datetime.timedelta(days=60),
        )
        results.item_create(
            dialogue=school,
            actor=official,
            title="Fler fritidspedagoger på skolgården",
            meeting=walk,
            kind=ResultKind.PARTY_POLITICAL,
            politician=elected,
        )
        meetings.feedback_send(
            meeting=walk,
            actor=official,
            questions=(
                "Skuggan och cykelvägen tas med i ritningarna. Belysningen har gått till "
                "kontaktcenter som en felanmälan."
            ),
            notes_where="Anteckningarna finns på dialogens sida.",
            next_on=today + datetime.timedelta(days=30),
        )

        evening = meetings.meeting_create(
            actor=admin,
            dialogue=school,
            method=Method.objects.get(name="Dialogmöte"),
            title="Dialogmöte om skolgården",
            purpose="Att visa skisserna och samtala om vad som ska finnas på skolgården.",
            starts_at=at(7, 18),
            ends_at=at(7, 20),
            place="Bergaskolans matsal, Bergavägen 10",
            area=areas["Berga"],
            accessibility="Entré utan trappsteg, hörslinga och fika. Säg till om du behöver tolk.",
            registration_required=True,
            capacity=60,
            politician=elected,
            official=official,
        )
        for title, minutes, citizens in [
            ("Välkomna – vad kan påverkas?", 15, False),
            ("Skisserna från arkitekten", 25, False),
            ("Era frågor och synpunkter", 50, True),
            ("Så går vi vidare", 10, False),
        ]:
            meetings.agenda_item_add(
                meeting=evening, actor=admin, title=title, minutes=minutes, citizens_time=citizens
            )
        evening = meetings.agenda_publish(meeting=evening, actor=admin)
        for name, email in [
            ("Karin Ek", "karin.ek@example.se"),
            ("Omar Haddad", "omar.haddad@example.se"),
        ]:
            meetings.registration_create(meeting=evening, name=name, email=email)
        question = meetings.question_submit(
            meeting=evening,
            text="Kan skolgården vara öppen för lek på helgerna?",
            name="Karin Ek",
        )
        meetings.question_moderate(question=question, actor=official, accept=True)
        self.changes += 2

    # -- medborgarförslag -------------------------------------------------------------------

    def load_proposals(
        self, areas: dict[str, Area], bodies: dict[str, Body], users: dict[Role, User]
    ) -> None:
        """One proposal at each step, so every page of the proposals part has something."""
        today = timezone.localdate()
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        citizen, official = users[Role.CITIZEN], users[Role.OFFICIAL]
        council, committee = bodies["KF"], bodies["SBN"]
        for spec in DEMO_PROPOSALS:
            if Proposal.objects.filter(title=spec["title"]).exists():
                continue
            started = today - datetime.timedelta(days=spec["age"])
            status = spec["status"]
            proposal = Proposal(
                title=spec["title"],
                body=spec["body"],
                topic=topics[spec["topic"]],
                area=areas.get(spec.get("area", "")),
                author=citizen if spec.get("mine") else None,
                author_name=citizen.public_name if spec.get("mine") else spec["author"],
                origin=spec.get("origin", Origin.WEB),
                source=spec.get("source", ""),
                responsible_politician=users[Role.ELECTED] if spec.get("source") else None,
                status=status,
                signing_days=90,
                created_at=timezone.make_aware(
                    datetime.datetime.combine(started, datetime.time(9))
                ),
            )
            events: list[tuple[str, datetime.date, str, str, Body | None]] = [
                (EventKind.SUBMITTED, started, "", "", None)
            ]
            if status not in {Status.SUBMITTED, Status.REGISTERED}:
                proposal.published_at = proposal.created_at + datetime.timedelta(days=1)
                proposal.signing_ends_on = started + datetime.timedelta(days=91)
                proposal.threshold = 50
                proposal.moderated_by = official
                events.append(
                    (EventKind.PUBLISHED, started + datetime.timedelta(days=1), "", "", None)
                )
            if status == Status.REGISTERED:
                proposal.published_at = proposal.created_at
                events = [(EventKind.REGISTERED, started, "", spec["source"], None)]
            if status in {Status.TO_COUNCIL, Status.PREPARING, Status.DECIDED}:
                reached = started + datetime.timedelta(days=spec["supports_days"])
                number = diary_number_next(prefix="KF", year=reached.year, title=spec["title"])
                proposal.diary_number = str(number)
                proposal.threshold_reached_at = timezone.make_aware(
                    datetime.datetime.combine(reached, datetime.time(12))
                )
                events.append((EventKind.THRESHOLD, reached, str(number), "", None))
            if status in {Status.PREPARING, Status.DECIDED}:
                assigned = started + datetime.timedelta(days=spec["supports_days"] + 20)
                proposal.preparing_body = committee
                proposal.preparation_due = assigned + datetime.timedelta(days=120)
                events.append((EventKind.ASSIGNED, assigned, "KF § 87", "", committee))
            if status == Status.DECIDED:
                decided = started + datetime.timedelta(days=spec["supports_days"] + 80)
                proposal.outcome = Outcome.APPROVED
                proposal.answer = spec["answer"]
                proposal.decided_on = decided
                events.append((EventKind.DECIDED, decided, "KF § 131", spec["answer"], council))
            if status == Status.UNSUPPORTED:
                proposal.signing_ends_on = today - datetime.timedelta(days=2)
                events.append(
                    (EventKind.UNSUPPORTED, today - datetime.timedelta(days=1), "", "", None)
                )
            proposal.full_clean()
            proposal.save()
            self.changes += 1
            for kind, day, reference, text, body in events:
                Event.objects.create(
                    proposal=proposal,
                    kind=kind,
                    occurred_on=day,
                    reference=reference,
                    text=text,
                    body=body,
                )
            supports = []
            for index in range(spec.get("supports", 0)):
                nine = f"{700101 + index % 28:06d}{(proposal.pk * 37 + index) % 1000:03d}"
                days = spec.get("supports_days", spec["age"])
                supports.append(
                    Support(
                        proposal=proposal,
                        person_key=pin_key("19" + with_check_digit(nine)),
                        created_at=proposal.created_at
                        + datetime.timedelta(days=1 + (index * days) // max(spec["supports"], 1)),
                    )
                )
            Support.objects.bulk_create(supports)
            proposal.support_count = len(supports)
            proposal.save(update_fields=["support_count"])


DEMO_PROPOSALS: list[dict[str, Any]] = [
    {
        "title": "Cykelbana längs ån genom Innerstaden",
        "body": "Många cyklar längs ån men delar gångvägen med fotgängare. En egen cykelbana "
        "skulle göra det tryggare för både barn som cyklar till skolan och för äldre som går.",
        "topic": "trafik-och-gator",
        "area": "Innerstaden",
        "author": "Karin",
        "status": Status.SIGNING,
        "age": 20,
        "supports": 31,
    },
    {
        "title": "Utegym vid Berga idrottsplats",
        "body": "Ett enkelt utegym med chins-stång, bänkar och dipsställning vid idrottsplatsen "
        "skulle ge alla i Berga möjlighet att träna gratis.",
        "topic": "kultur-och-fritid",
        "area": "Berga",
        "author": "Ahmed",
        "status": Status.TO_COUNCIL,
        "age": 40,
        "supports": 54,
        "supports_days": 30,
    },
    {
        "title": "Bättre belysning på gångvägen till Ekholmens skola",
        "body": "Gångvägen genom skogsdungen är mörk på vintern. Fler lyktstolpar skulle göra "
        "skolvägen tryggare.",
        "topic": "trygghet",
        "area": "Ekholmen",
        "author": "Lina",
        "status": Status.PREPARING,
        "age": 95,
        "supports": 63,
        "supports_days": 25,
    },
    {
        "title": "Fler papperskorgar vid badplatsen i Malmslätt",
        "body": "På sommaren blir det mycket skräp vid badplatsen. Fler och större papperskorgar, "
        "som töms oftare, skulle hålla stranden ren.",
        "topic": "miljo-och-klimat",
        "area": "Malmslätt",
        "author": "Erik",
        "status": Status.DECIDED,
        "age": 200,
        "supports": 58,
        "supports_days": 35,
        "answer": "Fullmäktige bifaller förslaget. Fyra nya papperskorgar sätts upp före "
        "badsäsongen och töms dagligen under juni–augusti.",
    },
    {
        "title": "Hundrastgård i Tallboda",
        "body": "Det finns ingen inhägnad plats där hundar får springa lösa i Tallboda.",
        "topic": "kultur-och-fritid",
        "area": "Tallboda",
        "author": "Sara",
        "status": Status.UNSUPPORTED,
        "age": 95,
        "supports": 12,
    },
    {
        "title": "Fler bänkar längs promenadstråket i Ryd",
        "body": "Äldre deltagare på dialogmötet vill kunna vila på vägen till centrum.",
        "topic": "bostader-och-stadsbyggnad",
        "area": "Ryd",
        "author": "Deltagare på dialogmöte",
        "origin": Origin.MEETING,
        "source": "Dialogmöte i Ryd om centrumplanen",
        "status": Status.REGISTERED,
        "age": 10,
    },
    {
        "title": "Läxhjälp på biblioteket på kvällstid",
        "body": "Många elever behöver en lugn plats och någon att fråga efter skolan.",
        "topic": "skola-och-forskola",
        "area": "Skäggetorp",
        "mine": True,
        "status": Status.SUBMITTED,
        "age": 1,
    },
]
