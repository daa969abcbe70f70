"""The people and things of the results tests, made through the same services as the pages."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from torget.dialogues import services as dialogues
from torget.dialogues.models import Dialogue, Method
from torget.dialogues.tests.factories import Cast, cast, opened
from torget.geo.tests.factories import AreaFactory
from torget.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from torget.organisation.models import BodyKind
from torget.organisation.tests.factories import BodyFactory, MembershipFactory
from torget.results import services
from torget.results.models import ResultItem


@dataclass
class World:
    people: Cast
    dialogue: Dialogue
    utskott: Any
    members: list[Any]
    namnd: Any
    politician: Any


def world() -> World:
    people = cast()
    area = AreaFactory(name="Berga")
    utskott = BodyFactory(
        kind=BodyKind.DIALOGUE_COMMITTEE, name="Utskott Syd", slug="utskott-syd", area=area
    )
    members = [MembershipFactory(body=utskott).person for _ in range(2)]
    politician = MembershipFactory(body=people.body).person
    dialogue = opened(people, areas=[area])
    return World(
        people=people,
        dialogue=dialogue,
        utskott=utskott,
        members=members,
        namnd=BodyFactory(name="Barn- och ungdomsnämnden"),
        politician=politician,
    )


def meeting(dialogue: Dialogue, **values: Any) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=2)
    values.setdefault("title", "Dialogmöte i Berga")
    return Meeting.objects.create(
        dialogue=dialogue,
        method=Method.objects.get(code="dialogmote"),
        purpose="Samla idéer om skolgården.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status=MeetingStatus.HELD,
        **values,
    )


def register(meeting: Meeting, email: str, status: str = RegistrationStatus.REGISTERED) -> None:
    Registration.objects.create(meeting=meeting, name="Deltagare", email=email, status=status)


def item(w: World, kind: str = "", **values: Any) -> ResultItem:
    values.setdefault("title", "Fler cykelställ vid skolan")
    if kind == "partipolitisk":
        values.setdefault("politician", w.politician)
    return services.item_create(dialogue=w.dialogue, actor=w.people.official, kind=kind, **values)


def to_compiling(w: World) -> Dialogue:
    return dialogues.dialogue_step(dialogue=w.dialogue, step="compile", actor=w.people.official)


def proposal_published(w: World) -> Any:
    """Feedback point 3, which goes out before the decision is registered (004 §9)."""
    return services.decision_proposal_publish(
        dialogue=w.dialogue,
        actor=w.people.official,
        text="Förvaltningen föreslår en ny skolgård.",
        deciding_body=w.namnd,
        expected_on=datetime.date(2027, 3, 15),
    )


def to_decision_made(w: World) -> Dialogue:
    """Through compiling, feedback point 3 and the decision in the matter, in that order."""
    to_compiling(w)
    proposal_published(w)
    return dialogues.dialogue_step(
        dialogue=w.dialogue,
        step="record_decision",
        actor=w.people.official,
        results_summary="120 deltagare.",
        outcome_decision="Nämnden beslutade om en ny skolgård.",
        outcome_decided_on=datetime.date(2027, 3, 15),
    )
