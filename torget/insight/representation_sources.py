"""The participation sources of representativeness (*deltagandekällor*), in a small registry.

A source says how many people took part in one way (registered for a meeting, answered a
survey, …) and what they chose to tell of their background: an area, an age band and the
target groups they said they belong to. Each person is counted once per source: a person who
answered two surveys of one dialogue is two answers but, where the source can tell (an
account, an e-mail address), one participant. Nothing here names anyone: a source returns only
counts per background.

A source is a function `(dialogue_ids) -> Counter[Background]`; `dialogue_ids` None means
every dialogue (the overall page). Each function makes one query, whatever the number of
participants. Insight sits above the process apps, so it reads their models here, read-only.
"""

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torget.budget.models import VoteMark
from torget.consultations.models import Choice
from torget.forum.models import Post
from torget.mapinput.models import Point
from torget.meetings.models import Registration, RegistrationStatus
from torget.surveys.models import Response, ResponseStatus


@dataclass(frozen=True, order=True)
class Background:
    """What a participant told of themselves; None (or no groups) where they said nothing."""

    area_id: int | None = None
    age_band: str | None = None
    # Target groups by the plan's key: a checklist group's code, or a written-in group's name.
    target_groups: tuple[str, ...] = ()


Counts = Counter[Background]
SourceFunction = Callable[[Collection[int] | None], Counts]


@dataclass(frozen=True)
class Source:
    key: str
    label: str | Promise
    counts: SourceFunction
    # What the source asks (so a page can say "not asked" rather than "not given").
    asks_area: bool = False
    asks_age_band: bool = False
    asks_target_groups: bool = False
    order: int = 50


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


def _in(field: str, dialogue_ids: Collection[int] | None) -> Q:
    return Q() if dialogue_ids is None else Q(**{f"{field}__in": list(dialogue_ids)})


# --- The sources of the process apps --------------------------------------------------------


def meeting_registrations(dialogue_ids: Collection[int] | None) -> Counts:
    """Meeting registrations (not cancelled, the waiting list included), one per e-mail
    address: the registration form asks only which of the dialogue's target groups one
    belongs to."""
    rows = (
        Registration.objects.filter(_in("meeting__dialogue", dialogue_ids))
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("email", "target_group__code")
    )
    groups: dict[str, set[str]] = {}
    for email, code in rows:
        groups.setdefault(email.casefold(), set()).update([code] if code else [])
    return Counter(Background(target_groups=tuple(sorted(g))) for g in groups.values())


def survey_respondents(dialogue_ids: Collection[int] | None) -> Counts:
    """Submitted survey answers. Answers are anonymous and never joined to the person, so an
    answer is a respondent (surveys with one answer per person see to that)."""
    rows = (
        Response.objects.filter(
            _in("survey__dialogue", dialogue_ids), status=ResponseStatus.SUBMITTED
        )
        .values_list("area_id", "age_band", "target_groups")
        .order_by()
    )
    counts: Counts = Counter()
    for area_id, age_band, groups in rows:
        chosen = tuple(sorted({str(g) for g in groups or [] if g}))
        counts[Background(area_id, age_band or None, chosen)] += 1
    return counts


def consultation_respondents(dialogue_ids: Collection[int] | None) -> Counts:
    """Choices in consultations: one per person and consultation (the keyed hash differs
    between consultations, so one person in two consultations counts twice)."""
    rows = (
        Choice.objects.filter(_in("consultation__dialogue", dialogue_ids))
        .order_by()
        .values_list("area_id", "age_band")
        .annotate(n=Count("id"))
    )
    return Counter({Background(area_id, age_band or None): n for area_id, age_band, n in rows})


def forum_posters(dialogue_ids: Collection[int] | None) -> Counts:
    """Citizens who wrote in the dialogue's forums, once each (posts with a staff or elected
    badge are the officials' answers, not participation). The forum asks no background."""
    people = (
        Post.objects.filter(_in("thread__forum__dialogue", dialogue_ids), badge_kind="")
        .order_by()
        .values("author_id")
        .distinct()
        .count()
    )
    return Counter({Background(): people}) if people else Counter()


def map_contributors(dialogue_ids: Collection[int] | None) -> Counts:
    """Those who marked places on the dialogue's maps, once each, with the age band they last
    gave (the map asks only that)."""
    rows = (
        Point.objects.filter(_in("map__dialogue", dialogue_ids))
        .order_by("author_id", "pk")
        .values_list("author_id", "age_band")
    )
    band: dict[int, str] = {}
    for author_id, age_band in rows:
        if age_band or author_id not in band:
            band[author_id] = age_band
    return Counter(Background(age_band=b or None) for b in band.values())


def budget_voters(dialogue_ids: Collection[int] | None) -> Counts:
    """Voters in the dialogue's budget rounds: the has-voted marks (one per person and
    round), with the age band a voter chose to give. The ballot says nothing of the voter."""
    rows = (
        VoteMark.objects.filter(_in("round__dialogue", dialogue_ids))
        .order_by()
        .values_list("age_band")
        .annotate(n=Count("pk"))
    )
    return Counter({Background(age_band=band or None): n for band, n in rows})


def register_process_sources() -> None:
    """Called from InsightConfig.ready()."""
    for source in (
        Source(
            "meetings",
            _("Anmälda till möten"),
            meeting_registrations,
            asks_target_groups=True,
            order=10,
        ),
        Source(
            "surveys",
            _("Svar på enkäter"),
            survey_respondents,
            asks_area=True,
            asks_age_band=True,
            asks_target_groups=True,
            order=20,
        ),
        Source(
            "consultations",
            _("Deltagare i samråd"),
            consultation_respondents,
            asks_area=True,
            asks_age_band=True,
            order=30,
        ),
        Source("forum", _("Skribenter i forum"), forum_posters, order=40),
        Source("maps", _("Bidrag på kartor"), map_contributors, asks_age_band=True, order=50),
        Source(
            "budget", _("Röstande i medborgarbudget"), budget_voters, asks_age_band=True, order=60
        ),
    ):
        register(source)
