"""Demo data for the safety work: two years of safety survey results for several areas, and
the citizens' promise of the municipality and the police with its commitments, followed up by
both parties for the two tertials that have ended."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.safety import services
from torget.safety.models import (
    CitizensPromise,
    FollowUpStatus,
    Party,
    SurveyResult,
    Tertial,
    tertial_of,
)

# area -> shares (yes, no, don't know) of the first question in the first and second year.
SURVEY_AREAS = {
    "Berga": ((58, 35, 7), (64, 30, 6)),
    "Skäggetorp": ((41, 51, 8), (47, 45, 8)),
    "Ekholmen": ((66, 28, 6), (63, 31, 6)),
    "Innerstaden": ((72, 22, 6), (74, 21, 5)),
}
QUESTIONS = (
    "Känner du dig trygg när du går ut ensam sent en kväll i ditt område?",
    "Har du avstått från att gå ut på grund av oro för att utsättas för brott?",
)
PROMISE_TITLE = "Medborgarlöfte för ett tryggare Storeby"
COMMITMENTS = (
    "Polisen och kommunens trygghetsvärdar är synliga kring centrum och hållplatserna på "
    "fredags- och lördagskvällar.",
    "Kommunen rustar belysningen och röjer buskage längs de gångvägar som trygghetsvandringarna "
    "pekar ut.",
    "Polisen och fritidsgårdarna träffar unga och deras föräldrar i skolorna varje termin.",
)
FOLLOW_UPS = {
    Party.MUNICIPALITY: (
        (FollowUpStatus.ONGOING, "Trygghetsvärdarna har varit ute 28 kvällar under tertialen."),
        (FollowUpStatus.DONE, "Tolv nya armaturer är uppsatta och tre gångvägar är röjda."),
        (FollowUpStatus.ONGOING, "Fritidsgårdarna har träffat föräldrar på fyra skolor."),
    ),
    Party.POLICE: (
        (FollowUpStatus.ONGOING, "Områdespoliserna har patrullerat till fots 22 kvällar."),
        (FollowUpStatus.NOT_STARTED, "Polisen har lämnat synpunkter på var belysning behövs."),
        (FollowUpStatus.DELAYED, "Två av fyra skolbesök flyttades till nästa tertial."),
    ),
}


def _survey_csv(year_index: int, year: int) -> bytes:
    lines = ["område;år;fråga;svarsalternativ;andel"]
    for area, shares in SURVEY_AREAS.items():
        yes, no, unsure = shares[year_index]
        lines += [
            f"{area};{year};{QUESTIONS[0]};Ja;{yes}",
            f"{area};{year};{QUESTIONS[0]};Nej;{no}",
            f"{area};{year};{QUESTIONS[0]};Vet inte;{unsure}",
            # Fewer stay in where more feel safe.
            f"{area};{year};{QUESTIONS[1]};Ja, ofta;{round((100 - yes) / 3)}",
            f"{area};{year};{QUESTIONS[1]};Ja, ibland;{round((100 - yes) / 2)}",
            f"{area};{year};{QUESTIONS[1]};Nej;"
            f"{100 - round((100 - yes) / 3) - round((100 - yes) / 2)}",
        ]
    return "\n".join(lines).encode()


def _previous(tertial: Tertial) -> Tertial:
    year, number = tertial
    return Tertial((year - 1, 3)) if number == 1 else Tertial((year, number - 1))


@demo.register("safety", after=["accounts", "geo", "councils"])
def load(context: DemoContext) -> None:
    """The safety work of the demo municipality (see the module's docstring)."""
    coordinator = context.users[Role.SAFETY_COORDINATOR]
    today = timezone.localdate()
    for year_index, year in enumerate((today.year - 2, today.year - 1)):
        if SurveyResult.objects.filter(year=year, area__name__in=list(SURVEY_AREAS)).exists():
            continue
        services.survey_import(
            actor=coordinator,
            data=_survey_csv(year_index, year),
            filename=f"trygghetsundersokning-{year}.csv",
        )
        context.changes += 1
    if CitizensPromise.objects.filter(title=PROMISE_TITLE).exists():
        return
    # The period began two tertials ago, so two tertials have ended and are followed up.
    ended = [_previous(_previous(tertial_of(today))), _previous(tertial_of(today))]
    start = ended[0].first_day
    promise = services.promise_create(
        actor=coordinator,
        title=PROMISE_TITLE,
        summary=(
            "Kommunen och polisen har tillsammans med trygghetsråden och invånarna kommit fram "
            "till vad som är viktigast för tryggheten. Det här lovar vi att göra."
        ),
        valid_from=start,
        valid_to=datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1),
    )
    for index, text in enumerate(COMMITMENTS):
        commitment = services.commitment_add(actor=coordinator, promise=promise, text=text)
        for tertial in ended:
            for party, follow_ups in FOLLOW_UPS.items():
                status, follow_up = follow_ups[index]
                services.follow_up_record(
                    actor=coordinator,
                    commitment=commitment,
                    year=tertial.year,
                    tertial=tertial.number,
                    party=party,
                    status=status,
                    text=follow_up,
                )
    context.changes += 1
