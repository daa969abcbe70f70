"""The method catalogue (seed 004 §5) and the target-group checklist (seed 004 §3), in the
seeds' own words. Migration 0002 loads the same lists into a new installation (0004 gives them
their codes and rule data); the administrator extends both in the admin and may rename any entry:
code refers to entries by `code`, and the rules read the data fields, never a name.
`catalogue_ensure()` puts back what is missing (the demo uses it, so a test database that was
flushed still has the catalogue)."""

from typing import NamedTuple

from torget.dialogues.models import LadderStep, Method, MethodDecision, TargetGroup


class CatalogueMethod(NamedTuple):
    code: str
    ladder_step: int
    name: str
    is_meeting: bool
    description: str
    min_participants: int | None = None
    max_participants: int | None = None
    decision: str = MethodDecision.NONE

    @property
    def is_information(self) -> bool:
        return self.ladder_step == LadderStep.INFORMATION


# Codes the code itself refers to.
FOCUS_GROUP = "fokusgrupp"
DIALOGUE_MEETING = "dialogmote"
LIGHTHOUSES = "sociala-fyrtorn"
WEB_FORUM = "webbforum"
INTERACTIVE_MAP = "interaktiv-karta"
CITIZEN_BUDGET = "medborgarbudget"

METHODS = [
    CatalogueMethod(
        "webbplats",
        1,
        "Information på kommunens webbplats",
        False,
        "Den viktigaste och snabbaste informationskanalen. Kommunen formulerar information och fakta själv, och intresserade invånare kan få aviseringar om medborgardialoger.",
    ),
    CatalogueMethod(
        "informationsmote",
        1,
        "Informationsmöte (stormöte)",
        True,
        "Informera många samtidigt om ett viktigt ämne. I huvudsak envägskommunikation, och ska inte förväxlas med dialog.",
    ),
    CatalogueMethod(
        "digitalt-informationsmote",
        1,
        "Digitalt informationsmöte",
        True,
        "När deltagarnas tid ska hushållas med, till exempel företagare eller deltagare på långa avstånd. Digitalt stöd erbjuds.",
    ),
    CatalogueMethod(
        "sociala-medier",
        1,
        "Sociala medier",
        False,
        "Kommunens konton i sociala medier.",
    ),
    CatalogueMethod(
        "sms",
        1,
        "Sms-utskick",
        False,
        "Kommunens sms-tjänster.",
    ),
    CatalogueMethod(
        "brev",
        1,
        "Digitala brev och brev",
        False,
        "Brev, digitala brev och skolans kanaler till barn och föräldrar.",
    ),
    CatalogueMethod(
        "affischer",
        1,
        "Affischer",
        False,
        "Affischer där många rör sig.",
    ),
    CatalogueMethod(
        "press",
        1,
        "Pressmeddelande och kommunens tidning",
        False,
        "Pressmeddelanden via kommunikationsavdelningen och artiklar i kommunens tidning.",
    ),
    CatalogueMethod(
        "lokalradio",
        1,
        "Lokalradio",
        False,
        "Nyheter eller annonser i lokalradion.",
    ),
    CatalogueMethod(
        FOCUS_GROUP,
        2,
        "Fokusgrupp",
        True,
        "Främst ett verktyg för konsultation: enkelt och snabbt, skapar delaktighet och kan säkerställa representation. Grupper på 8–12 deltagare.",
        8,  # seed 004 §5: focus groups of 8–12 participants
        12,
        MethodDecision.FOCUS_GROUP,  # KS (standing) or the kommundirektör (one question)
    ),
    CatalogueMethod(
        "intervjuer",
        2,
        "Intervjuer",
        False,
        "Fånga upp människor där de vistas, på tider som passar deras livspussel.",
    ),
    CatalogueMethod(
        "enkat",
        2,
        "Enkät",
        False,
        "En fingervisning om vad många tycker: på webben, i sociala medier och på plats där många rör sig.",
    ),
    CatalogueMethod(
        INTERACTIVE_MAP,
        2,
        "Interaktiv karta",
        False,
        "Invånarna markerar på en karta var något är otryggt, var en bänk behövs eller vad som är en bra plats, och kommenterar varandras markeringar.",
    ),
    CatalogueMethod(
        "samrad-pbl",
        2,
        "Samrådsmöte enligt plan- och bygglagen",
        True,
        "Samråd i planärenden.",
    ),
    CatalogueMethod(
        "brukarundersokning",
        2,
        "Kund- och brukarundersökning",
        False,
        "Värdera den service kommunen ger.",
    ),
    CatalogueMethod(
        "skolans-rad",
        2,
        "Klassråd, föräldraråd, elevråd",
        True,
        "Konsultation i skolans egna forum.",
    ),
    CatalogueMethod(
        DIALOGUE_MEETING,
        3,
        "Dialogmöte",
        True,
        "Ett möte där invånare, politiker och tjänstepersoner samtalar om en fråga. Minst en tredjedel av tiden är till för invånarnas egna frågor.",
    ),
    CatalogueMethod(
        WEB_FORUM,
        3,
        "Webbforum",
        False,
        "Ett modererat samtal på webben mellan invånare, politiker och tjänstepersoner under en bestämd period, för dem som inte kan komma på ett möte. Invånarna kan starta egna trådar.",
    ),
    CatalogueMethod(
        "medborgarstamma",
        3,
        "Öppet områdesmöte (medborgarstämma)",
        True,
        "En återkommande mötesplats mellan invånare, lokala organisationer och politiker, på kvällstid, ledd av lokala politiker. Utkast till agenda i god tid, och deltagarna kan anmäla frågor till den.",
    ),
    CatalogueMethod(
        "community-researchers",
        3,
        "Utbildade intervjuare (community researchers)",
        False,
        "Invånare, ofta unga, tränas att göra enkäter eller intervjuer med andra som en del av dialogen.",
    ),
    CatalogueMethod(
        "larande-promenad",
        3,
        "Lärande promenad",
        True,
        "En vandring i området med invånare, politiker och tjänstepersoner, där man ser och samtalar på plats.",
    ),
    CatalogueMethod(
        "open-space",
        3,
        "Open space",
        True,
        "Deltagarna sätter själva dagordningen och samtalar i grupper om det de tycker är viktigast.",
    ),
    CatalogueMethod(
        "digitalt-dialogmote",
        3,
        "Digitalt dialogmöte",
        True,
        "Dialogmöte på distans, med stöd för grupparbete.",
    ),
    CatalogueMethod(
        LIGHTHOUSES,
        4,
        "Sociala fyrtorn",
        False,
        "Utvalda medarbetare för strukturerad dialog i sitt dagliga arbete med grupper som sällan hörs, till exempel förskolepedagoger, fritidsledare, hemtjänsten och biblioteket.",
        decision=MethodDecision.LIGHTHOUSES,  # the presidium decides, the förvaltning head picks
    ),
    CatalogueMethod(
        "delegering",
        5,
        "Delegering",
        False,
        "Fullmäktige delegerar ansvar till ett organ där deltagarna är valda som personer, till exempel ett tillgänglighetsråd.",
    ),
    CatalogueMethod(
        CITIZEN_BUDGET,
        5,
        "Medborgarbudget",
        True,
        "Invånarna föreslår och röstar om hur en avgränsad del av budgeten ska användas; förslagen kostnadsberäknas och vinnarna genomförs.",
    ),
]

