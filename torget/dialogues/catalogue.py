"""The method catalogue (seed 004 §5) and the target-group checklist (seed 004 §3), in the
seeds' own words. Migration 0002 loads the same lists into a new installation; the
administrator extends both in the admin. `catalogue_ensure()` puts back what is missing
(the demo uses it, so a test database that was flushed still has the catalogue)."""

from torget.dialogues.models import Method, TargetGroup

METHODS = [
    # (ladder step, name, is a meeting, description)
    (
        1,
        "Information på kommunens webbplats",
        False,
        "Den viktigaste och snabbaste informationskanalen. Kommunen formulerar information och fakta själv, och intresserade invånare kan få aviseringar om medborgardialoger.",
    ),
    (
        1,
        "Informationsmöte (stormöte)",
        True,
        "Informera många samtidigt om ett viktigt ämne. I huvudsak envägskommunikation, och ska inte förväxlas med dialog.",
    ),
    (
        1,
        "Digitalt informationsmöte",
        True,
        "När deltagarnas tid ska hushållas med, till exempel företagare eller deltagare på långa avstånd. Digitalt stöd erbjuds.",
    ),
    (1, "Sociala medier", False, "Kommunens konton i sociala medier."),
    (1, "Sms-utskick", False, "Kommunens sms-tjänster."),
    (
        1,
        "Digitala brev och brev",
        False,
        "Brev, digitala brev och skolans kanaler till barn och föräldrar.",
    ),
    (1, "Affischer", False, "Affischer där många rör sig."),
    (
        1,
        "Pressmeddelande och kommunens tidning",
        False,
        "Pressmeddelanden via kommunikationsavdelningen och artiklar i kommunens tidning.",
    ),
    (1, "Lokalradio", False, "Nyheter eller annonser i lokalradion."),
    (
        2,
        "Fokusgrupp",
        True,
        "Främst ett verktyg för konsultation: enkelt och snabbt, skapar delaktighet och kan säkerställa representation. Grupper på 8–12 deltagare.",
    ),
    (
        2,
        "Intervjuer",
        False,
        "Fånga upp människor där de vistas, på tider som passar deras livspussel.",
    ),
    (
        2,
        "Enkät",
        False,
        "En fingervisning om vad många tycker: på webben, i sociala medier och på plats där många rör sig.",
    ),
    (2, "Samrådsmöte enligt plan- och bygglagen", True, "Samråd i planärenden."),
    (2, "Kund- och brukarundersökning", False, "Värdera den service kommunen ger."),
    (2, "Klassråd, föräldraråd, elevråd", True, "Konsultation i skolans egna forum."),
    (
        3,
        "Dialogmöte",
        True,
        "Ett möte där invånare, politiker och tjänstepersoner samtalar om en fråga. Minst en tredjedel av tiden är till för invånarnas egna frågor.",
    ),
    (
        3,
        "Öppet områdesmöte (medborgarstämma)",
        True,
        "En återkommande mötesplats mellan invånare, lokala organisationer och politiker, på kvällstid, ledd av lokala politiker. Utkast till agenda i god tid, och deltagarna kan anmäla frågor till den.",
    ),
    (
        3,
        "Utbildade intervjuare (community researchers)",
        False,
        "Invånare, ofta unga, tränas att göra enkäter eller intervjuer med andra som en del av dialogen.",
    ),
    (
        3,
        "Lärande promenad",
        True,
        "En vandring i området med invånare, politiker och tjänstepersoner, där man ser och samtalar på plats.",
    ),
    (
        3,
        "Open space",
        True,
        "Deltagarna sätter själva dagordningen och samtalar i grupper om det de tycker är viktigast.",
    ),
    (3, "Digitalt dialogmöte", True, "Dialogmöte på distans, med stöd för grupparbete."),
    (
        4,
        "Sociala fyrtorn",
        False,
        "Utvalda medarbetare för strukturerad dialog i sitt dagliga arbete med grupper som sällan hörs, till exempel förskolepedagoger, fritidsledare, hemtjänsten och biblioteket.",
    ),
    (
        5,
        "Delegering",
        False,
        "Fullmäktige delegerar ansvar till ett organ där deltagarna är valda som personer, till exempel ett tillgänglighetsråd.",
    ),
    (
        5,
        "Medborgarbudget",
        True,
        "Invånarna föreslår och röstar om hur en avgränsad del av budgeten ska användas; förslagen kostnadsberäknas och vinnarna genomförs.",
    ),
]

TARGET_GROUPS = [
    ("Barn", True),
    ("Unga", True),
    ("Personer som står utanför arbetsmarknaden", True),
    ("Personer med funktionsnedsättning", True),
    ("Utlandsfödda", True),
    ("Personer med psykisk ohälsa", True),
    ("Nyinflyttade", False),
    ("Samer", True),
    ("Företagare", False),
    ("Civilsamhällets aktörer", False),
    ("Boende i ett visst område", False),
    ("Äldre", True),
    ("Fritidshusägare", False),
]


def catalogue_ensure() -> None:
    for order, (step, name, is_meeting, description) in enumerate(METHODS):
        Method.objects.get_or_create(
            name=name,
            defaults={
                "ladder_step": step,
                "is_meeting": is_meeting,
                "description": description,
                "order": order,
            },
        )
    for order, (name, seldom_heard) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(
            name=name, defaults={"seldom_heard": seldom_heard, "order": order}
        )
