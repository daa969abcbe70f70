"""Voting in a citizen budget: the ballot (a form, then a confirmation page with the total,
then the vote), the page after it, and staff registering a vote for a citizen without e-ID.

Each vote needs its own fresh e-ID step (BankID: no "ID-växling"), so these pages are never
cached and never trust a password log-in. Nothing here logs or shows who voted for what."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.types import Actor
from torget.budget import selectors, voting
from torget.budget.models import (
    BudgetRound,
    Channel,
    Idea,
    Phase,
    ResidenceRule,
    VotingRule,
)
from torget.budget.permissions import can_assist
from torget.budget.vote_forms import RANK_PREFIX, AssistedVoteForm, BallotForm, ConfirmForm
from torget.core.forms import apply_service_errors
from torget.identity.models import Verification
from torget.identity.selectors import fresh_verification

# The phases from which a round's number of voters is shown.
_COUNTED_PHASES = frozenset(
    {Phase.VOTING, Phase.COUNTING, Phase.RESULT, Phase.DECIDED, Phase.FINISHED}
)


# --- The round pages' voting sections ---------------------------------------------------------


def _who_may_vote(round: BudgetRound) -> list[str]:
    """The round's rules about the voter, in words."""
    rules = []
    if round.min_age:
        rules.append(_("Du har fyllt %(age)d år.") % {"age": round.min_age})
    if round.residence == ResidenceRule.MUNICIPALITY:
        rules.append(_("Du är folkbokförd i kommunen."))
    elif round.residence == ResidenceRule.AREA:
        areas = ", ".join(area.name for area in round.areas.all())
        rules.append(
            _("Du bor i området (%(areas)s) och intygar det när du röstar.")
            % {"areas": areas or _("omgångens område")}
        )
    return rules


def _rule_text(round: BudgetRound) -> str:
    count = round.votes_per_ballot
    if round.voting_rule == VotingRule.FIXED:
        return _("Du väljer exakt %(count)d projekt.") % {"count": count}
    if round.voting_rule == VotingRule.APPROVAL:
        return _("Du väljer upp till %(count)d projekt.") % {"count": count}
    if round.voting_rule == VotingRule.RANKING:
        if count:
            return _("Du rangordnar upp till %(count)d projekt: 1 är det du helst vill se.") % {
                "count": count
            }
        return _("Du rangordnar de projekt du vill: 1 är det du helst vill se.")
    return _("Du väljer de projekt du vill, så länge de tillsammans ryms inom %(amount)s.") % {
        "amount": voting.kronor(round.amount)
    }


