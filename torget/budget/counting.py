"""Counting a citizen budget's votes by the round's published rule (DOMAIN §5), with pabutools
doing the arithmetic, and saying for every project why it did or did not get money.

Two counting methods:

- The greedy rule (girig regel): projects in order of votes, each funded if it still fits in
  what is left of the budget, skipped if not. pabutools' additive greedy orders by total
  satisfaction divided by cost; with the cost satisfaction (a voter's satisfaction with a
  project is its cost if they voted for it) that quotient is the number of votes, so it is
  exactly "by number of votes".
- The Method of Equal Shares (Peters & Skowron; equalshares.net): the budget is split equally
  between the voters; a project is funded when those who voted for it can pay for it together
  from their shares, the cheapest per voter first; what is left when no project can be paid
  that way is filled by the greedy rule ("completion"), as pabutools'
  `completion_by_rule_combination` does.

Ranking ballots are counted with positional points: with k votes per ballot, the first choice
gives k points, the second k − 1, and so on (a Borda count); the points take the place of the
votes in both methods (the satisfaction is points × cost, so the greedy quotient is the points).

Ties are broken by one published rule, the same in both methods: more votes (points) first,
then the lower cost, then the lower idea number. A project nobody voted for is never funded.

The result is a plain dict (stored in `BudgetRound.result` when published): the reasons are
codes with numbers, so the page can show them in the reader's language; the texts in the dict
are in Swedish, the language of the record. Counting the same ballots again gives the same
dict, which is what `budget_recount` checks.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalMultiProfile,
    Cost_Sat,
    FrozenApprovalBallot,
    FrozenOrdinalBallot,
    Instance,
    OrdinalMultiProfile,
    Project,
)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from torget.budget import selectors
from torget.budget.models import (
    Ballot,
    BudgetRound,
    Channel,
    CountingMethod,
    VoteMark,
    VotingRule,
)

RESULT_VERSION = 1

# Reason codes (see `reason_text`).
FUNDED = "fick-pengar"
FUNDED_EQUAL_SHARES = "lika-andelar"
FUNDED_COMPLETION = "komplettering"
NO_ROOM = "fick-inte-plats"
SHARES_SHORT = "andelarna-racker-inte"
NO_VOTES = "inga-roster"


@dataclass(frozen=True)
class Candidate:
    """A project on the ballot, as counting sees it."""

    number: int
    title: str
    cost: int


def tie_break_text() -> str:
    return _(
        "Om två projekt har lika många röster går det som kostar minst först, och om de "
        "kostar lika mycket det med lägst idénummer."
    )


def rule_text(method: str, ranking: bool, points_top: int = 0) -> str:
    if method == CountingMethod.EQUAL_SHARES:
        text = _(
            "Metoden med lika andelar: budgeten delas lika mellan alla som röstade. Ett "
            "projekt får pengar när de som röstade på det tillsammans kan betala det med sina "
            "andelar; det projekt som kostar minst per röst väljs först. När inget mer projekt "
            "kan betalas så fördelas det som är kvar efter flest röster, så länge projekten "
            "får plats."
        )
    else:
        text = _(
            "Flest röster först: projekten tas i ordning efter antal röster. Ett projekt får "
            "pengar om det får plats i det som är kvar av budgeten, annars hoppas det över och "
            "nästa projekt prövas."
        )
    if ranking:
        text += " " + _(
            "Rangordningen räknas som poäng: förstahandsvalet ger %(top)s poäng, nästa ett "
            "mindre och så vidare. Poängen räknas som röster."
        ) % {"top": points_top}
    text += " " + _("Ett projekt som ingen röstade på får inga pengar.")
    return text


def reason_text(row: Mapping[str, Any]) -> str:
    """The project's reason, in the reader's language."""
    reason = row.get("reason") or {}
    code = reason.get("code")
    if code == FUNDED:
        return _("Fick pengar.")
    if code == FUNDED_EQUAL_SHARES:
        return _("Fick pengar: de som röstade på projektet kunde betala det med sina lika andelar.")
    if code == FUNDED_COMPLETION:
        return _(
            "Fick pengar när det som var kvar fördelades efter flest röster: %(left)s kr kvar "
            "när det var dess tur."
        ) % {"left": kronor(reason.get("left", 0))}
    if code == NO_VOTES:
        return _("Fick inga röster.")
    if code == NO_ROOM:
        return _("Fick inte plats: %(left)s kr kvar när det var dess tur.") % {
            "left": kronor(reason.get("left", 0))
        }
    if code == SHARES_SHORT:
        text = _(
            "Rösterna räckte inte för dess kostnad: de som röstade på det hade inte tillräckligt "
            "kvar av sina lika andelar (från början hade de tillsammans %(held)s kr)."
        ) % {"held": kronor(reason.get("held", 0))}
        if "left" in reason:
            text += " " + _("Det fick inte heller plats i det som var kvar: %(left)s kr.") % {
                "left": kronor(reason["left"])
            }
        return text
    return ""


def kronor(amount: int) -> str:
    # Swedish grouping with a narrow no-break space: 120 000.
    return f"{int(amount):,}".replace(",", "\u202f")


def _rank_key(points: Mapping[int, int], candidate: Candidate) -> tuple[int, int, int]:
    """The published order: more votes (points), lower cost, lower idea number."""
    return (-points.get(candidate.number, 0), candidate.cost, candidate.number)


class PointsCostSat(AdditiveSatisfaction):  # type: ignore[misc]
    """A voter's satisfaction with a project on a ranking ballot: its positional points × its
    cost, so that the greedy quotient (satisfaction / cost) is the points, as the cost
    satisfaction's is the votes for approval ballots."""

    top = 0

    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        super().__init__(instance, profile, ballot, self._points_cost)

    def _points_cost(
        self, instance: Any, profile: Any, ballot: Any, project: Any, precomputed: Any
    ) -> int:
        if project not in ballot:
            return 0
        return int(max(self.top - ballot.position(project), 0) * project.cost)


