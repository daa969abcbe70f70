"""Reads of consultations: fetching-and-authorising (`access_*`), the hash a person's choice is
stored under, and the counting of a result."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.consultations.models import (
    AGE_BANDS,
    PUBLIC_STATUSES,
    Alternative,
    Choice,
    Consultation,
    Mode,
)
from torget.consultations.permissions import can_manage, can_read_staff, can_view_public
from torget.dialogues.models import Dialogue
from torget.geo.models import Area

HASH_SALT = "torget.consultations.choice"


def person_hash(consultation: Consultation, key: str) -> str:
    """The keyed hash a person's choice is stored under: HMAC with a secret derived from the
    settings, over the consultation and the person key (e-ID) or `email:<address>`. Per
    consultation, so choices in two consultations cannot be joined either."""
    return salted_hmac(
        HASH_SALT, f"consultation:{consultation.pk}:{key}", algorithm="sha256"
    ).hexdigest()


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()


def _with_dialogue() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("dialogue", "approved_by_body", "planned_method")


def access_public(dialogue_pk: int, pk: int) -> Consultation:
    """A consultation as citizens see it: 404 until approved, or when the dialogue is not
    public, or under another dialogue's address."""
    consultation = get_object_or_404(_with_dialogue(), pk=pk, dialogue_id=dialogue_pk)
    if not can_view_public(consultation):
        raise Http404
    return consultation


def access_alternative_public(dialogue_pk: int, pk: int, alternative_pk: int) -> Alternative:
    consultation = access_public(dialogue_pk, pk)
    alternative = get_object_or_404(consultation.alternatives.all(), pk=alternative_pk)
    alternative.consultation = consultation
    return alternative


def access_for_reading(user: Actor, pk: int) -> Consultation:
    consultation = get_object_or_404(_with_dialogue(), pk=pk)
    if not can_read_staff(user, consultation):
        raise PermissionDenied
    return consultation


def access_for_work(user: Actor, pk: int) -> Consultation:
    consultation = get_object_or_404(_with_dialogue(), pk=pk)
    if not can_manage(user, consultation):
        raise PermissionDenied
    return consultation


def access_alternative_for_work(user: Actor, pk: int, alternative_pk: int) -> Alternative:
    consultation = access_for_work(user, pk)
    alternative = get_object_or_404(consultation.alternatives.all(), pk=alternative_pk)
    alternative.consultation = consultation
    return alternative


def consultations_of(dialogue: Dialogue) -> QuerySet[Consultation]:
    return Consultation.objects.filter(dialogue=dialogue).order_by("opens_at", "pk")


def public_consultations_of(dialogue: Dialogue) -> QuerySet[Consultation]:
    return consultations_of(dialogue).filter(status__in=PUBLIC_STATUSES)


def choice_of(consultation: Consultation, key: str) -> Choice | None:
    return Choice.objects.filter(
        consultation=consultation, person_hash=person_hash(consultation, key)
    ).first()


def area_choices(consultation: Consultation) -> QuerySet[Area]:
    """The areas the background question offers: the dialogue's, or all when it has none."""
    areas = Area.objects.filter(dialogues=consultation.dialogue)
    if not areas.exists():
        areas = Area.objects.all()
    return areas.order_by("name")


def count_rule(consultation: Consultation) -> str:
    """The published rule of counting, shown with the form and the result."""
    if consultation.mode == Mode.RANK:
        return _(
            "Du rangordnar alla alternativen. Ett alternativ får lika många poäng som det finns "
            "alternativ när det står först, och en poäng mindre för varje plats längre ner "
            "(Borda-poäng). Det alternativ som får flest poäng ligger först i resultatet. Vi "
            "redovisar också hur många som satte varje alternativ först."
        )
    return _("Du väljer ett alternativ. Det alternativ som flest väljer ligger först i resultatet.")


def tally(consultation: Consultation) -> dict[str, Any]:
    """The result: counts per alternative (for ranking also Borda points), per area and per
    age band, and the comments grouped by alternative. Plain data (JSON), so it can be frozen
    when published."""
    alternatives = list(consultation.alternatives.all())
    ids = [a.pk for a in alternatives]
    size = len(ids)
    first = dict.fromkeys(ids, 0)
    points = dict.fromkeys(ids, 0)
    by_area: dict[str, dict[int, int]] = {}
    by_age: dict[str, dict[int, int]] = {}
    comments: dict[int, list[str]] = {pk: [] for pk in ids}
    area_names = dict(Area.objects.values_list("pk", "name"))
    no_answer = _("Inte angivet")
    ages = {code: str(label) for code, label in AGE_BANDS}
    total = 0
    rows = Choice.objects.filter(consultation=consultation).values_list(
        "alternative_id", "ranking", "comment", "age_band", "area_id"
    )
    for alternative_id, ranking, comment, age_band, area_id in rows:
        if alternative_id not in first:
            continue
        total += 1
        first[alternative_id] += 1
        if consultation.mode == Mode.RANK:
            order = [pk for pk in ranking if pk in points] or [alternative_id]
            for place, pk in enumerate(order):
                points[pk] += size - place
        area = area_names.get(area_id, no_answer) if area_id else no_answer
        by_area.setdefault(area, dict.fromkeys(ids, 0))[alternative_id] += 1
        age = ages.get(age_band, no_answer) if age_band else no_answer
        by_age.setdefault(age, dict.fromkeys(ids, 0))[alternative_id] += 1
        if comment.strip():
            comments[alternative_id].append(comment.strip())

    def table(groups: dict[str, dict[int, int]], order: list[str]) -> list[dict[str, Any]]:
        names = [name for name in order if name in groups] + sorted(
            name for name in groups if name not in order
        )
        return [
            {
                "name": name,
                "counts": [groups[name][pk] for pk in ids],
                "total": sum(groups[name].values()),
            }
            for name in names
        ]

    rank_mode = consultation.mode == Mode.RANK
    listed: list[dict[str, Any]] = [
        {
            "id": a.pk,
            "title": a.title,
            "count": first[a.pk],
            "points": points[a.pk] if rank_mode else None,
            "share": round(100 * first[a.pk] / total) if total else 0,
            "comments": sorted(comments[a.pk]),
        }
        for a in alternatives
    ]

    def rank_key(row: dict[str, Any]) -> tuple[int, int]:
        # Ranking: most points first, ties by first preferences; choose-one: most choices.
        count = int(row["count"])
        return (-int(row["points"] or 0), -count) if rank_mode else (-count, 0)

    ranked = sorted(listed, key=rank_key)
    return {
        "mode": consultation.mode,
        "total": total,
        "alternatives": listed,
        "ranked": [row["id"] for row in ranked],
        "by_area": table(by_area, sorted(area_names.values()) + [no_answer]),
        "by_age": table(by_age, [ages[code] for code, _label in AGE_BANDS] + [no_answer]),
    }
