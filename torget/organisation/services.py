import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from torget.accounts.models import User
from torget.audit import services as audit
from torget.organisation.models import (
    Body,
    BodyMembership,
    DiaryNumber,
    DiarySeries,
    Municipality,
    Party,
)

MUNICIPALITY_SETTINGS = (
    "name",
    "organisation_number",
    "email",
    "phone",
    "address",
    "website",
    "population",
    "map_center_lat",
    "map_center_lon",
    "map_zoom",
    "proposal_support_threshold",
    "proposal_signing_days",
    "proposal_residence_required",
    "feedback_sla_days",
    "feedback_retention_months",
)


@transaction.atomic
def municipality_update(*, actor: AbstractBaseUser | None, **values: Any) -> Municipality:
    unknown = set(values) - set(MUNICIPALITY_SETTINGS) - {"logo"}
    if unknown:
        raise TypeError(f"Not municipality settings: {sorted(unknown)}")
    municipality = (
        Municipality.objects.select_for_update().filter(pk=Municipality.SINGLETON_PK).first()
        or Municipality()
    )
    before = {field: getattr(municipality, field) for field in MUNICIPALITY_SETTINGS}
    for field, value in values.items():
        setattr(municipality, field, value)
    municipality.full_clean()
    municipality.save()
    after = {field: getattr(municipality, field) for field in MUNICIPALITY_SETTINGS}
    audit.record(
        actor=actor,
        action="municipality.updated",
        obj=municipality,
        changes=audit.diff(before, after),
    )
    return municipality


@transaction.atomic
def diary_number_next(
    *,
    prefix: str,
    year: int | None = None,
    title: str = "",
    actor: AbstractBaseUser | None = None,
) -> DiaryNumber:
    """Hand out the next diarienummer in a series, e.g. "KS 2026/17".

    Gapless and unique under concurrency: the series row is locked (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), and because the increment
    is part of the caller's transaction, a rolled-back case gives its number back.
    """
    year = year or timezone.localdate().year
    prefix = prefix.strip().upper()
    if not prefix:
        raise ValueError("A diarienummer needs a prefix, such as a body's abbreviation.")
    # Create the series if this is its first number; a concurrent creator makes this a no-op.
    DiarySeries.objects.bulk_create([DiarySeries(prefix=prefix, year=year)], ignore_conflicts=True)
    series = DiarySeries.objects.select_for_update().get(prefix=prefix, year=year)
    series.last_serial += 1
    series.save(update_fields=["last_serial"])
    number = DiaryNumber.objects.create(series=series, serial=series.last_serial, title=title[:300])
    audit.record(
        actor=actor, action="diary_number.registered", obj=number, changes={"title": title}
    )
    return number


def diary_number_for_body(
    *, body: Body, title: str = "", actor: AbstractBaseUser | None = None
) -> DiaryNumber:
    return diary_number_next(prefix=body.abbreviation, title=title, actor=actor)


@transaction.atomic
def membership_add(
    *,
    body: Body,
    person: User,
    party: Party,
    role: str,
    started_on: datetime.date | None = None,
    actor: AbstractBaseUser | None = None,
) -> BodyMembership:
    membership = BodyMembership(
        body=body,
        person=person,
        party=party,
        role=role,
        started_on=started_on or timezone.localdate(),
    )
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="membership.added",
        obj=body,
        changes={"person": person.pk, "party": party.abbreviation, "role": role},
    )
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: BodyMembership,
    ended_on: datetime.date | None = None,
    actor: AbstractBaseUser | None = None,
) -> BodyMembership:
    membership.ended_on = ended_on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        action="membership.ended",
        obj=membership.body,
        changes={"person": membership.person_id, "role": membership.role},
    )
    return membership