def points_sat_class(top: int) -> type[PointsCostSat]:
    return type("PointsCostSat", (PointsCostSat,), {"top": top})


class ProjectTotals:
    """The group satisfaction pabutools' additive greedy asks for, precomputed from the tally:
    a project's total satisfaction is its votes (points) × its cost, the same number the cost
    satisfaction (or `PointsCostSat`) sums over the ballots, without building an object per
    ballot, which takes seconds at 100,000 ballots (the tests check it against pabutools'
    own satisfaction profile)."""

    def __init__(self, points: Mapping[int, int], by_name: Mapping[str, Candidate]) -> None:
        self.points = points
        self.by_name = by_name

    def total_satisfaction_project(self, project: Any) -> int:
        return self.points.get(self.by_name[project.name].number, 0) * int(project.cost)


def _tie_breaking(points: Mapping[int, int], numbers: Mapping[str, Candidate]) -> Any:
    return TieBreakingRule(
        lambda instance, profile, project: _rank_key(points, numbers[project.name])
    )


def build(
    candidates: Sequence[Candidate],
    ballots: Mapping[tuple[int, ...], int],
    budget: int,
    *,
    ranking: bool,
    ballots_needed: bool = True,
) -> tuple[Any, Any, dict[str, Candidate]]:
    """pabutools' instance and multiprofile (identical ballots counted once, with their
    number) for the projects that got at least one vote. The greedy rule reads the totals
    only (`ProjectTotals`), so its profile may stay empty (`ballots_needed=False`)."""
    voted = {number for choices in ballots for number in choices}
    by_name = {str(c.number): c for c in candidates if c.number in voted}
    projects = {name: Project(name, c.cost) for name, c in by_name.items()}
    instance = Instance(projects.values(), budget_limit=budget)
    profile: Any
    if ranking:
        profile = OrdinalMultiProfile(instance=instance)
        for choices, n in ballots.items() if ballots_needed else ():
            picked = [projects[str(number)] for number in choices if str(number) in projects]
            if picked:
                profile[FrozenOrdinalBallot(picked)] = (
                    profile.get(FrozenOrdinalBallot(picked), 0) + n
                )
    else:
        profile = ApprovalMultiProfile(instance=instance)
        for choices, n in ballots.items() if ballots_needed else ():
            picked = [projects[str(number)] for number in choices if str(number) in projects]
            if picked:
                ballot = FrozenApprovalBallot(picked)
                profile[ballot] = profile.get(ballot, 0) + n
    return instance, profile, by_name


