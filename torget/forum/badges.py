"""Role badges: "Politiker, Barn- och ungdomsnämnden", "Tjänsteperson, Stadsbyggnad".

A badge is offered only for a role the person holds in the organisation's records today
(a current seat in a body, a current employment); citizens have none. Nothing the poster
types can give a badge: it is read from the organisation's records, nowhere else."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from torget.forum.models import BadgeKind
from torget.organisation.models import Employment
from torget.organisation.selectors import seats_current


@dataclass(frozen=True)
class Badge:
    kind: str  # models.BadgeKind value
    label: str  # shown next to the post


def badges_for(user: Any) -> list[Badge]:
    """The badges `user` may answer with, today: one "Politiker, <body>" per body in which
    they hold a seat now, then one "Tjänsteperson, <förvaltning>" per administration that
    employs them. Anonymous visitors, citizens and closed or deactivated accounts: none.

    At most two queries, whatever the number of roles."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return []
    if not user.is_active or user.is_closed:
        return []
    today = timezone.localdate()
    # A seat is current when it has not ended (the organisation's own definition) and has
    # begun: a seat for the next term gives no badge before the term starts. A body that is
    # no longer active has no one answering for it.
    bodies = (
        seats_current()
        .filter(person=user, started_on__lte=today, body__is_active=True)
        .order_by("body__name")
        .values_list("body__name", flat=True)
        .distinct()
    )
    # An employment that has ended is removed from the records (Employment has no end date).
    administrations = (
        Employment.objects.filter(person=user)
        .order_by("administration__name")
        .values_list("administration__name", flat=True)
        .distinct()
    )
    # The label is kept with the post (Post.badge) as part of the public record, so it is
    # written in the municipality's language, not in the language of the poster's browser.
    elected = [Badge(BadgeKind.ELECTED.value, f"Politiker, {name}") for name in bodies]
    officials = [
        Badge(BadgeKind.OFFICIAL.value, f"Tjänsteperson, {name}") for name in administrations
    ]
    return elected + officials
