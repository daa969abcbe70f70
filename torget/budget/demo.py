"""Demo citizen budget: "Medborgarbudget i Berga", a co-decision dialogue (ladder step 5) with
two rounds of a million kronor each.

- Omgång 2 is open for voting today: feasible, costed projects on the ballot, an idea that is
  not feasible and one that breaches the criteria (each with the public reason), one merged
  into another with both authors' consent, comments, interest and the first ballots.
- Omgång 1 voted last winter: the result is published, the samhällsbyggnadsnämnd decided on
  the winners, and the funded projects are in every state of implementation (planned,
  started, done; one done with a photo), with progress reports.

The ballots and the has-voted marks are built with the ORM, as the voting service would write
them (no person on a ballot; the chain from `selectors.ballot_chain`); the progress reports
go through `budget.progress`. The result is whatever `budget.counting.count` says.
"""

import datetime
import io
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from torget.accounts.demo import DEMO_DOMAIN, user_ensure
from torget.accounts.roles import Role
from torget.budget import counting, selectors
from torget.budget.models import (
    Ballot,
    BudgetRound,
    Channel,
    Comment,
    Idea,
    IdeaStatus,
    Interest,
    Merge,
    Phase,
    Progress,
    ProgressUpdate,
    VoteMark,
)
from torget.budget.progress import progress_report
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues import services as dialogues
from torget.dialogues.catalogue import CITIZEN_BUDGET, catalogue_ensure
from torget.dialogues.models import Dialogue, InitiativeKind, LadderStep, Method, TargetGroup
from torget.identity.personnummer import pin_key, with_check_digit
from torget.organisation.models import Administration

DIALOGUE = "Medborgarbudget i Berga"
ROUND_VOTING = "Berga bestämmer – omgång 2"
ROUND_DONE = "Berga bestämmer – omgång 1"
AMOUNT = 1_000_000
CRITERIA = (
    "Idén ska göra Berga bättre för många, ligga på kommunens mark i Berga, kosta högst "
    "en miljon kronor och gå att genomföra inom ett år. Den får inte ge driftkostnader "
    "som någon annan ska betala."
)

# Residents of Berga who write ideas and comments; they cannot log in.
RESIDENTS = [
    ("sara.berga", "Sara Berg"),
    ("yusuf.berga", "Yusuf Ahmed"),
    ("elsa.berga", "Elsa Lind"),
    ("nils.berga", "Nils Holm"),
]

# Omgång 1: (title, description, place, cost, votes on ballots A–E). Ballots A–E below.
DONE_PROJECTS = [
    (
        "Utegym vid Bergaskolan",
        "Ett utegym med räcken, bänkar och ringar som alla kan använda, dag som kväll.",
        "Bergaskolans skolgård, norra delen",
        350_000,
    ),
    (
        "Belysning på gångvägen genom Bergsdalen",
        "Gångvägen mellan centrum och busshållplatsen är mörk. Fler lampor gör den tryggare.",
        "Gångvägen genom Bergsdalen",
        220_000,
    ),
    (
        "Lekplats med gungor för alla",
        "En lekplats där barn i rullstol också kan gunga, med en stor korggunga.",
        "Bergaparken",
        260_000,
    ),
    (
        "Blommor och bänkar på torget",
        "Planteringar och fem nya bänkar på Bergatorget, så att det blir trevligt att sitta.",
        "Bergatorget",
        120_000,
    ),
    (
        "Hundrastgård",
        "En inhägnad hundrastgård med bänkar och en vattenpost.",
        "Ängen öster om Bergaparken",
        180_000,
    ),
    (
        "Konstgräsplan",
        "En konstgräsplan i full storlek för fotboll året runt.",
        "Bergavallen",
        900_000,
    ),
]
# Ballot patterns of omgång 1, as indexes into DONE_PROJECTS, and how many voted each way:
# every ballot within the million (the rule "välj projekt inom budgeten").
DONE_BALLOTS = [
    ((0, 1, 2, 3), 8),
    ((0, 1, 4, 3), 4),
    ((5,), 7),
    ((2, 0, 4), 5),
    ((1, 3, 2, 4), 3),
]


def _picture() -> io.BytesIO:
    """A drawing of the finished outdoor gym, made here so the demo needs no files."""
    image = Image.new("RGB", (800, 500), "#dfeedd")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 800, 500), fill="#8fbf7a")
    for x in (150, 350, 550):
        draw.rectangle((x, 180, x + 12, 380), fill="#3b3b3b")
        draw.rectangle((x + 100, 180, x + 112, 380), fill="#3b3b3b")
        draw.rectangle((x, 180, x + 112, 192), fill="#3b3b3b")
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return data