def tally(
    candidates: Sequence[Candidate],
    ballots: Mapping[tuple[int, ...], int],
    *,
    ranking: bool,
    top: int,
) -> tuple[dict[int, int], dict[int, int]]:
    """Votes (ballots naming the project) and points (= votes, or positional points)."""
    known = {c.number for c in candidates}
    votes: Counter[int] = Counter()
    points: Counter[int] = Counter()
    for choices, n in ballots.items():
        for position, number in enumerate(choices):
            if number not in known:
                continue
            votes[number] += n
            points[number] += n * (max(top - position, 0) if ranking else 1)
    return dict(votes), dict(points)


def normalise(choices: Iterable[Any]) -> tuple[int, ...]:
    """A ballot's choices as idea numbers, each once, in the voter's order."""
    seen: list[int] = []
    for choice in choices:
        try:
            number = int(choice)
        except (TypeError, ValueError):
            continue
        if number not in seen:
            seen.append(number)
    return tuple(seen)


def compute(
    candidates: Sequence[Candidate],
    ballots: Mapping[tuple[int, ...], int],
    budget: int,
    *,
    method: str,
    ranking: bool = False,
    top: int = 0,
) -> dict[str, Any]:
    """Count `ballots` (choices → how many identical ballots) over `candidates`."""
    if ranking and top <= 0:
        top = max([len(choices) for choices in ballots] or [1])
    votes, points = tally(candidates, ballots, ranking=ranking, top=top)
    total_ballots = sum(ballots.values())
    equal_shares = method == CountingMethod.EQUAL_SHARES
    instance, profile, by_name = build(
        candidates, ballots, budget, ranking=ranking, ballots_needed=equal_shares
    )
    sat_class: Any = points_sat_class(top) if ranking else Cost_Sat
    tie = _tie_breaking(points, by_name)
    ordered = sorted(candidates, key=lambda c: _rank_key(points, c))
    reasons: dict[int, dict[str, Any]] = {}
    selected: list[int] = []
    share = Fraction(0)
    if equal_shares and profile.num_ballots():
        sat_profile = profile.as_sat_profile(sat_class)
        mes = method_of_equal_shares(instance, profile, sat_profile=sat_profile, tie_breaking=tie)
        share = Fraction(budget, profile.num_ballots())
        for project in mes:
            number = by_name[project.name].number
            selected.append(number)
            reasons[number] = {"code": FUNDED_EQUAL_SHARES}
        completed = greedy_utilitarian_welfare(
            instance,
            profile,
            sat_profile=ProjectTotals(points, by_name),
            is_sat_additive=True,
            tie_breaking=tie,
            initial_budget_allocation=list(mes),
        )
        completion = {by_name[p.name].number for p in completed} - set(selected)
        left = budget - sum(by_name[p.name].cost for p in mes)
        for candidate in ordered:
            if candidate.number in reasons or candidate.number not in votes:
                continue
            held = math.floor(share * votes[candidate.number])
            if candidate.number in completion:
                reasons[candidate.number] = {"code": FUNDED_COMPLETION, "left": left}
                selected.append(candidate.number)
                left -= candidate.cost
            else:
                reasons[candidate.number] = {"code": SHARES_SHORT, "held": held, "left": left}
        if set(selected) != {by_name[p.name].number for p in completed}:
            raise AssertionError("The completion's replay differs from pabutools' outcome.")
    elif not equal_shares and votes:
        outcome = greedy_utilitarian_welfare(
            instance,
            profile,
            sat_profile=ProjectTotals(points, by_name),
            is_sat_additive=True,
            tie_breaking=tie,
        )
        funded = {by_name[p.name].number for p in outcome}
        left = budget
        for candidate in ordered:
            if candidate.number not in votes:
                continue
            if candidate.number in funded:
                reasons[candidate.number] = {"code": FUNDED}
                selected.append(candidate.number)
                left -= candidate.cost
            else:
                reasons[candidate.number] = {"code": NO_ROOM, "left": left}
        if set(selected) != funded:
            raise AssertionError("The greedy replay differs from pabutools' outcome.")
    spent = sum(c.cost for c in candidates if c.number in selected)
    rows = []
    for rank, candidate in enumerate(ordered, start=1):
        number = candidate.number
        row = {
            "number": number,
            "title": candidate.title,
            "cost": candidate.cost,
            "votes": votes.get(number, 0),
            "points": points.get(number, 0),
            "rank": rank,
            "funded": number in selected,
            "order": selected.index(number) + 1 if number in selected else None,
            "reason": reasons.get(number, {"code": NO_VOTES}),
        }
        row["reason_text"] = reason_text(row)
        rows.append(row)
    return {
        "version": RESULT_VERSION,
        "method": str(method),
        "method_label": str(CountingMethod(method).label),
        "ranking": ranking,
        "points_top": top if ranking else None,
        "rule": rule_text(method, ranking, top),
        "tie_break": tie_break_text(),
        "budget": budget,
        "ballots": total_ballots,
        "share": math.floor(share) if method == CountingMethod.EQUAL_SHARES else None,
        "spent": spent,
        "left": budget - spent,
        "funded": selected,
        "projects": rows,
    }


