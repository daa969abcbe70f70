"""Demo data for results: what came out of the school dialogue's learning walk."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue
from torget.feedback.models import Category
from torget.meetings.models import Meeting
from torget.organisation.models import Body
from torget.results import services as results
from torget.results.models import Kind as ResultKind
from torget.results.models import RaisedVia, ResultItem


@demo.register("results", after=["accounts", "feedback", "meetings"])
def load(context: DemoContext) -> None:
    """One result of each kind from the learning walk: a fault forwarded to the contact
    centre, a question for a nämnd with its timeline, and a party-political one."""
    school = Dialogue.objects.filter(title="Ny skolgård vid Bergaskolan").first()
    walk = Meeting.objects.filter(
        dialogue=school, title="Promenad runt Bergaskolans skolgård"
    ).first()
    if school is None or walk is None or ResultItem.objects.filter(meeting=walk).exists():
        return
    official, elected = context.users[Role.OFFICIAL], context.users[Role.ELECTED]
    today = timezone.localdate()
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
    context.changes += 3
