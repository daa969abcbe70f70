"""The retention plan's declarations (gallringsplan), contributed app by app.

Each app that keeps personal data declares its record kinds in its own `retention.py`; the
retention app finds those modules, lets the municipality set the period of each kind, and
applies them every night. Nothing outside a declared kind is ever removed by retention:

    # torget/<app>/retention.py
    from torget.core import retention

    def _apply(*, cutoff: datetime, dry_run: bool) -> dict[str, int]:
        old = Visit.objects.filter(ended_at__lt=cutoff)
        return {"visits": old.count() if dry_run else old.delete()[0]}

    retention.register(retention.RecordKind(
        key="parking.visits", name=_("Parkeringsbesök"), default=retention.Period(3, "months"),
        action=retention.Action.DELETE, counts_from=_("när besöket slutade"), apply=_apply))

`apply` changes only the rows whose starting date lies before `cutoff`, returns how many rows
it changed (or, with `dry_run`, would change) per table or field, and is idempotent: a second
call with the same cut-off changes nothing and returns zeros.

The toolbox knows no domain model: the apps say what their functions touch.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

Unit = Literal["days", "months"]

# A month counts as its mean length, so a period means the same whatever month it is.
DAYS_PER_MONTH = 30.44


class Action(models.TextChoices):
    DELETE = "delete", _("Raderas")
    ANONYMISE = "anonymise", _("Avidentifieras")
    CLEAR = "clear", _("Uppgifterna töms")
    # Kept outside the site (the operator's backups): stated in the plan, not executed here.
    OUTSIDE = "outside", _("Gallras utanför webbplatsen")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit = "days"

    def days(self) -> int:
        return self.amount if self.unit == "days" else round(self.amount * DAYS_PER_MONTH)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """Rows whose period started before this moment have been kept long enough."""
        return now - datetime.timedelta(days=self.days())


class ApplyFunction(Protocol):
    def __call__(self, *, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]: ...


@dataclass(frozen=True)
class RecordKind:
    """One kind of record in the plan (a *handlingstyp* in the gallringsplan)."""

    key: str
    name: Any  # a (lazy) Swedish text
    # What the kind holds and why it goes (shown in the plan).
    description: Any
    # The period from `counts_from` until the rows are treated; a callable reads a setting
    # or the municipality's own value at the time it is asked.
    default: Period | Callable[[], Period]
    action: str
    # When the period starts counting, in words ("när mötet har slutat").
    counts_from: Any
    # None: nothing to apply here (the operator's backups).
    apply: ApplyFunction | None = None
    # Allmänna handlingar: the record itself is kept, only personal fields are cleared.
    public_records: bool = False
    # The order in the plan: health data and the shortest periods first.
    order: int = 100

    def default_period(self) -> Period:
        return self.default() if callable(self.default) else self.default

    @property
    def executed(self) -> bool:
        return self.apply is not None


_kinds: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    if kind.apply is None and kind.action != Action.OUTSIDE:
        raise ValueError(f"The record kind {kind.key!r} has nothing to apply.")
    _kinds[kind.key] = kind
    return kind


def discover() -> None:
    """Import every installed app's `retention.py` (AppConfig.ready of the retention app)."""
    autodiscover_modules("retention")


def kinds() -> list[RecordKind]:
    """Every declared kind, in the plan's order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def get(key: str) -> RecordKind | None:
    return _kinds.get(key)
