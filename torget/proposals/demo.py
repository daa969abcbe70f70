"""Demo data for medborgarförslag: one proposal at each step, with its timeline and
supports."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.identity.personnummer import pin_key, with_check_digit
from torget.organisation.models import Body, Topic
from torget.organisation.services import diary_number_next
from torget.proposals.models import Event, EventKind, Origin, Outcome, Proposal, Status, Support


@demo.register("proposals", after=["accounts", "geo", "organisation"])
def load(context: DemoContext) -> None:
    """One proposal at each step, so every page of the proposals part has something."""
    areas, bodies, users = context.areas, context.bodies, context.users
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
            created_at=timezone.make_aware(datetime.datetime.combine(started, datetime.time(9))),
        )
        events: list[tuple[str, datetime.date, str, str, Body | None]] = [
            (EventKind.SUBMITTED, started, "", "", None)
        ]
        if status not in {Status.SUBMITTED, Status.REGISTERED}:
            proposal.published_at = proposal.created_at + datetime.timedelta(days=1)
            proposal.signing_ends_on = started + datetime.timedelta(days=91)
            proposal.threshold = 50
            proposal.moderated_by = official
            events.append((EventKind.PUBLISHED, started + datetime.timedelta(days=1), "", "", None))
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
            events.append((EventKind.UNSUPPORTED, today - datetime.timedelta(days=1), "", "", None))
        proposal.full_clean()
        proposal.save()
        context.changes += 1
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
