"""Writes of the safety part: importing survey results, the citizens' promise, its
commitments and their follow-ups. Each write is one transaction with its audit entry."""

import datetime
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.geo.models import Area
from torget.safety import permissions, survey_file
from torget.safety.models import (
    CitizensPromise,
    Commitment,
    FollowUp,
    SurveyAnswer,
    SurveyResult,
)
from torget.safety.survey_file import Problem, SurveyFileError


def _require_editor(actor: Actor) -> None:
    if not permissions.edits_safety(actor):
        raise PermissionDenied


def _find_area(name: str) -> Area | None:
    return Area.objects.filter(Q(name__iexact=name) | Q(slug__iexact=name)).order_by("pk").first()


def survey_import(
    *, actor: Actor, data: bytes, filename: str = "", replace: bool = False
) -> list[SurveyResult]:
    """Import a survey file (survey_file's format): all of it, or nothing. Refused with every
    problem's line and reason (SurveyFileError): the file's own, an unknown area, or a year
    the area already has results for unless `replace` says to replace them."""
    _require_editor(actor)
    rows = survey_file.read(data, filename)
    problems: list[Problem] = []
    areas: dict[str, Area] = {}
    grouped: dict[tuple[int, int], list[survey_file.Row]] = defaultdict(list)
    for row in rows:
        key = row.area.lower()
        if key not in areas:
            area = _find_area(row.area)
            if area is None:
                problems.append(
                    Problem(row.line, _("området ”%(area)s” finns inte.") % {"area": row.area[:80]})
                )
                areas[key] = None  # type: ignore[assignment]
                continue
            areas[key] = area
        area = areas[key]
        if area is None:
            continue
        grouped[(area.pk, row.year)].append(row)
    existing: set[tuple[int, int]] = set()
    if grouped:
        query = Q()
        for area_pk, year in grouped:
            query |= Q(area_id=area_pk, year=year)
        existing = set(SurveyResult.objects.filter(query).values_list("area_id", "year"))
    if not replace:
        for taken in sorted(existing):
            first = grouped[taken][0]
            problems.append(
                Problem(
                    first.line,
                    _(
                        "%(area)s har redan resultat för %(year)s. Kryssa i ”Ersätt” om filen "
                        "ska ersätta dem."
                    )
                    % {"area": first.area, "year": first.year},
                )
            )
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise SurveyFileError(problems)
    by_pk = {area.pk: area for area in areas.values() if area is not None}
    imported = []
    with transaction.atomic():
        for (area_pk, year), area_rows in sorted(grouped.items()):
            area = by_pk[area_pk]
            replaced = (area_pk, year) in existing
            if replaced:
                SurveyResult.objects.filter(area=area, year=year).delete()
            result = SurveyResult.objects.create(
                area=area, year=year, source_name=filename[:255], imported_by=user_or_none(actor)
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(
                    result=result,
                    question=row.question,
                    option=row.option,
                    share=row.share,
                    position=index,
                )
                for index, row in enumerate(area_rows)
            )
            audit.record(
                action="safety.survey_replaced" if replaced else "safety.survey_imported",
                actor=actor,
                obj=result,
                changes={"file": filename[:255], "answers": len(area_rows)},
            )
            imported.append(result)
    return imported


PROMISE_FIELDS = ("title", "summary", "valid_from", "valid_to")


def _check_period(valid_from: datetime.date, valid_to: datetime.date) -> None:
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("Perioden kan inte sluta innan den börjar.")})


@transaction.atomic
def promise_create(*, actor: Actor, **values: Any) -> CitizensPromise:
    _require_editor(actor)
    _check_period(values["valid_from"], values["valid_to"])
    promise = CitizensPromise.objects.create(**{k: values[k] for k in PROMISE_FIELDS})
    audit.record(
        action="safety.promise_created",
        actor=actor,
        obj=promise,
        changes={k: str(values[k]) for k in PROMISE_FIELDS},
    )
    return promise


@transaction.atomic
def promise_update(*, actor: Actor, promise: CitizensPromise, **values: Any) -> CitizensPromise:
    _require_editor(actor)
    _check_period(values["valid_from"], values["valid_to"])
    before = {k: str(getattr(promise, k)) for k in PROMISE_FIELDS}
    for key in PROMISE_FIELDS:
        setattr(promise, key, values[key])
    promise.save()
    after = {k: str(getattr(promise, k)) for k in PROMISE_FIELDS}
    audit.record(
        action="safety.promise_changed",
        actor=actor,
        obj=promise,
        changes=audit.diff(before, after),
    )
    return promise


@transaction.atomic
def commitment_add(*, actor: Actor, promise: CitizensPromise, text: str) -> Commitment:
    _require_editor(actor)
    if not text.strip():
        raise ValidationError({"text": _("Skriv åtagandet.")})
    position = promise.commitments.count() + 1
    commitment = Commitment.objects.create(promise=promise, text=text.strip(), position=position)
    audit.record(
        action="safety.commitment_added",
        actor=actor,
        obj=promise,
        changes={"commitment": commitment.text[:200]},
    )
    return commitment


@transaction.atomic
def follow_up_record(
    *,
    actor: Actor,
    commitment: Commitment,
    year: int,
    tertial: int,
    party: str,
    status: str,
    text: str,
) -> FollowUp:
    """One party's follow-up of a commitment for a tertial of the promise's period; a second
    one for the same party and tertial replaces the first (and the log keeps both)."""
    _require_editor(actor)
    promise = commitment.promise
    if (year, tertial) not in promise.tertials():
        raise ValidationError({"tertial": _("Tertialen ligger utanför medborgarlöftets period.")})
    if not text.strip():
        raise ValidationError({"text": _("Skriv vad som har gjorts.")})
    follow_up, created = FollowUp.objects.update_or_create(
        commitment=commitment,
        year=year,
        tertial=tertial,
        party=party,
        defaults={"status": status, "text": text.strip(), "recorded_by": user_or_none(actor)},
    )
    audit.record(
        action="safety.follow_up_recorded" if created else "safety.follow_up_changed",
        actor=actor,
        obj=promise,
        changes={
            "commitment": commitment.pk,
            "tertial": f"T{tertial} {year}",
            "party": party,
            "status": status,
            "text": follow_up.text[:500],
        },
    )
    return follow_up
