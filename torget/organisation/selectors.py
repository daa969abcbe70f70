from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from torget.organisation.models import Body, BodyKind, BodyMembership, Employment, Municipality


def municipality_get() -> Municipality:
    """The municipality's settings; an unsaved default before an administrator has saved any."""
    return Municipality.objects.filter(pk=Municipality.SINGLETON_PK).first() or Municipality()


def bodies_public() -> QuerySet[Body]:
    return Body.objects.filter(is_active=True).select_related("area", "parent")


def seats_current(*, body: Body | None = None) -> QuerySet[BodyMembership]:
    """The seats held now: in `body`, or in any body."""
    seats = BodyMembership.objects.current()
    return seats.filter(body=body) if body is not None else seats


def elected_members(*, body: Body | None = None) -> QuerySet[Any]:
    """The elected officials (förtroendevalda) with a current seat in `body`, or in any body
    when none is given; active accounts only, by name."""
    return (
        get_user_model()
        .objects.filter(pk__in=seats_current(body=body).values("person"), is_active=True)
        .order_by("full_name", "email", "pk")
    )


def body_with_members(*, slug: str) -> Body:
    current = seats_current().select_related("person", "party")
    return (
        bodies_public()
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        .get(slug=slug)
    )


def dialogue_committees() -> QuerySet[Body]:
    return bodies_public().filter(kind=BodyKind.DIALOGUE_COMMITTEE)


def areas_covered(user: Any) -> list[int]:
    """The areas the user is responsible for in their employments (a safety coordinator's
    utskottsområden), as ids; the areas inside them are covered too."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        {
            pk
            for pk in Employment.objects.filter(person=user).values_list("areas", flat=True)
            if pk is not None
        }
    )
