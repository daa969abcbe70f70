"""Demo data for dialogmöten: the school dialogue's meetings."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue, Method, TargetGroup
from torget.meetings import services as meetings
from torget.meetings.models import Meeting
from torget.organisation.models import Body


@demo.register("meetings", after=["accounts", "geo", "dialogues"])
def load(context: DemoContext) -> None:
    """The school dialogue's meetings: a learning walk last week, held and documented with
    its feedback sent, and a dialogue meeting next week with a published agenda, people
    registered and a question accepted."""
    school = Dialogue.objects.filter(title="Ny skolgård vid Bergaskolan").first()
    if school is None or Meeting.objects.filter(dialogue=school).exists():
        return
    areas, users = context.areas, context.users
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
    context.changes += 2


@demo.register("meetings_utskott", after=["accounts", "geo", "organisation", "meetings"])
def load_utskott(context: DemoContext) -> None:
    """Utskott Centrum's meetings, prepared by the utskott coordinator: one last month, held,
    with its minutes approved, and one in two weeks, called (its members get the agenda and a
    calendar invitation by e-mail)."""
    utskott = Body.objects.filter(abbreviation="UMD1").first()
    if utskott is None or Meeting.objects.filter(body=utskott).exists():
        return
    coordinator = context.users[Role.UTSKOTT_COORDINATOR]
    method = Method.objects.get(name="Dialogmöte")
    today = timezone.localdate()

    def at(days: int, hour: int) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    agenda = [
        ("Välkomna och föregående protokoll", 15, False),
        ("Resultat från dialogerna i området", 45, False),
        ("Invånarnas frågor", 30, True),
    ]

    def prepare(title: str, days: int) -> Meeting:
        meeting = meetings.meeting_create(
            actor=coordinator,
            body=utskott,
            method=method,
            title=title,
            purpose="Utskottets möte med invånarna i området: dialogernas resultat och era frågor.",
            starts_at=at(days, 18),
            ends_at=at(days, 19) + datetime.timedelta(minutes=30),
            place="Stadsbiblioteket, Hörsalen",
            area=utskott.area,
            accessibility="Hörslinga och entré utan trappsteg.",
        )
        for item, minutes, citizens in agenda:
            meetings.agenda_item_add(
                meeting=meeting,
                actor=coordinator,
                title=item,
                minutes=minutes,
                citizens_time=citizens,
            )
        return meetings.agenda_publish(meeting=meeting, actor=coordinator)

    past = prepare("Utskott Centrum, oktobermötet", 14)
    Meeting.objects.filter(pk=past.pk).update(starts_at=at(-30, 18), ends_at=at(-30, 20))
    past.refresh_from_db()
    past = meetings.meeting_mark_held(meeting=past, actor=coordinator)
    meetings.documentation_update(
        meeting=past,
        actor=coordinator,
        notes="Protokoll: utskottet gick igenom resultaten från skolgårdsdialogen och svarade "
        "på frågor om belysningen i Innerstaden.",
        participants_total=18,
        counts={},
    )
    meetings.documentation_approve(meeting=past, actor=coordinator)
    prepare("Utskott Centrum, decembermötet", 14)
    context.changes += 2


# -- medborgarförslag -------------------------------------------------------------------
