"""Demo map: in the school yard dialogue, a post-moderated map of Berga open for the
method's period, with three categories; points, a line and an area from the neighbours,
agrees and a comment, and one point hidden by a moderator with a public reason."""

import datetime

from django.utils import timezone
from shapely.geometry import shape

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.catalogue import INTERACTIVE_MAP
from torget.dialogues.models import Dialogue, Method, PlannedMethod
from torget.mapinput.models import (
    Agree,
    Category,
    Comment,
    HideReason,
    Map,
    Point,
    Shape,
    Status,
)

DIALOGUE = "Ny skolgård vid Bergaskolan"
TITLE = "Skolvägen och skolgården på kartan"
CATEGORIES = [
    ("Otryggt", "En plats som känns otrygg, till exempel på väg till skolan."),
    ("Förslag", "Något du vill ska finnas eller göras här."),
    ("Bra plats", "En plats som fungerar bra och som ska finnas kvar."),
]


def _planned_method(dialogue: Dialogue) -> PlannedMethod:
    method = dialogue.methods.filter(method__code=INTERACTIVE_MAP).first()
    if method is not None:
        return method
    today = timezone.localdate()
    return PlannedMethod.objects.create(
        dialogue=dialogue,
        method=Method.objects.get(code=INTERACTIVE_MAP),
        order=dialogue.methods.count() + 1,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=40),
        note="En karta där elever, föräldrar och grannar markerar skolvägen och skolgården.",
    )


@demo.register("mapinput", after=["accounts", "geo", "dialogues", "forum"])
def load(context: DemoContext) -> None:
    dialogue = Dialogue.objects.filter(title=DIALOGUE).first()
    if dialogue is None or Map.objects.filter(dialogue=dialogue, title=TITLE).exists():
        return
    from torget.accounts.demo import DEMO_DOMAIN
    from torget.accounts.models import User

    official = context.users[Role.OFFICIAL]
    maja = context.users[Role.CITIZEN]
    neighbours = list(
        User.objects.filter(email__endswith=f".berga@{DEMO_DOMAIN}").order_by("email")
    )
    area = context.areas["Berga"]
    map_ = Map.objects.create(
        dialogue=dialogue,
        planned_method=_planned_method(dialogue),
        title=TITLE,
        intro=(
            "Var känns skolvägen otrygg? Vad vill du ha på skolgården, och var? Markera på "
            "kartan, eller välj en plats i listan om du inte använder kartan."
        ),
        area=area,
        created_by=official,
    )
    context.changes += 1
    categories = [
        Category.objects.create(map=map_, name=name, description=text, order=order)
        for order, (name, text) in enumerate(CATEGORIES)
    ]
    unsafe, idea, good = categories
    centre = shape(area.geometry).representative_point()
    lon, lat = centre.x, centre.y
    now = timezone.now()
    people = [maja, *neighbours] or [maja]

    def place(category, geometry, comment, *, by, hours, **values):  # type: ignore[no-untyped-def]
        point = shape(geometry).representative_point()
        kind = {"Point": Shape.POINT, "LineString": Shape.LINE}.get(geometry["type"], Shape.AREA)
        return Point.objects.create(
            map=map_,
            category=category,
            shape=kind,
            geometry=geometry,
            lat=point.y,
            lon=point.x,
            comment=comment,
            author=by,
            shown_name=f"{by.display_name or by.full_name}, Berga",
            created_at=now - datetime.timedelta(hours=hours),
            **values,
        )

    d = 0.0015
    points = [
        place(
            unsafe,
            {"type": "Point", "coordinates": [lon + d, lat]},
            "Mörkt under gångtunneln, och cyklisterna kommer fort.",
            by=maja,
            hours=120,
            age_band="30-44",
        ),
        place(
            unsafe,
            {"type": "LineString", "coordinates": [[lon - d, lat - d], [lon, lat - d / 2]]},
            "Ingen trottoar på den här biten av skolvägen.",
            by=people[1 % len(people)],
            hours=96,
            age_band="45-64",
        ),
        place(
            idea,
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [lon - d / 3, lat + d / 3],
                        [lon + d / 3, lat + d / 3],
                        [lon + d / 3, lat + d],
                        [lon - d / 3, lat + d],
                        [lon - d / 3, lat + d / 3],
                    ]
                ],
            },
            "Här kan det bli en skuggig plats med träd och bänkar.",
            by=people[2 % len(people)],
            hours=72,
        ),
        place(
            good,
            {"type": "Point", "coordinates": [lon, lat + d / 2]},
            "Klätterträdet! Det måste få stå kvar.",
            by=people[3 % len(people)],
            hours=48,
            age_band="12-15",
        ),
        place(
            idea,
            {"type": "Point", "coordinates": [lon - d, lat + d / 4]},
            "[Dold markering i demodata: reklam för ett företag.]",
            by=people[1 % len(people)],
            hours=30,
            status=Status.HIDDEN,
            hidden_reason=HideReason.SPAM,
            hidden_at=now - datetime.timedelta(hours=29),
            hidden_by=official,
        ),
    ]
    first = points[0]
    for person in people[1:]:
        Agree.objects.create(point=first, user=person)
    Comment.objects.create(
        point=first,
        author=people[-1],
        shown_name=f"{people[-1].display_name or people[-1].full_name}, Berga",
        text="Håller med, där går jag inte när det är mörkt.",
        created_at=now - datetime.timedelta(hours=100),
    )
    Point.objects.filter(pk=first.pk).update(agree_count=len(people) - 1, comment_count=1)
