"""Demo data for medborgardialoger: the catalogue, and dialogues at several points of the
process: a political initiative decided by its presidium, an officials' initiative and a
citizen's initiative decided by KS presidium on the kommundirektör's proposal (the latter after
a consultation with the presidium concerned), a focus group and social lighthouses with their
decisions recorded, and a brukardialog run by officials."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues import services as dialogues
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import (
    Dialogue,
    DialogueKind,
    FocusGroupKind,
    InitiativeKind,
    LadderStep,
    Method,
    TargetGroup,
)
from torget.organisation.models import Administration, Body


@demo.register("dialogues", after=["accounts", "geo", "organisation"])
def load(context: DemoContext) -> None:
    """Dialogues at several points of the process, made through the real steps."""
    areas, bodies, users = context.areas, context.bodies, context.users
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

    def proposed(dialogue: Dialogue, text: str, days_ago: int) -> None:
        dialogues.director_proposal_record(
            dialogue=dialogue,
            actor=admin,
            proposed_on=today - datetime.timedelta(days=days_ago),
            text=text,
            reference=f"KS {today.year}/{dialogue.pk + 100}",
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
    # 004 §2: an officials' initiative is decided by KS presidium on the director's proposal.
    proposed(
        library,
        "Kommundirektören föreslår att kommunstyrelsens presidium beslutar om dialogen, "
        "med kultur- och fritidsnämndens presidium i styrgruppen.",
        70,
    )
    decided(library, bodies["KS"], f"KS {today.year}/17", 120000)
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
    # 004 §5: the focus group's rules for selection and the lighthouses' decision and staff.
    for planned_method in library.methods.select_related("method"):
        if planned_method.method.code == "fokusgrupp":
            dialogues.method_decision_record(
                planned=planned_method,
                actor=admin,
                focus_group_kind=FocusGroupKind.ONE_QUESTION,
                decided_on=today - datetime.timedelta(days=20),
                selection_rules="Tio deltagare: lika många unga, äldre och utlandsfödda, "
                "slumpvis utvalda bland dem som anmält intresse i Ryd.",
            )
        elif planned_method.method.code == "sociala-fyrtorn":
            dialogues.method_decision_record(
                planned=planned_method,
                actor=admin,
                decided_on=today - datetime.timedelta(days=30),
                decision_reference=f"KS {today.year}/21",
                staff_chosen_by="Kultur- och fritidschefen",
                staff_members="Bibliotekarien i Ryd, två fritidsledare på fritidsgården, "
                "en språkvän på öppna förskolan.",
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
    station = dialogues.dialogue_request(
        title="Trygghet kring resecentrum",
        summary="Många känner sig otrygga vid resecentrum på kvällarna. Låt oss som bor här vara med och ta fram åtgärder.",
        requester_name="Sara Lind",
        requester_email="sara.lind@example.se",
        areas=[areas["Innerstaden"]],
    )
    # 004 §2: KS presidium decides after the director's proposal and a consultation with the
    # presidium concerned; both recorded, the decision still to be taken.
    proposed(
        station,
        "Kommundirektören föreslår en dialog om trygghet kring resecentrum, ledd av "
        "samhällsbyggnadsnämnden tillsammans med trygghetsrådet i Innerstaden.",
        10,
    )
    dialogues.consultation_add(
        dialogue=station,
        actor=admin,
        body=bodies["SBN"],
        held_on=today - datetime.timedelta(days=5),
        outcome="Samhällsbyggnadsnämndens presidium stöder en dialog och vill ha den under hösten.",
    )

    # seed 001: a brukardialog, run by officials to improve a service, off the ladder.
    youth_centres = dialogues.dialogue_initiate(
        actor=admin,
        title="Brukardialog om fritidsgårdarnas öppettider",
        summary="Passar fritidsgårdarnas öppettider dig som går dit? Vi vill veta vad vi kan göra bättre.",
        initiative_kind=InitiativeKind.OFFICIALS,
        administration=administrations["KFF"],
        kind=DialogueKind.SERVICE_DIALOGUE,
        areas=[areas["Berga"], areas["Ryd"]],
    )
    step(youth_centres, "start", supporting_official=official)
    dialogues.dialogue_update(
        dialogue=youth_centres,
        actor=admin,
        question="Passar öppettiderna, och vad skulle göra fritidsgården bättre för dig?",
        how_to_take_part="Svara på enkäten på fritidsgården eller på webbplatsen.",
        feedback_plan="Besökarna får veta på fritidsgården och på webbplatsen vad som ändras.",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=30),
    )
    dialogues.method_add(
        dialogue=youth_centres,
        actor=admin,
        method=Method.objects.get(code="brukarundersokning"),
        note="Enkät till fritidsgårdarnas besökare.",
    )
    step(youth_centres, "open")
    context.changes += 5


# -- dialogmöten ------------------------------------------------------------------------