def _person_key(n: int) -> str:
    """A made-up personal identity number's keyed hash (born in 1955, never a real one)."""
    return pin_key("19" + with_check_digit(f"55{n % 12 + 1:02d}{n % 28 + 1:02d}{n:03d}"))


def _dialogue(context: DemoContext, today: datetime.date) -> Dialogue:
    """The co-decision dialogue, through the real steps: decided, planned with an
    information method first and the citizen budget, approved and open."""
    admin, official, elected = (
        context.users[Role.ADMINISTRATOR],
        context.users[Role.OFFICIAL],
        context.users[Role.ELECTED],
    )
    sbn = context.bodies["SBN"]
    catalogue_ensure()
    dialogue = dialogues.dialogue_initiate(
        actor=admin,
        title=DIALOGUE,
        summary=(
            "Invånarna i Berga bestämmer själva hur en miljon kronor om året ska användas i "
            "stadsdelen: ge förslag, rösta och följ projekten tills de är klara."
        ),
        initiative_kind=InitiativeKind.POLITICAL,
        initiating_body=sbn,
        administration=Administration.objects.get(abbreviation="SBF"),
        plan_year=today.year,
        plan_priority=2,
        areas=[context.areas["Berga"]],
    )
    dialogues.dialogue_step(
        dialogue=dialogue,
        step="decide",
        actor=admin,
        deciding_body=sbn,
        decided_on=today - datetime.timedelta(days=400),
        decision_reference=f"SBN {today.year - 1}/31",
        budget=60000,
        steering_group="Samhällsbyggnadsnämndens presidium och förvaltningschefen",
        process_leader=elected,
        supporting_official=official,
    )
    dialogues.dialogue_step(dialogue=dialogue, step="start_planning", actor=admin)
    dialogues.dialogue_update(
        dialogue=dialogue,
        actor=admin,
        question="Hur ska en miljon kronor om året användas i Berga?",
        open_to_influence=(
            "Vad pengarna används till, inom kriterierna. Inte beloppet, som nämnden har beslutat."
        ),
        ladder_step=LadderStep.CO_DECISION,
        how_to_take_part=(
            "Lämna en idé, kommentera andras och rösta med e-legitimation. Kontaktcenter "
            "hjälper dig att rösta om du inte har e-legitimation."
        ),
        communication_plan="Webbplatsen, affischer i Bergacentrum, brev till hushållen.",
        documentation_plan="Idéerna, granskningen, resultatet och projekten visas på webbplatsen.",
        feedback_plan="Bevakarna får besked vid varje steg, och om varje projekt tills det är klart.",
        evaluation_plan="En enkät till deltagarna och en intern utvärdering efter varje omgång.",
        starts_on=today - datetime.timedelta(days=340),
        ends_on=today + datetime.timedelta(days=200),
        decision_expected_on=today + datetime.timedelta(days=60),
    )
    dialogues.target_group_add(
        dialogue=dialogue,
        actor=admin,
        group=TargetGroup.objects.get(name="Boende i ett visst område"),
        effort="Brev till alla hushåll i Berga och idéverkstäder i Bergacentrum.",
    )
    dialogues.method_add(
        dialogue=dialogue,
        actor=admin,
        method=Method.objects.filter(is_information=True).order_by("pk")[0],
    )
    dialogues.method_add(
        dialogue=dialogue,
        actor=admin,
        method=Method.objects.get(code=CITIZEN_BUDGET),
        starts_on=today - datetime.timedelta(days=340),
        ends_on=today + datetime.timedelta(days=200),
        note="En omgång om året, en miljon kronor per omgång.",
    )
    dialogues.dialogue_step(dialogue=dialogue, step="approve_plan", actor=admin)
    dialogues.dialogue_step(dialogue=dialogue, step="open", actor=admin)
    return dialogue


def _round(
    dialogue: Dialogue, context: DemoContext, *, title: str, start: datetime.date, **values: Any
) -> BudgetRound:
    day = datetime.timedelta(days=1)
    round = BudgetRound(
        dialogue=dialogue,
        planned_method=dialogue.methods.get(method__code=CITIZEN_BUDGET),
        title=title,
        amount=AMOUNT,
        criteria=CRITERIA,
        responsible_administration=Administration.objects.get(abbreviation="SBF"),
        ideas_open_on=start,
        ideas_close_on=start + 30 * day,
        review_ends_on=start + 55 * day,
        voting_opens_on=start + 65 * day,
        voting_closes_on=start + 86 * day,
        approved_by_body=context.bodies["SBN"],
        approved_by_names="Ordförande och vice ordförande i samhällsbyggnadsnämnden",
        approved_on=start - 10 * day,
        approval_reference=f"SBN {start.year}/{12 if title == ROUND_DONE else 57}",
        created_by=context.users[Role.OFFICIAL],
        **values,
    )
    round.full_clean()
    round.save()
    round.areas.set([context.areas["Berga"]])
    return round


