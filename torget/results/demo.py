"""Demo data for results: what came out of the school dialogue's learning walk."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues import services as dialogues
from torget.dialogues.models import Dialogue, InitiativeKind, LadderStep, Method, TargetGroup
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


@demo.register("results_finished", after=["results", "dialogues"])
def load_finished(context: DemoContext) -> None:
    """A dialogue that has come to its decision: the decision proposal sent before the
    decision, the summary published and then corrected, one item moved to another kind, and
    each step dated as it happened."""
    title = "Lekplatsen i Stadsparken"
    if Dialogue.objects.filter(title=title).exists():
        return
    admin, official, elected = (
        context.users[Role.ADMINISTRATOR],
        context.users[Role.OFFICIAL],
        context.users[Role.ELECTED],
    )
    body = context.bodies["BUN"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    def step(name: str, days: int | None = None, **values: Any) -> None:
        dialogues.dialogue_step(
            dialogue=park,
            step=name,
            actor=admin,
            happened_on=ago(days) if days is not None else None,
            **values,
        )

    park = dialogues.dialogue_initiate(
        actor=admin,
        title=title,
        summary="Lekplatsen i Stadsparken är sliten. Vad ska den nya ha, och för vilka åldrar?",
        initiative_kind=InitiativeKind.POLITICAL,
        initiating_body=body,
        areas=[context.areas["Innerstaden"]],
    )
    step(
        "decide",
        deciding_body=body,
        decided_on=ago(160),
        decision_reference=f"BUN {ago(160).year}/8",
        budget=40000,
        steering_group="Barn- och ungdomsnämndens presidium och förvaltningschefen",
        process_leader=elected,
        supporting_official=official,
    )
    step("start_planning", 150)
    dialogues.dialogue_update(
        dialogue=park,
        actor=admin,
        question="Vad ska finnas på den nya lekplatsen i Stadsparken?",
        open_to_influence="Utrustning, växtlighet och sittplatser. Inte platsen eller budgeten.",
        ladder_step=LadderStep.DIALOGUE,
        how_to_take_part="Kom till dialogmötet i parken.",
        communication_plan="Webbplatsen, skyltar i parken och brev till förskolorna.",
        documentation_plan="Anteckningar publiceras på dialogens sida inom en vecka.",
        feedback_plan="Beslutsförslaget skickas innan nämnden beslutar, och en sammanställning efteråt.",
        evaluation_plan="En kort enkät till deltagarna.",
        starts_on=ago(120),
        ends_on=ago(60),
        decision_expected_on=ago(15),
    )
    dialogues.target_group_add(
        dialogue=park,
        actor=admin,
        group=TargetGroup.objects.get(code="barn"),
        effort="Dialog med förskolegrupper i parken.",
    )
    for method in (
        Method.objects.filter(is_information=True).order_by("order", "pk")[0],
        Method.objects.get(code="dialogmote"),
    ):
        dialogues.method_add(dialogue=park, actor=admin, method=method)
    step("approve_plan", 130)
    step("open", 120)
    step("compile", 55)
    swings = results.item_create(
        dialogue=park,
        actor=official,
        title="Gungor för små barn",
        kind=ResultKind.COMMITTEE,
    )
    results.item_create(
        dialogue=park,
        actor=official,
        title="Fler bänkar i skugga",
        kind=ResultKind.SIMPLE,
    )
    results.decision_proposal_publish(
        dialogue=park,
        actor=official,
        text="Förvaltningen föreslår en lekplats med småbarnsgungor, klätterställning och bänkar i skugga.",
        deciding_body=body,
        expected_on=ago(15),
    )
    step(
        "record_decision",
        results_summary="Omkring 80 barn och vuxna deltog. Gungor och skugga var det som kom upp oftast.",
        outcome_decision="Nämnden beslutade om en ny lekplats enligt förslaget.",
        outcome_decided_on=ago(15),
        outcome_reference=f"BUN {ago(15).year}/31",
    )
    results.summary_publish(
        dialogue=park,
        actor=official,
        text="Tack till alla som var med! Här är vad som kom fram.",
    )
    results.item_reclassify(
        item=swings,
        actor=official,
        kind=ResultKind.SIMPLE,
        reason="Gungorna ingår redan i parkens underhållsplan, så frågan går till kontaktcenter.",
    )
    results.summary_correct(
        dialogue=park,
        actor=official,
        text="Tack till alla drygt 80 barn och vuxna som var med! Här är vad som kom fram.",
        reason="Antalet deltagare saknades i den första versionen.",
    )
    context.changes += 1
