"""Consultations at each point of their life, made through the same services as the pages."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from torget.consultations import services
from torget.consultations.models import Consultation, Mode
from torget.dialogues.models import Dialogue
from torget.dialogues.tests.factories import Cast, cast, opened
from torget.geo.tests.factories import AreaFactory


@dataclass
class World:
    people: Cast
    dialogue: Dialogue
    area: Any


def world() -> World:
    people = cast()
    area = AreaFactory(name="Berga")
    return World(people=people, dialogue=opened(people, areas=[area]), area=area)


def draft(w: World, *, alternatives: int = 2, **values: Any) -> Consultation:
    now = timezone.now()
    values.setdefault("title", "Ny lekplats i Berga park")
    values.setdefault("question", "Vilken lekplats tycker du bäst om?")
    values.setdefault("eligibility_reason", "En röst per person, som i ett val.")
    values.setdefault("opens_at", now - datetime.timedelta(hours=1))
    values.setdefault("closes_at", now + datetime.timedelta(days=14))
    consultation = services.consultation_create(
        dialogue=w.dialogue, actor=w.people.official, **values
    )
    for letter in "ABCDEFG"[:alternatives]:
        services.alternative_add(
            consultation=consultation, actor=w.people.official, title=f"Förslag {letter}"
        )
    return consultation


def approve(w: World, consultation: Consultation) -> Consultation:
    return services.approval_record(
        consultation=consultation,
        actor=w.people.official,
        body=w.people.body,
        names="Anna Andersson (S), Bo Berg (M)",
        approved_on=timezone.localdate(),
        reference="KS 2026/12",
    )


def open_(w: World, **values: Any) -> Consultation:
    consultation = approve(w, draft(w, **values))
    return services.consultation_open(consultation=consultation, actor=w.people.official)


def ranked(w: World, **values: Any) -> Consultation:
    return open_(w, mode=Mode.RANK, alternatives=3, **values)


def ids(consultation: Consultation) -> list[int]:
    return list(consultation.alternatives.values_list("pk", flat=True))