def _idea(round: BudgetRound, number: int, author: Any, **values: Any) -> Idea:
    values.setdefault("shown_name", f"{author.full_name.split()[0]}, Berga")
    idea = Idea(round=round, number=number, author=author, **values)
    idea.full_clean()
    idea.save()
    return idea


def _reviewed(idea: Idea, by: Any, when: datetime.datetime) -> None:
    Idea.objects.filter(pk=idea.pk).update(reviewed_by=by, reviewed_at=when)


def _vote(
    round: BudgetRound, n: int, numbers: list[int], day: datetime.date, **values: Any
) -> None:
    """One voter's current ballot and, apart from it, the mark that the person voted."""
    key = _person_key(n)
    costs = dict(round.ideas.filter(number__in=numbers).values_list("number", "cost"))
    Ballot.objects.create(
        round=round,
        chain=selectors.ballot_chain(round, key),
        choices=numbers,
        total_cost=sum(costs[number] or 0 for number in numbers),
    )
    VoteMark.objects.create(round=round, person_key=key, marked_on=day, **values)


def _voting_round(dialogue: Dialogue, context: DemoContext, today: datetime.date) -> BudgetRound:
    """Omgång 2: the vote opened five days ago and closes in sixteen."""
    official = context.users[Role.OFFICIAL]
    maja = context.users[Role.CITIZEN]
    sara, yusuf, elsa, nils = _residents(context)
    round = _round(
        dialogue,
        context,
        title=ROUND_VOTING,
        start=today - datetime.timedelta(days=70),
        phase=Phase.VOTING,
        description=(
            "Omgång 2 av Bergas medborgarbudget. Förvaltningen har granskat och "
            "kostnadsberäknat alla idéer. Välj de projekt du vill ha, så länge de tillsammans "
            "ryms inom en miljon kronor."
        ),
    )
    reviewed = timezone.now() - datetime.timedelta(days=20)
    feasible = (
        "Förvaltningen kan genomföra idén inom ett år. Kostnaden är beräknad av Gata och park."
    )
    specs = [
        (
            1,
            yusuf,
            "Pumptrack vid Bergaparken",
            "En asfalterad bana med vågor och doserade kurvor för cykel, sparkcykel och "
            "skateboard.",
            "Bergaparken, vid parkeringen",
            420_000,
        ),
        (
            2,
            elsa,
            "Fler papperskorgar och askkoppar",
            "Längs gångvägarna och vid busshållplatserna, så att det blir mindre skräp.",
            "Hela Berga",
            60_000,
        ),
        (
            3,
            maja,
            "Odlingslotter för alla",
            "Pallkragar och ett förråd för redskap, där grannar kan odla tillsammans.",
            "Gräsytan vid Bergsdalen",
            150_000,
        ),
        (
            6,
            nils,
            "Julbelysning i Bergacentrum",
            "Ljusslingor i träden på torget från advent till trettondagen.",
            "Bergatorget",
            80_000,
        ),
        (
            7,
            sara,
            "Mötesplats med tak för unga",
            "Ett tak, bänkar och belysning där unga kan träffas på kvällarna, nära fritidsgården.",
            "Vid Berga fritidsgård",
            300_000,
        ),
    ]
    ideas: dict[int, Idea] = {}
    for number, author, title, description, place, cost in specs:
        ideas[number] = _idea(
            round,
            number,
            author,
            title=title,
            description=description,
            place=place,
            estimated_cost=cost - 20_000 if number % 2 else None,
            status=IdeaStatus.FEASIBLE,
            status_reason=feasible,
            cost=cost,
        )
    merged = _idea(
        round,
        4,
        sara,
        title="Stadsodling på taket",
        description="Odling på taket till Bergacentrum, med bänkar.",
        place="Bergacentrum",
        status=IdeaStatus.MERGED,
        status_reason=(
            "Taket bär inte odlingslådor. Idén är sammanslagen med idé 3, odlingslotter för "
            "alla, efter samtycke från båda förslagsställarna."
        ),
        merged_into=ideas[3],
    )
    ideas[4] = merged
    Merge.objects.create(
        source=merged,
        target=ideas[3],
        reason="Båda idéerna handlar om att grannar ska kunna odla tillsammans.",
        proposed_by=official,
        source_consent_at=reviewed - datetime.timedelta(days=3),
        source_consent_by="Sara Berg (på webbplatsen)",
        target_consent_at=reviewed - datetime.timedelta(days=2),
        target_consent_by="Maja Medborgare (på webbplatsen)",
        done_at=reviewed - datetime.timedelta(days=2),
    )
    ideas[5] = _idea(
        round,
        5,
        nils,
        title="Ny simhall i Berga",
        description="En simhall med 25-metersbassäng och undervisningsbassäng.",
        place="Bergavallen",
        status=IdeaStatus.BREACHES,
        status_reason=(
            "Uppfyller inte kriterierna: en simhall kostar flera hundra miljoner kronor och "
            "ger stora driftkostnader. Idén är skickad vidare till kultur- och "
            "fritidsnämnden som ett förslag."
        ),
    )
    ideas[8] = _idea(
        round,
        8,
        elsa,
        title="Gatubelysning på Ekvägen",
        description="Ekvägen är helt mörk på vintern.",
        place="Ekvägen",
        status=IdeaStatus.NOT_FEASIBLE,
        status_reason=(
            "Inte genomförbar: Ekvägen är en enskild väg som samfälligheten äger, och "
            "kommunen får inte bekosta belysning där. Förvaltningen har tipsat "
            "samfälligheten om bidraget för enskilda vägar."
        ),
    )
    for idea in ideas.values():
        _reviewed(idea, official, reviewed)
    # Comments and interest.
    comments = [
        (
            1,
            elsa,
            "Min son skulle älska det här. Går det att ha belysning så man kan åka på kvällen?",
        ),
        (1, nils, "Tänk på att det blir ljud för dem som bor närmast."),
        (3, yusuf, "Bra! Vi är flera i huset som vill odla men inte har balkong."),
        (7, maja, "Fritidsgården stänger kl 21, så en plats med tak behövs verkligen."),
        (5, sara, "Synd att den inte kom med, men jag förstår varför."),
    ]
    for minutes, (number, author, text) in enumerate(comments):
        comment = Comment.objects.create(
            idea=ideas[number],
            author=author,
            shown_name=f"{author.full_name.split()[0]}, Berga",
            text=text,
        )
        Comment.objects.filter(pk=comment.pk).update(
            created_at=reviewed + datetime.timedelta(days=2, minutes=37 * minutes)
        )
    for number, people in (
        (1, [elsa, nils, maja]),
        (3, [yusuf, elsa]),
        (7, [maja, yusuf, nils, elsa]),
    ):
        for person in people:
            Interest.objects.create(idea=ideas[number], user=person)
        Idea.objects.filter(pk=ideas[number].pk).update(interest_count=len(people))
    # The first ballots, over the five days the vote has been open.
    patterns = [[1, 2, 3, 6], [7, 3, 2, 6], [1, 7, 2], [3, 7, 6, 2], [7, 1, 6]]
    for n in range(14):
        _vote(
            round,
            100 + n,
            patterns[n % len(patterns)],
            today - datetime.timedelta(days=n % 5),
            channel=Channel.ASSISTED if n == 9 else Channel.EID,
        )
    return round


