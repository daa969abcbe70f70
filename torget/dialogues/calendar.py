"""Kalendarium: every public date in one list, for the calendar page and its iCalendar feed.

An entry comes from a *provider*: a function that returns the entries of one kind that touch
a window of days. This module registers the dialogues' own (their dates, their period, the
planned methods, the decision); another app adds its kind with `register()` from its
`AppConfig.ready()` (the meetings part adds meetings), and the page and the feed show them
without knowing where they came from.

Every provider starts from the public reads in `selectors`, so an initiative not yet decided
on or one that was declined never reaches the calendar. A cancelled dialogue's entries stay,
marked as cancelled, so that someone who planned to come sees that it is off.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.dialogues import selectors
from torget.dialogues.models import (
    PLAN_PUBLIC,
    Dialogue,
    DialogueDate,
    Event,
    PlannedMethod,
    Status,
)
from torget.geo.models import Area


class Kind:
    """What an entry is; the page shows the label, the feed puts it in CATEGORIES."""

    DATE = "datum"
    PERIOD = "period"
    METHOD = "metod"
    DECISION = "beslut"


@dataclass(frozen=True)
class Entry:
    """One thing in the calendar: at a time (`starts_at`, `ends_at`, aware) or for whole days
    (`first_day` to `last_day`, both included)."""

    uid: str  # stable across requests; the feed adds "@host"
    kind: str
    kind_label: str
    title: str
    url: str
    dialogue: Dialogue | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
    place: str = ""
    areas: tuple[str, ...] = ()
    description: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None

    def __post_init__(self) -> None:
        if (self.starts_at is None) == (self.first_day is None):
            raise ValueError("An entry has either a start time or a first day.")

    @property
    def all_day(self) -> bool:
        return self.starts_at is None

    @property
    def first(self) -> datetime.date:
        """The first day it touches, in local time."""
        if self.starts_at is not None:
            return timezone.localdate(self.starts_at)
        if self.first_day is None:  # ruled out by __post_init__
            raise ValueError("An entry has either a start time or a first day.")
        return self.first_day

    @property
    def last(self) -> datetime.date:
        """The last day it touches, in local time."""
        if self.starts_at is not None:
            return timezone.localdate(self.ends_at or self.starts_at)
        return self.last_day or self.first

    @property
    def multi_day(self) -> bool:
        return self.last > self.first

    @property
    def summary(self) -> str:
        """The title with the dialogue's, for places that show one line (the feed)."""
        if self.dialogue is None or self.title == self.dialogue.title:
            return self.title
        return f"{self.title} – {self.dialogue.title}"

    def touches(self, start: datetime.date, end: datetime.date) -> bool:
        return self.first <= end and self.last >= start

    def sort_key(self) -> tuple[datetime.date, bool, datetime.datetime | None, str, str]:
        # Within a day the whole-day entries first, then by time.
        start = self.starts_at or timezone.make_aware(
            datetime.datetime.combine(self.first, datetime.time.min)
        )
        return (self.first, not self.all_day, start, self.summary, self.uid)


class EntryProvider(Protocol):
    """Returns the entries that touch start..end (both included); with `area_ids`, only
    those whose own area or whose dialogue's areas is one of them."""

    def __call__(
        self, *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
    ) -> Iterable[Entry]: ...


PROVIDERS: list[EntryProvider] = []


def register(provider: EntryProvider) -> EntryProvider:
    """Add a kind of entry to the calendar (usable as a decorator; registering twice is a
    no-op)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def calendar_entries(
    *, start: datetime.date, end: datetime.date, area: Area | None = None
) -> list[Entry]:
    """Every public entry that touches start..end (both included), in order of time; with an
    area, those in it or in an area inside it (a date in Berga is also one in Söder)."""
    area_ids = area_and_below(area) if area is not None else None
    entries: dict[str, Entry] = {}
    for provider in PROVIDERS:
        for entry in provider(start=start, end=end, area_ids=area_ids):
            if entry.touches(start, end):
                entries.setdefault(entry.uid, entry)
    return sorted(entries.values(), key=Entry.sort_key)


def area_and_below(area: Area) -> list[int]:
    """The area and every area inside it."""
    ids = [area.pk]
    level = [area.pk]
    # Area trees are shallow (kommun › kommundel › stadsdel); the bound guards against cycles.
    for _depth in range(10):
        level = [
            pk
            for pk in Area.objects.filter(parent_id__in=level).values_list("pk", flat=True)
            if pk not in ids
        ]
        if not level:
            break
        ids.extend(level)
    return ids


# --- The dialogues' own entries --------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_areas(area_ids: Sequence[int]) -> QuerySet[Any]:
    return Dialogue.areas.through.objects.filter(area_id__in=area_ids).values("dialogue_id")


def _plan_shown() -> QuerySet[Dialogue]:
    """Public dialogues whose plan is public (their period, methods and decision date are part
    of the plan), and cancelled ones whose plan was public before they were cancelled."""
    approved_once = Exists(Event.objects.filter(dialogue=OuterRef("pk"), step="approve_plan"))
    return (
        selectors.dialogues_public()
        .prefetch_related(None)
        .prefetch_related("areas")
        .alias(approved_once=approved_once)
        .filter(Q(status__in=PLAN_PUBLIC) | Q(status=Status.CANCELLED, approved_once=True))
    )


def _area_names(dialogue: Dialogue, own: Area | None = None) -> tuple[str, ...]:
    names = [own.name] if own is not None else []
    names.extend(area.name for area in dialogue.areas.all() if area.name not in names)
    return tuple(names)


def _cancelled(dialogue: Dialogue) -> bool:
    return dialogue.status == Status.CANCELLED


@register
def dialogue_dates(
    *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
) -> list[Entry]:
    """DialogueDate rows of public dialogues: an information meeting, a survey's last day."""
    window_start, window_end = _day_start(start), _day_start(end + datetime.timedelta(days=1))
    dates = (
        selectors.public_dates()
        .filter(starts_at__lt=window_end)
        .filter(Q(ends_at__gte=window_start) | Q(ends_at__isnull=True, starts_at__gte=window_start))
        .prefetch_related("dialogue__areas")
    )
    if area_ids is not None:
        dates = dates.filter(Q(area__in=area_ids) | Q(dialogue__in=_in_areas(area_ids)))
    return [_date_entry(date) for date in dates]