TARGET_GROUPS = [
    # (code, name, seldom heard)
    ("barn", "Barn", True),
    ("unga", "Unga", True),
    ("utanfor-arbetsmarknaden", "Personer som står utanför arbetsmarknaden", True),
    ("funktionsnedsattning", "Personer med funktionsnedsättning", True),
    ("utlandsfodda", "Utlandsfödda", True),
    ("psykisk-ohalsa", "Personer med psykisk ohälsa", True),
    ("nyinflyttade", "Nyinflyttade", False),
    ("samer", "Samer", True),
    ("foretagare", "Företagare", False),
    ("civilsamhallet", "Civilsamhällets aktörer", False),
    ("boende-i-omradet", "Boende i ett visst område", False),
    ("aldre", "Äldre", True),
    ("fritidshusagare", "Fritidshusägare", False),
]


def catalogue_ensure() -> None:
    for order, method in enumerate(METHODS):
        if Method.objects.filter(name=method.name).exclude(code=method.code).exists():
            continue  # the administrator made an entry of that name; theirs stays
        Method.objects.get_or_create(
            code=method.code,
            defaults={
                "name": method.name,
                "ladder_step": method.ladder_step,
                "is_meeting": method.is_meeting,
                "is_information": method.is_information,
                "min_participants": method.min_participants,
                "max_participants": method.max_participants,
                "decision": method.decision,
                "description": method.description,
                "order": order,
            },
        )
    for order, (code, name, seldom_heard) in enumerate(TARGET_GROUPS):
        if TargetGroup.objects.filter(name=name).exclude(code=code).exists():
            continue
        TargetGroup.objects.get_or_create(
            code=code, defaults={"name": name, "seldom_heard": seldom_heard, "order": order}
        )