def round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html)."""
    if round.phase not in _COUNTED_PHASES:
        return {}
    return {
        "voting": {
            "open": round.takes_votes(),
            "voter_count": voting.voter_count(round),
            "who_may_vote": _who_may_vote(round),
            "rule_text": _rule_text(round),
            "ballot_url": reverse("budget:ballot", args=[round.pk]),
        }
    }


def staff_round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    if round.phase not in _COUNTED_PHASES:
        return {}
    return {
        "voting_staff": {
            "open": round.takes_votes(),
            "voter_count": voting.voter_count(round),
            "assisted_count": round.vote_marks.filter(channel=Channel.ASSISTED).count(),
            "can_assist": can_assist(request.user, round) and round.takes_votes(),
            "assisted_url": reverse("budget:staff_assisted", args=[round.pk]),
        }
    }


# --- The ballot -------------------------------------------------------------------------------


def _identify_url(round: BudgetRound) -> str:
    next_url = reverse("budget:ballot", args=[round.pk])
    return reverse("identity:choose") + "?" + urlencode({"next": next_url})


def _projects(round: BudgetRound) -> list[Idea]:
    return list(selectors.projects_of(round))


def _initial(
    round: BudgetRound, numbers: list[int], lives_in_area: bool, age_band: str = ""
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "projects": numbers,
        "lives_in_area": lives_in_area,
        "age_band": age_band,
    }
    if round.voting_rule == VotingRule.RANKING:
        for place, number in enumerate(numbers, start=1):
            initial[f"{RANK_PREFIX}{number}"] = place
    return initial


def _as_ballot_data(
    round: BudgetRound, numbers: list[int], lives_in_area: bool, age_band: str = ""
) -> QueryDict:
    """Choices carried back from the confirmation page, as the ballot form would post them."""
    data = QueryDict(mutable=True)
    if round.voting_rule == VotingRule.RANKING:
        for place, number in enumerate(numbers, start=1):
            data[f"{RANK_PREFIX}{number}"] = str(place)
    else:
        data.setlist("projects", [str(number) for number in numbers])
    if lives_in_area:
        data["lives_in_area"] = "on"
    data["age_band"] = age_band
    return data


def _page(
    request: HttpRequest,
    round: BudgetRound,
    *,
    verification: Verification | None,
    form: BallotForm | None = None,
    ideas: list[Idea] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The ballot page in whichever state applies: closed, identify first, refused, or the
    ballot itself."""
    context: dict[str, Any] = {
        "round": round,
        "closed": not round.takes_votes(),
        "verification": verification,
        "identify_url": _identify_url(round),
        "fresh_minutes": settings.IDENTITY_FRESH_SECONDS // 60,
        "who_may_vote": _who_may_vote(round),
        "rule_text": _rule_text(round),
        "amount": voting.kronor(round.amount),
        "knapsack": round.voting_rule == VotingRule.KNAPSACK,
    }
    if verification is not None and not context["closed"]:
        refusal = voting.eligibility_refusal(round, verification, lives_in_area=True)
        context["refusal"] = refusal
        if not refusal:
            ideas = ideas if ideas is not None else _projects(round)
            current = voting.current_ballot(round, verification.person_key)
            if form is None:
                initial = _initial(round, list(current.choices), True) if current else {}
                form = BallotForm(round=round, ideas=ideas, initial=initial)
            context.update(
                {
                    "form": form,
                    "has_voted": current is not None,
                    "projects": [
                        {"idea": idea, "cost": voting.kronor(idea.cost or 0)} for idea in ideas
                    ],
                }
            )
    return render(request, "budget/ballot.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    verification = fresh_verification(request)
    if request.method == "GET" or verification is None or not round.takes_votes():
        return _page(request, round, verification=verification)
    if voting.eligibility_refusal(round, verification, lives_in_area=True):
        return _page(request, round, verification=verification)
    ideas = _projects(round)
    if "change" in request.POST:
        # Back from the confirmation page: the same choices, to change.
        carried = ConfirmForm(request.POST, ideas=ideas)
        numbers = carried.cleaned_data["choices"] if carried.is_valid() else []
        lives = bool(carried.is_valid() and carried.cleaned_data["lives_in_area"])
        band = carried.cleaned_data["age_band"] if carried.is_valid() else ""
        form = BallotForm(round=round, ideas=ideas, initial=_initial(round, numbers, lives, band))
        return _page(request, round, verification=verification, form=form, ideas=ideas)
    form = BallotForm(request.POST, round=round, ideas=ideas)
    if not form.is_valid():
        return _page(request, round, verification=verification, form=form, ideas=ideas)
    return _confirmation(request, round, form)


def _confirmation(request: HttpRequest, round: BudgetRound, form: BallotForm) -> HttpResponse:
    total = form.projects_total
    confirm_form = ConfirmForm(
        initial={
            "choices": [idea.number for idea in form.chosen],
            "lives_in_area": bool(form.cleaned_data.get("lives_in_area")),
            "age_band": form.cleaned_data.get("age_band") or "",
        },
        ideas=form.chosen,
    )
    return render(
        request,
        "budget/ballot_confirm.html",
        {
            "round": round,
            "chosen": [
                {"idea": idea, "cost": voting.kronor(idea.cost or 0)} for idea in form.chosen
            ],
            "ranked": round.voting_rule == VotingRule.RANKING,
            "knapsack": round.voting_rule == VotingRule.KNAPSACK,
            "total": voting.kronor(total),
            "amount": voting.kronor(round.amount),
            "left": voting.kronor(max(round.amount - total, 0)),
            "confirm_form": confirm_form,
        },
    )


@never_cache
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    verification = fresh_verification(request)
    if verification is None:
        # The e-ID step expired between the ballot and the button: do it again.
        messages.info(request, _("Legitimera dig igen för att rösta."))
        return redirect(_identify_url(round))
    ideas = _projects(round)
    carried = ConfirmForm(request.POST, ideas=ideas)
    if not carried.is_valid():
        messages.error(request, _("Valsedeln kom inte fram hel. Gör dina val igen."))
        return redirect("budget:ballot", pk=round.pk)
    numbers = carried.cleaned_data["choices"]
    lives = bool(carried.cleaned_data["lives_in_area"])
    band = carried.cleaned_data["age_band"] or ""
    changed = voting.has_voted(round, verification.person_key)
    try:
        voting.vote_cast(
            round=round,
            verification=verification,
            choices=numbers,
            lives_in_area=lives,
            age_band=band,
        )
    except ValidationError as error:
        if not round.takes_votes():
            messages.error(request, error.messages[0])
            return redirect("budget:ballot", pk=round.pk)
        # Show the ballot again with the choices kept and the reason in the error summary.
        form = BallotForm(_as_ballot_data(round, numbers, lives, band), round=round, ideas=ideas)
        if form.is_valid():
            form.add_error(None, error.messages[0])
        return _page(request, round, verification=verification, form=form, ideas=ideas)
    if changed:
        messages.success(request, _("Din röst är ändrad. Det är den nya valsedeln som räknas."))
    else:
        messages.success(request, _("Tack! Din röst är registrerad."))
    return redirect("budget:ballot_done", pk=round.pk)


@never_cache
@require_GET
def done(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    return render(
        request,
        "budget/ballot_done.html",
        {"round": round, "open": round.takes_votes()},
    )


# --- Staff: a vote for a citizen without e-ID -------------------------------------------------


def _access_for_assist(user: Actor, pk: int) -> BudgetRound:
    round = get_object_or_404(BudgetRound.objects.select_related("dialogue"), pk=pk)
    if not can_assist(user, round):
        raise PermissionDenied
    return round


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assisted(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round = _access_for_assist(user, pk)
    ideas = _projects(round)
    form = AssistedVoteForm(request.POST or None, round=round, ideas=ideas)
    if request.method == "POST" and round.takes_votes() and form.is_valid():
        try:
            voting.assisted_vote(
                round=round,
                actor=user,
                pin=form.cleaned_data["pin"],
                evidence=form.evidence_text(),
                choices=form.choice_numbers(),
                lives_in_area=bool(form.cleaned_data.get("lives_in_area")),
                age_band=form.cleaned_data.get("age_band") or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            count = voting.voter_count(round)
            messages.success(
                request,
                ngettext(
                    "Rösten är registrerad. %(count)d person har röstat hittills.",
                    "Rösten är registrerad. %(count)d personer har röstat hittills.",
                    count,
                )
                % {"count": count},
            )
            # Back to an empty form: the next caller may be waiting.
            return redirect("budget:staff_assisted", pk=round.pk)
    return render(
        request,
        "budget/staff/assisted.html",
        {
            "round": round,
            "form": form,
            "open": round.takes_votes(),
            "rule_text": _rule_text(round),
            "who_may_vote": _who_may_vote(round),
            "amount": voting.kronor(round.amount),
            "knapsack": round.voting_rule == VotingRule.KNAPSACK,
            "projects": [{"idea": idea, "cost": voting.kronor(idea.cost or 0)} for idea in ideas],
            "voter_count": voting.voter_count(round),
        },
    )
