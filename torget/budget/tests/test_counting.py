"""Counting: the greedy rule and the Method of Equal Shares, each checked against pabutools
called directly on the same instance, the published tie-break, the reasons, and the round's
ballots as the database holds them."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools.election import (
    ApprovalMultiProfile,
    Cardinality_Sat,
    Cost_Sat,
    FrozenApprovalBallot,
    Instance,
    Project,
)
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.tiebreaking import TieBreakingRule

from torget.budget import counting
from torget.budget.counting import Candidate, compute
from torget.budget.models import (
    Ballot,
    Channel,
    CountingMethod,
    IdeaStatus,
    Phase,
    VoteMark,
    VotingRule,
)
from torget.budget.tests.factories import budget_round, idea, project

GREEDY = CountingMethod.GREEDY
MES = CountingMethod.EQUAL_SHARES


def _oracle(candidates, ballots, budget, method):
    """pabutools on its own: the same instance, the cost satisfaction and the published
    tie-break (more votes, lower cost, lower number), without anything of ours."""
    voted = {n for choices in ballots for n in choices}
    projects = {c.number: Project(str(c.number), c.cost) for c in candidates if c.number in voted}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalMultiProfile(instance=instance)
    votes = Counter()
    for choices, n in ballots.items():
        if choices:
            profile[FrozenApprovalBallot([projects[c] for c in choices])] = n
            for c in choices:
                votes[c] += n
    cost = {c.number: c.cost for c in candidates}
    tie = TieBreakingRule(lambda i, p, proj: (-votes[int(proj.name)], proj.cost, int(proj.name)))
    if not profile:
        return set()
    if method == GREEDY:
        outcome = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, tie_breaking=tie
        )
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {"sat_class": Cost_Sat, "tie_breaking": tie},
                {"sat_class": Cost_Sat, "tie_breaking": tie},
            ],
        )
    assert sum(cost[int(p.name)] for p in outcome) <= budget
    return {int(p.name) for p in outcome}


def _row(result, number):
    return next(row for row in result["projects"] if row["number"] == number)


class TestGreedy:
    def test_takes_projects_by_votes_and_skips_what_no_longer_fits(self):
        candidates = [
            Candidate(1, "Utegym", 60),
            Candidate(2, "Bänkar", 50),
            Candidate(3, "Lampor", 30),
        ]
        ballots = Counter({(1, 2): 2, (1,): 3, (2, 3): 2, (3,): 1})
        result = compute(candidates, ballots, 100, method=GREEDY)
        assert result["funded"] == [1, 3]
        assert _row(result, 2)["reason"] == {"code": counting.NO_ROOM, "left": 40}
        assert _row(result, 2)["reason_text"] == "Fick inte plats: 40 kr kvar när det var dess tur."
        assert _row(result, 1)["reason_text"] == "Fick pengar."
        assert (result["spent"], result["left"], result["ballots"]) == (90, 10, 8)
        assert _oracle(candidates, ballots, 100, GREEDY) == {1, 3}

    def test_orders_by_votes_not_by_votes_per_krona(self):
        # pabutools' additive greedy orders by satisfaction / cost: with the cost satisfaction
        # that is the number of votes, so the dear project with more votes goes first; with the
        # cardinality satisfaction (votes per krona) the cheap one would.
        candidates = [Candidate(1, "Dyr", 100), Candidate(2, "Billig", 10)]
        ballots = Counter({(1,): 3, (2,): 2})
        result = compute(candidates, ballots, 100, method=GREEDY)
        assert result["funded"] == [1]
        assert _row(result, 2)["reason"] == {"code": counting.NO_ROOM, "left": 0}
        instance = Instance([Project("1", 100), Project("2", 10)], budget_limit=100)
        profile = ApprovalMultiProfile(instance=instance)
        profile[FrozenApprovalBallot([instance.get_project("1")])] = 3
        profile[FrozenApprovalBallot([instance.get_project("2")])] = 2
        per_krona = greedy_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
        assert {p.name for p in per_krona} == {"2"}

    def test_a_project_nobody_voted_for_gets_nothing_even_with_money_left(self):
        candidates = [Candidate(1, "A", 10), Candidate(2, "B", 10)]
        result = compute(candidates, Counter({(1,): 1}), 100, method=GREEDY)
        assert result["funded"] == [1]
        assert _row(result, 2)["reason"] == {"code": counting.NO_VOTES}
        assert _row(result, 2)["reason_text"] == "Fick inga röster."

    @pytest.mark.parametrize("method", [GREEDY, MES])
    def test_a_project_that_costs_nothing_is_funded_if_voted_for(self, method):
        candidates = [Candidate(1, "Gratis", 0), Candidate(2, "Bänkar", 100)]
        result = compute(candidates, Counter({(1,): 1, (2,): 5}), 100, method=method)
        assert set(result["funded"]) == {1, 2} and result["spent"] == 100

    def test_no_ballots_funds_nothing(self):
        result = compute([Candidate(1, "A", 10)], Counter(), 100, method=MES)
        assert result["funded"] == [] and result["spent"] == 0 and result["ballots"] == 0


class TestTieBreak:
    @pytest.mark.parametrize("method", [GREEDY, MES])
    def test_equal_votes_the_cheaper_goes_first(self, method):
        candidates = [Candidate(1, "Dyrare", 80), Candidate(2, "Billigare", 70)]
        ballots = Counter({(1,): 5, (2,): 5})
        result = compute(candidates, ballots, 100, method=method)
        assert result["funded"] == [2]
        assert [row["number"] for row in result["projects"]] == [2, 1]

    @pytest.mark.parametrize("method", [GREEDY, MES])
    def test_equal_votes_and_cost_the_lower_number_goes_first(self, method):
        for order in (
            [Candidate(7, "Sju", 60), Candidate(3, "Tre", 60)],
            [Candidate(3, "Tre", 60), Candidate(7, "Sju", 60)],
        ):
            for ballots in (Counter({(7,): 4, (3,): 4}), Counter({(3,): 4, (7,): 4})):
                assert compute(order, ballots, 100, method=method)["funded"] == [3]

    def test_the_rule_is_published_in_the_result(self):
        result = compute([Candidate(1, "A", 10)], Counter({(1,): 1}), 100, method=GREEDY)
        assert "kostar minst" in result["tie_break"] and "lägst idénummer" in result["tie_break"]


class TestEqualShares:
    def test_differs_from_greedy_where_a_minority_is_left_out(self):
        # 60 voters want A and B, 40 want C; the budget fits two. Greedy gives the majority
        # everything; with equal shares the 40 can pay for C with their shares (Peters &
        # Skowron's proportionality), and the 60 for one of theirs.
        candidates = [Candidate(1, "A", 50), Candidate(2, "B", 50), Candidate(3, "C", 40)]
        ballots = Counter({(1, 2): 60, (3,): 40})
        greedy = compute(candidates, ballots, 100, method=GREEDY)
        mes = compute(candidates, ballots, 100, method=MES)
        assert set(greedy["funded"]) == {1, 2} == _oracle(candidates, ballots, 100, GREEDY)
        assert set(mes["funded"]) == {1, 3} == _oracle(candidates, ballots, 100, MES)
        assert mes["share"] == 1
        assert _row(mes, 1)["reason"] == {"code": counting.FUNDED_EQUAL_SHARES}
        reason = _row(mes, 2)["reason"]
        assert reason["code"] == counting.SHARES_SHORT and reason["held"] == 60
        assert _row(mes, 2)["reason_text"].startswith("Rösterna räckte inte för dess kostnad")
        assert _row(greedy, 3)["reason"] == {"code": counting.NO_ROOM, "left": 0}

    def test_the_remainder_is_filled_by_votes(self):
        # Nobody can pay for the dear project with their shares; the completion funds it.
        candidates = [Candidate(1, "Dyr", 90), Candidate(2, "Liten", 10)]
        ballots = Counter({(1,): 3, (2,): 7})
        mes = compute(candidates, ballots, 100, method=MES)
        assert set(mes["funded"]) == _oracle(candidates, ballots, 100, MES) == {1, 2}
        assert _row(mes, 2)["reason"]["code"] == counting.FUNDED_EQUAL_SHARES
        assert _row(mes, 1)["reason"] == {"code": counting.FUNDED_COMPLETION, "left": 90}


class TestRanking:
    def test_points_by_position_decide(self):
        # Three per ballot: first 3 points, second 2, third 1.
        candidates = [Candidate(1, "A", 50), Candidate(2, "B", 50), Candidate(3, "C", 50)]
        ballots = Counter({(1, 2, 3): 2, (3, 2, 1): 1, (2, 3, 1): 1})
        result = compute(candidates, ballots, 100, method=GREEDY, ranking=True, top=3)
        assert {_row(result, n)["points"] for n in (1, 2, 3)} == {8, 9, 7}
        assert _row(result, 2)["points"] == 9 and _row(result, 1)["points"] == 8
        assert result["funded"] == [2, 1]
        assert "förstahandsvalet ger 3 poäng" in result["rule"]

    def test_equal_shares_on_rankings(self):
        candidates = [Candidate(1, "A", 50), Candidate(2, "B", 50), Candidate(3, "C", 40)]
        ballots = Counter({(1, 2): 60, (3,): 40})
        result = compute(candidates, ballots, 100, method=MES, ranking=True, top=2)
        assert result["spent"] <= 100
        assert 3 in result["funded"]


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    raw=st.lists(st.sets(st.integers(min_value=1, max_value=6), max_size=4), max_size=25),
    budget=st.integers(min_value=1, max_value=150),
    method=st.sampled_from([GREEDY, MES]),
)
def test_random_profiles_stay_within_budget_agree_with_pabutools_and_are_stable(
    costs, raw, budget, method
):
    candidates = [Candidate(i, f"P{i}", cost) for i, cost in enumerate(costs, start=1)]
    ballots = Counter(tuple(sorted(n for n in choice if n <= len(costs))) for choice in raw)
    first = compute(candidates, ballots, budget, method=method)
    second = compute(
        list(reversed(candidates)), Counter(dict(reversed(ballots.items()))), budget, method=method
    )
    assert first == second
    assert first["spent"] <= budget
    assert first["spent"] == sum(c.cost for c in candidates if c.number in first["funded"])
    assert set(first["funded"]) == _oracle(candidates, ballots, budget, method)
    for row in first["projects"]:
        assert row["funded"] == (
            row["reason"]["code"]
            in (counting.FUNDED, counting.FUNDED_EQUAL_SHARES, counting.FUNDED_COMPLETION)
        )
        assert row["reason_text"]


@pytest.mark.django_db
class TestCountRound:
    def test_counts_the_current_ballots_of_the_projects_on_the_ballot(self):
        round = budget_round(phase=Phase.COUNTING, amount=100)
        project(round, 60, title="Utegym")
        project(round, 50)
        idea(round, status=IdeaStatus.NOT_FEASIBLE, status_reason="Nej.")
        Ballot.objects.create(round=round, chain="a" * 64, choices=[1], superseded=True)
        Ballot.objects.create(round=round, chain="a" * 64, choices=[2])
        Ballot.objects.create(round=round, chain="b" * 64, choices=[2, 3])
        VoteMark.objects.create(round=round, person_key="b" * 64, channel=Channel.ASSISTED)
        VoteMark.objects.create(round=round, person_key="c" * 64)
        Ballot.objects.create(round=round, chain="c" * 64, choices=[1, 2])
        result = counting.count(round)
        assert result["ballots"] == 3 and result["assisted"] == 1
        assert [row["number"] for row in result["projects"]] == [2, 1]
        assert _row(result, 2)["votes"] == 3 and _row(result, 1)["votes"] == 1
        assert result["funded"] == [2] and result["method"] == GREEDY
        assert _row(result, 1)["title"] == "Utegym"

    def test_a_ranking_round_counts_points_per_its_votes_per_ballot(self):
        round = budget_round(
            phase=Phase.COUNTING,
            amount=100,
            voting_rule=VotingRule.RANKING,
            votes_per_ballot=2,
            counting_method=MES,
        )
        project(round, 50)
        project(round, 50)
        Ballot.objects.create(round=round, chain="a" * 64, choices=[2, 1])
        result = counting.count(round)
        assert result["ranking"] and result["points_top"] == 2
        assert _row(result, 2)["points"] == 2 and _row(result, 1)["points"] == 1
        assert result["method"] == MES


@pytest.mark.parametrize("ranking", [False, True])
def test_the_precomputed_totals_equal_pabutools_satisfaction_profile(ranking):
    candidates = [Candidate(n, f"P{n}", 10 * n) for n in range(1, 6)]
    ballots = Counter({(1, 2, 3): 4, (3, 1): 2, (5,): 7, (2, 5, 4, 1): 1})
    top = 4
    votes, points = counting.tally(candidates, ballots, ranking=ranking, top=top)
    instance, profile, by_name = counting.build(candidates, ballots, 100, ranking=ranking)
    sat_class = counting.points_sat_class(top) if ranking else Cost_Sat
    theirs = profile.as_sat_profile(sat_class)
    ours = counting.ProjectTotals(points, by_name)
    for item in instance:
        assert ours.total_satisfaction_project(item) == theirs.total_satisfaction_project(item)
    assert points[1] == (4 * 4 + 2 * 3 + 1 if ranking else 7)
