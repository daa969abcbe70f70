"""Demo data for consultations: an open consultation between three playground designs in the
school dialogue, and a closed one in the library dialogue whose result is published (and a
draft, as officials see one while preparing it)."""

import datetime
import io
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from torget.accounts.roles import Role
from torget.consultations import services
from torget.consultations.models import AGE_BANDS, Consultation, Mode
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue

REASON = (
    "Skolgården är allas: en röst per person, och e-legitimation gör att ingen kan rösta två "
    "gånger. Ingen kan se vad du valde."
)


def _picture(colour: str, shape: str) -> io.BytesIO:
    """A simple drawing of the design, made here so the demo needs no files."""
    image = Image.new("RGB", (640, 400), "#e8f1e4")
    draw = ImageDraw.Draw(image)
    if shape == "circle":
        draw.ellipse((200, 80, 440, 320), fill=colour)
    elif shape == "triangle":
        draw.polygon([(320, 60), (520, 340), (120, 340)], fill=colour)
    else:
        draw.rectangle((160, 100, 480, 300), fill=colour)
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return data


@demo.register("consultations", after=["accounts", "dialogues", "results", "results_finished"])
def load(context: DemoContext) -> None:
    school = Dialogue.objects.filter(title="Ny skolgård vid Bergaskolan").first()
    library = Dialogue.objects.filter(title="Framtidens bibliotek i Ryd").first()
    if school is None or library is None:
        return
    if Consultation.objects.filter(dialogue__in=[school, library]).exists():
        return
    official = context.users[Role.OFFICIAL]
    now = timezone.now()
    body = school.deciding_body or context.bodies.get("BUN") or context.bodies["KS"]
    area = school.areas.first()

    # Open: three designs for the new playground, with a drawing and a place each.
    playground = services.consultation_create(
        dialogue=school,
        actor=official,
        title="Vilken lekplats ska byggas på skolgården?",
        question="Vilket förslag till lekplats tycker du bäst om?",
        description=(
            "Eleverna och föräldrarna har tagit fram tre förslag under skolgårdspromenaden. "
            "Barn- och ungdomsnämnden har godkänt alla tre. Det förslag som flest väljer "
            "föreslås för beslut."
        ),
        eligibility_reason=REASON,
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=19),
    )
    for title, text, colour, shape, lat, lon in (
        (
            "A: Klätterberget",
            "En kulle med klätternät, rutschkana och gömställen under.",
            "#2f6f3e",
            "triangle",
            58.3905,
            15.6480,
        ),
        (
            "B: Vattenlek och sandlåda",
            "Pump, rännor och en stor sandlåda med skugga.",
            "#1d5fa8",
            "circle",
            58.3909,
            15.6492,
        ),
        (
            "C: Bollplan med löparbana",
            "En mindre konstgräsplan och en 60-metersbana runt den.",
            "#a84a1d",
            "rectangle",
            58.3901,
            15.6470,
        ),
    ):
        services.alternative_add(
            consultation=playground,
            actor=official,
            title=title,
            description=text,
            image=_picture(colour, shape),
            image_alt=f"Skiss av förslaget {title}",
            lat=lat,
            lon=lon,
            area=area,
        )
    services.approval_record(
        consultation=playground,
        actor=official,
        body=body,
        names="Presidiet i nämnden",
        approved_on=timezone.localdate() - datetime.timedelta(days=7),
        reference="BUN 2026/118",
    )
    services.consultation_open(consultation=playground, actor=official)

    # Closed, result published: ranking three opening-hour options at the library.
    hours = services.consultation_create(
        dialogue=library,
        actor=official,
        title="Bibliotekets nya öppettider",
        question="Rangordna förslagen till nya öppettider.",
        mode=Mode.RANK,
        eligibility_reason=REASON.replace("Skolgården", "Biblioteket"),
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=1),
    )
    for title in ("Öppet kvällar till 21", "Öppet söndagar", "Meröppet med lånekort 7–22"):
        services.alternative_add(consultation=hours, actor=official, title=title)
    services.approval_record(
        consultation=hours,
        actor=official,
        body=library.deciding_body or body,
        names="Kultur- och fritidsnämndens presidium",
        approved_on=timezone.localdate() - datetime.timedelta(days=40),
        reference="KFN 2026/77",
    )
    services.consultation_open(consultation=hours, actor=official)
    ids = list(hours.alternatives.values_list("pk", flat=True))
    areas: list[Any] = list(library.areas.all()) or [None]
    orders = [[2, 0, 1], [0, 2, 1], [2, 1, 0], [1, 2, 0], [2, 0, 1]]
    comments = ["", "Jag pendlar och hinner aldrig före 18.", "", "Söndagar passar barnfamiljer."]
    for n in range(37):
        services.choice_make(
            consultation=hours,
            person_key=f"demo-person-{n}",
            ranking=[ids[i] for i in orders[n % len(orders)]],
            comment=comments[n % len(comments)] if n < 8 else "",
            age_band=AGE_BANDS[n % len(AGE_BANDS)][0] if n % 3 else "",
            area=areas[n % len(areas)],
        )
    services.consultation_close(consultation=hours, actor=official)
    services.result_publish(
        consultation=hours,
        actor=official,
        text=(
            "37 personer rangordnade förslagen. Meröppet med lånekort fick flest poäng och "
            "flest förstaplaceringar. Förvaltningen tar med resultatet i förslaget till nämnden."
        ),
    )

    # A draft, as officials see one while they prepare it.
    draft = services.consultation_create(
        dialogue=school,
        actor=official,
        title="Namn på den nya skolgården",
        question="Vilket namn tycker du ska gälla?",
        eligibility_reason=REASON,
        opens_at=now + datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=45),
    )
    for title in ("Bergagården", "Lekparken"):
        services.alternative_add(consultation=draft, actor=official, title=title)
    context.changes += 3
