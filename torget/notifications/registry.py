"""What can be followed (bevakas): each app registers its models once, in AppConfig.ready.

    followables.register("forslag", Proposal, label=_("Medborgarförslag"))

A registered kind gives subscriptions a readable address (/bevaka/forslag/12/) and lets
`notify(followers_of=proposal)` find the followers. `widen` says which other targets' followers
care too: a dialogue in Berga concerns those who follow Berga's utskottsområde and the whole
municipality.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Followable:
    kind: str
    model: type[models.Model]
    label: Any
    widen: Callable[[Any], Iterable[models.Model]] = field(default=lambda obj: [obj])
    # Whether the public may follow this object (a proposal under review may not).
    visible: Callable[[Any], bool] = field(default=lambda obj: True)


_by_kind: dict[str, Followable] = {}


def register(
    kind: str,
    model: type[models.Model],
    *,
    label: Any,
    widen: Callable[[Any], Iterable[models.Model]] | None = None,
    visible: Callable[[Any], bool] | None = None,
) -> None:
    _by_kind[kind] = Followable(
        kind, model, label, widen or (lambda obj: [obj]), visible or (lambda obj: True)
    )


def by_kind(kind: str) -> Followable | None:
    return _by_kind.get(kind)


def for_object(obj: models.Model) -> Followable | None:
    for followable in _by_kind.values():
        if isinstance(obj, followable.model):
            return followable
    return None


def all_followables() -> list[Followable]:
    return list(_by_kind.values())
