"""Reads of citizen budgets: fetching-and-authorising (`access_*`) and the ballot chain.

Each part has its own reads beside its views (idea, voting, result and progress modules);
what every part needs is here."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac

from torget.accounts.types import Actor
from torget.budget.models import PUBLIC_PHASES, BudgetRound, Idea, IdeaStatus
from torget.budget.permissions import can_manage, can_read_staff, can_review, can_view_public
from torget.dialogues.models import Dialogue

CHAIN_SALT = "torget.budget.ballot-chain"


def ballot_chain(round: BudgetRound, person_key: str) -> str:
    """The key that links one person's ballots in one round, and nothing else: an HMAC under a
    secret derived from the server's SECRET_KEY (never stored) over the round, its random salt
    and the person. It shares no value with the has-voted mark (`VoteMark.person_key`), so
    nobody reading the tables can join a ballot to a person."""
    return salted_hmac(
        CHAIN_SALT, f"round:{round.pk}:{round.chain_salt}:{person_key}", algorithm="sha256"
    ).hexdigest()


def _rounds() -> QuerySet[BudgetRound]:
    return BudgetRound.objects.select_related(
        "dialogue", "approved_by_body", "decision_body", "responsible_administration"
    )


def access_public(pk: int) -> BudgetRound:
    """A round as citizens see it: 404 until the presidium has approved it."""
    round = get_object_or_404(_rounds(), pk=pk)
    if not can_view_public(round):
        raise Http404
    return round


def access_idea_public(round_pk: int, number: int) -> Idea:
    round = access_public(round_pk)
    idea = get_object_or_404(Idea.objects.all(), round=round, number=number)
    idea.round = round
    return idea


def access_for_reading(user: Actor, pk: int) -> BudgetRound:
    round = get_object_or_404(_rounds(), pk=pk)
    if not can_read_staff(user, round):
        raise PermissionDenied
    return round


def access_for_work(user: Actor, pk: int) -> BudgetRound:
    round = get_object_or_404(_rounds(), pk=pk)
    if not can_manage(user, round):
        raise PermissionDenied
    return round


def access_for_review(user: Actor, pk: int) -> BudgetRound:
    round = get_object_or_404(_rounds(), pk=pk)
    if not can_review(user, round):
        raise PermissionDenied
    return round


def access_idea_for_review(user: Actor, round_pk: int, number: int) -> Idea:
    round = access_for_review(user, round_pk)
    idea = get_object_or_404(Idea.objects.all(), round=round, number=number)
    idea.round = round
    return idea


def public_rounds() -> QuerySet[BudgetRound]:
    return _rounds().filter(phase__in=PUBLIC_PHASES)


def rounds_of(dialogue: Dialogue) -> QuerySet[BudgetRound]:
    return BudgetRound.objects.filter(dialogue=dialogue).order_by("ideas_open_on", "pk")


def projects_of(round: BudgetRound) -> QuerySet[Idea]:
    """The projects on the ballot: feasible, costed ideas, by number."""
    return round.ideas.filter(status=IdeaStatus.FEASIBLE).order_by("number")
