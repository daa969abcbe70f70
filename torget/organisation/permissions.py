"""Object-level rules: a role is limited to its own body, administration or area."""

from typing import Any

import rules

from torget.accounts.permissions import is_administrator
from torget.accounts.roles import Role
from torget.accounts.types import Actor
from torget.organisation.models import (
    PRESIDIUM_ROLES,
    Administration,
    Body,
    BodyMembership,
    Employment,
)


@rules.predicate
def is_member_of_body(user: Actor, body: Body | None) -> bool:
    if not user.is_authenticated:
        return False
    memberships = BodyMembership.objects.current().filter(person=user)
    return memberships.filter(body=body).exists() if body is not None else memberships.exists()


@rules.predicate
def is_presidium_of_body(user: Actor, body: Body | None) -> bool:
    if not user.is_authenticated:
        return False
    seats = BodyMembership.objects.current().filter(person=user, role__in=PRESIDIUM_ROLES)
    return seats.filter(body=body).exists() if body is not None else seats.exists()


@rules.predicate
def works_in_administration(user: Actor, administration: Administration | None) -> bool:
    if not user.is_authenticated:
        return False
    employments = Employment.objects.filter(person=user)
    if administration is not None:
        employments = employments.filter(administration=administration)
    return employments.exists()


@rules.predicate
def is_contact_person_of_administration(user: Actor, administration: Administration | None) -> bool:
    if not user.is_authenticated:
        return False
    employments = Employment.objects.filter(person=user, is_contact_person=True)
    if administration is not None:
        employments = employments.filter(administration=administration)
    return employments.exists()


@rules.predicate
def covers_area(user: Actor, area: Any) -> bool:
    """The user is responsible for the area or one that contains it (e.g. a safety
    coordinator for an utskottsområde covers its districts)."""
    if not user.is_authenticated:
        return False
    covered = set(Employment.objects.filter(person=user).values_list("areas", flat=True)) - {None}
    if area is None:
        return bool(covered)
    while area is not None:
        if area.pk in covered:
            return True
        area = area.parent
    return False


is_safety_coordinator = rules.is_group_member(Role.SAFETY_COORDINATOR.value)

rules.add_perm("organisation.change_body", is_administrator | is_presidium_of_body)
rules.add_perm(
    "organisation.change_administration", is_administrator | is_contact_person_of_administration
)
rules.add_perm(
    "organisation.coordinate_safety_in_area",
    is_administrator | (is_safety_coordinator & covers_area),
)