def _date_entry(date: DialogueDate) -> Entry:
    dialogue = date.dialogue
    return Entry(
        uid=f"dialog-date-{date.pk}",
        kind=Kind.DATE,
        kind_label=_("Datum i dialogen"),
        title=date.title,
        url=dialogue.get_absolute_url(),
        dialogue=dialogue,
        starts_at=date.starts_at,
        ends_at=date.ends_at,
        place=date.place,
        areas=_area_names(dialogue, date.area),
        description=date.description,
        cancelled=_cancelled(dialogue),
        last_modified=dialogue.updated_at,
    )


@register
def dialogue_periods_and_decisions(
    *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
) -> list[Entry]:
    """The period the dialogue runs ("Dialogen pågår") and the day of the decision in the
    matter: the day it is expected, or the day it was made."""
    period = Q(starts_on__lte=end) & (
        Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start)
    )
    decision = Q(outcome_decided_on__range=(start, end)) | Q(
        outcome_decided_on__isnull=True, decision_expected_on__range=(start, end)
    )
    dialogues = _plan_shown().filter(period | decision)
    if area_ids is not None:
        dialogues = dialogues.filter(pk__in=_in_areas(area_ids))
    entries = []
    for dialogue in dialogues:
        if dialogue.starts_on is not None:
            entries.append(_period_entry(dialogue))
        if dialogue.outcome_decided_on or dialogue.decision_expected_on:
            entries.append(_decision_entry(dialogue))
    return entries


def _period_entry(dialogue: Dialogue) -> Entry:
    return Entry(
        uid=f"dialog-period-{dialogue.pk}",
        kind=Kind.PERIOD,
        kind_label=_("Dialogens period"),
        title=_("Dialogen pågår") if dialogue.ends_on else _("Dialogen börjar"),
        url=dialogue.get_absolute_url(),
        dialogue=dialogue,
        first_day=dialogue.starts_on,
        last_day=dialogue.ends_on or dialogue.starts_on,
        areas=_area_names(dialogue),
        description=dialogue.summary,
        cancelled=_cancelled(dialogue),
        last_modified=dialogue.updated_at,
    )


def _decision_entry(dialogue: Dialogue) -> Entry:
    made = dialogue.outcome_decided_on is not None
    body = dialogue.deciding_body
    if made:
        description = dialogue.outcome_decision
    elif body is not None:
        description = _("Beslutet i frågan väntas från %(body)s.") % {"body": body}
    else:
        description = ""
    return Entry(
        # One UID for the expected day and the day it was made: a subscribed calendar moves
        # the event rather than showing both.
        uid=f"dialog-decision-{dialogue.pk}",
        kind=Kind.DECISION,
        kind_label=_("Beslut"),
        title=_("Beslut fattat") if made else _("Beslut väntas"),
        url=dialogue.get_absolute_url(),
        dialogue=dialogue,
        first_day=dialogue.outcome_decided_on or dialogue.decision_expected_on,
        areas=_area_names(dialogue),
        description=description,
        cancelled=_cancelled(dialogue),
        last_modified=dialogue.updated_at,
    )


@register
def planned_methods(
    *, start: datetime.date, end: datetime.date, area_ids: Sequence[int] | None
) -> list[Entry]:
    """The methods in a public plan that have dates: a survey open for three weeks."""
    methods = (
        PlannedMethod.objects.filter(dialogue__in=_plan_shown().values("pk"))
        .filter(starts_on__lte=end)
        .filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start))
        .select_related("method", "dialogue")
        .prefetch_related("dialogue__areas")
    )
    if area_ids is not None:
        methods = methods.filter(dialogue__in=_in_areas(area_ids))
    return [_method_entry(planned) for planned in methods]


def _method_entry(planned: PlannedMethod) -> Entry:
    dialogue = planned.dialogue
    return Entry(
        uid=f"dialog-method-{planned.pk}",
        kind=Kind.METHOD,
        kind_label=_("Metod i dialogen"),
        title=planned.method.name,
        url=dialogue.get_absolute_url(),
        dialogue=dialogue,
        first_day=planned.starts_on,
        last_day=planned.ends_on or planned.starts_on,
        areas=_area_names(dialogue),
        description=planned.note or planned.method.description,
        cancelled=_cancelled(dialogue),
        last_modified=dialogue.updated_at,
    )
