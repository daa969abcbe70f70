from django.db.models import Prefetch, QuerySet

from torget.organisation.models import Body, BodyKind, BodyMembership, Municipality


def municipality_get() -> Municipality:
    """The municipality's settings; an unsaved default before an administrator has saved any."""
    return Municipality.objects.filter(pk=Municipality.SINGLETON_PK).first() or Municipality()


def bodies_public() -> QuerySet[Body]:
    return Body.objects.filter(is_active=True).select_related("area", "parent")


def body_with_members(*, slug: str) -> Body:
    current = BodyMembership.objects.current().select_related("person", "party")
    return (
        bodies_public()
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        .get(slug=slug)
    )


def dialogue_committees() -> QuerySet[Body]:
    return bodies_public().filter(kind=BodyKind.DIALOGUE_COMMITTEE)