def _done_round(dialogue: Dialogue, context: DemoContext, today: datetime.date) -> BudgetRound:
    """Omgång 1: voted about seven months ago, decided, and the projects under way."""
    official = context.users[Role.OFFICIAL]
    maja = context.users[Role.CITIZEN]
    residents = [maja, *_residents(context)]
    day = datetime.timedelta(days=1)
    start = today - 320 * day
    round = _round(
        dialogue,
        context,
        title=ROUND_DONE,
        start=start,
        phase=Phase.COUNTING,
        description="Den första omgången av Bergas medborgarbudget.",
    )
    reviewed = timezone.now() - 270 * day
    ideas = []
    for number, (title, description, place, cost) in enumerate(DONE_PROJECTS, start=1):
        idea = _idea(
            round,
            number,
            residents[number % len(residents)],
            title=title,
            description=description,
            place=place,
            status=IdeaStatus.FEASIBLE,
            status_reason="Förvaltningen kan genomföra idén inom ett år.",
            cost=cost,
        )
        _reviewed(idea, official, reviewed)
        ideas.append(idea)
    not_feasible = _idea(
        round,
        len(DONE_PROJECTS) + 1,
        residents[0],
        title="Gratis buss till stan",
        description="Gratis buss för alla som bor i Berga.",
        status=IdeaStatus.NOT_FEASIBLE,
        status_reason="Kollektivtrafiken är regionens ansvar, inte kommunens.",
    )
    _reviewed(not_feasible, official, reviewed)
    voter = 0
    for pattern, count in DONE_BALLOTS:
        for _ in range(count):
            _vote(
                round,
                500 + voter,
                [ideas[index].number for index in pattern],
                round.voting_opens_on + (voter % 20) * day,
            )
            voter += 1
    # Counted and published, then decided on: the winners by the greedy rule within the
    # million (most votes first), which the decision follows.
    round.result = counting.count(round)
    round.result_published_at = timezone.make_aware(
        datetime.datetime.combine(round.voting_closes_on + 3 * day, datetime.time(10))
    )
    round.phase = Phase.DECIDED
    round.decision_body = context.bodies["SBN"]
    round.decided_on = round.voting_closes_on + 24 * day
    round.decision_reference = f"SBN {round.decided_on.year}/74"
    round.decision_text = (
        "Samhällsbyggnadsnämnden beslutar att genomföra de fyra projekt som fick flest röster "
        "inom en miljon kronor: utegymmet, belysningen i Bergsdalen, lekplatsen och blommorna "
        "och bänkarna på torget."
    )
    round.full_clean()
    round.save()
    votes = {idea.number: 0 for idea in ideas}
    for pattern, count in DONE_BALLOTS:
        for index in pattern:
            votes[ideas[index].number] += count
    left = AMOUNT
    for idea in sorted(ideas, key=lambda i: (-votes[i.number], i.number)):
        if (idea.cost or 0) <= left:
            left -= idea.cost or 0
            Idea.objects.filter(pk=idea.pk).update(funded=True, progress=Progress.PLANNED)
    _implementation(round, official, today)
    return round