def ballots_of(
    round: BudgetRound, *, ranking: bool = False
) -> tuple[Counter[tuple[int, ...]], int]:
    """The round's current ballots, identical ones counted once with their number (for
    approval ballots the order of the choices does not matter), and how many were cast with
    the staff's help."""
    ballots: Counter[tuple[int, ...]] = Counter()
    rows = Ballot.objects.filter(round=round, superseded=False).values_list("choices", flat=True)
    for choices in rows.iterator(chunk_size=5000):
        choices = normalise(choices or [])
        ballots[choices if ranking else tuple(sorted(choices))] += 1
    # How a vote was given is on the mark, never on the ballot (see models.VoteMark).
    assisted = VoteMark.objects.filter(round=round, channel=Channel.ASSISTED).count()
    return ballots, assisted


def candidates_of(round: BudgetRound) -> list[Candidate]:
    return [
        Candidate(number=number, title=title, cost=int(cost or 0))
        for number, title, cost in selectors.projects_of(round).values_list(
            "number", "title", "cost"
        )
    ]


def count(round: BudgetRound, method: str | None = None) -> dict[str, Any]:
    """Count the round's current ballots by its counting method (or `method`, for the staff's
    side-by-side preview); the dict is what is stored in `BudgetRound.result` when
    published. Its texts are in Swedish, the language of the record."""
    ranking = round.voting_rule == VotingRule.RANKING
    ballots, assisted = ballots_of(round, ranking=ranking)
    with translation.override("sv"):
        result = compute(
            candidates_of(round),
            ballots,
            int(round.amount),
            method=method or round.counting_method,
            ranking=ranking,
            top=int(round.votes_per_ballot or 0) if ranking else 0,
        )
        result["assisted"] = assisted
        result["voting_rule"] = str(round.voting_rule)
        result["voting_rule_label"] = str(VotingRule(round.voting_rule).label)
    return result


def differences(published: Mapping[str, Any], recounted: Mapping[str, Any]) -> list[str]:
    """Where a recount differs from the published result (empty: identical)."""
    problems = []
    for key in sorted(set(published) | set(recounted)):
        if key == "projects":
            continue
        if published.get(key) != recounted.get(key):
            problems.append(f"{key}: {published.get(key)!r} ≠ {recounted.get(key)!r}")
    before = {row["number"]: row for row in published.get("projects", [])}
    after = {row["number"]: row for row in recounted.get("projects", [])}
    for number in sorted(set(before) | set(after)):
        if before.get(number) != after.get(number):
            problems.append(f"idé {number}: {before.get(number)!r} ≠ {after.get(number)!r}")
    return problems
