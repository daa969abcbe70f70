"""Maps for tests: an open dialogue in Berga whose plan has the interactive map (open
today), a map on it with three categories, and points. Built with the ORM so that each
part's tests stand alone; the services' own tests go through the services."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.tests.factories import CitizenFactory
from torget.dialogues import services as dialogue_services
from torget.dialogues.catalogue import INTERACTIVE_MAP
from torget.dialogues.models import Dialogue, Method
from torget.dialogues.tests.factories import Cast, cast, decide, initiative, plan
from torget.geo.models import Area
from torget.geo.tests.factories import AreaFactory
from torget.mapinput.models import Category, Map, Point, Shape, Status

# Berga as a square around (lon 18.00–18.02, lat 59.30–59.32); INSIDE is in it, OUTSIDE not.
BERGA = {
    "type": "Polygon",
    "coordinates": [[[18.0, 59.3], [18.02, 59.3], [18.02, 59.32], [18.0, 59.32], [18.0, 59.3]]],
}
INSIDE = (59.31, 18.01)  # lat, lon
OUTSIDE = (59.35, 18.05)


def berga() -> Area:
    return AreaFactory(name="Berga", geometry=BERGA)


def map_dialogue(people: Cast | None = None, **values: Any) -> tuple[Dialogue, Cast]:
    """An open dialogue in Berga whose plan has the map, from a week ago to a month ahead."""
    people = people or cast()
    values.setdefault("areas", [berga()])
    dialogue = plan(decide(initiative(people, **values), people), people)
    today = timezone.localdate()
    dialogue_services.method_add(
        dialogue=dialogue,
        actor=people.official,
        method=Method.objects.get(code=INTERACTIVE_MAP),
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30),
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="approve_plan", actor=people.leader
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="open", actor=people.official
    )
    return dialogue, people


CATEGORIES = ["Otryggt", "Förslag", "Bra plats"]


def map_(dialogue: Dialogue | None = None, *, people: Cast | None = None, **values: Any) -> Map:
    if dialogue is None:
        dialogue, people = map_dialogue(people)
    values.setdefault("title", "Var känns Berga otryggt?")
    values.setdefault("intro", "Markera platser på kartan och berätta varför.")
    values.setdefault("planned_method", dialogue.methods.get(method__code=INTERACTIVE_MAP))
    created = Map.objects.create(dialogue=dialogue, **values)
    for order, name in enumerate(CATEGORIES):
        Category.objects.create(map=created, name=name, order=order)
    return created


def citizen(**values: Any) -> User:
    values.setdefault("email_verified_at", timezone.now())
    return CitizenFactory(**values)


def point(
    map_: Map,
    author: User | None = None,
    *,
    at: tuple[float, float] = INSIDE,
    category: Category | None = None,
    status: str = Status.PUBLISHED,
    **values: Any,
) -> Point:
    author = author or citizen()
    lat, lon = at
    values.setdefault("comment", "Mörkt under viadukten på kvällen.")
    values.setdefault("shown_name", author.public_name)
    return Point.objects.create(
        map=map_,
        category=category or map_.categories.first(),
        shape=Shape.POINT,
        geometry={"type": "Point", "coordinates": [lon, lat]},
        lat=lat,
        lon=lon,
        author=author,
        status=status,
        **values,
    )