def _implementation(round: BudgetRound, official: Any, today: datetime.date) -> None:
    """The projects in every state, each step through the progress service, then dated."""
    day = datetime.timedelta(days=1)
    gym, lights, playground, flowers = (
        round.ideas.get(title=title)
        for title in (
            "Utegym vid Bergaskolan",
            "Belysning på gångvägen genom Bergsdalen",
            "Lekplats med gungor för alla",
            "Blommor och bänkar på torget",
        )
    )
    steps = [
        # (idea, days ago, progress, text, money spent, done on, photo)
        (
            gym,
            190,
            Progress.PLANNED,
            "Upphandlingen är klar. Bygget börjar när tjälen har gått ur marken.",
            None,
            None,
            False,
        ),
        (
            gym,
            120,
            Progress.STARTED,
            "Markarbetet har börjat och redskapen är beställda.",
            140_000,
            None,
            False,
        ),
        (
            gym,
            40,
            Progress.DONE,
            "Utegymmet är klart och invigdes med elever och grannar. Det blev något billigare än beräknat.",
            338_500,
            today - 42 * day,
            True,
        ),
        (
            flowers,
            150,
            Progress.STARTED,
            "Planteringarna är gjorda och bänkarna beställda.",
            60_000,
            None,
            False,
        ),
        (
            flowers,
            95,
            Progress.DONE,
            "Bänkarna är på plats. Blommorna sköts av Gata och park.",
            118_000,
            today - 96 * day,
            False,
        ),
        (
            lights,
            100,
            Progress.STARTED,
            "Kablarna är nedgrävda. Stolparna sätts upp under hösten.",
            90_000,
            None,
            False,
        ),
        (
            lights,
            20,
            Progress.STARTED,
            "Hälften av de nya lamporna lyser. Resten kommer när leveransen är här.",
            150_000,
            None,
            False,
        ),
        (
            playground,
            60,
            Progress.PLANNED,
            "Lekplatsen är ritad tillsammans med föräldrar och barn. Bygget börjar i vår, när marken har torkat.",
            None,
            None,
            False,
        ),
    ]
    for idea, days_ago, step, text, spent, done_on, photo in steps:
        update = progress_report(
            idea=idea,
            actor=official,
            progress=step,
            text=text,
            money_spent=spent,
            done_on=done_on,
            photo=_picture() if photo else None,
            photo_alt="Det nya utegymmet med tre räckställningar på gräset" if photo else "",
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(
            created_at=timezone.now() - days_ago * day
        )


def _residents(context: DemoContext) -> list[Any]:
    return [
        user_ensure(
            context,
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            role=Role.CITIZEN,
            can_log_in=False,
        )
        for local, name in RESIDENTS
    ]


@demo.register("budget", after=["accounts", "geo", "organisation", "dialogues", "evaluation"])
def load(context: DemoContext) -> None:
    if Dialogue.objects.filter(title=DIALOGUE).exists():
        return
    today = timezone.localdate()
    dialogue = _dialogue(context, today)
    _done_round(dialogue, context, today)
    _voting_round(dialogue, context, today)
    context.changes += 3
