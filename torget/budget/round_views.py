"""Pages of a budget round: the public list and the round's hub (its set-up in plain words,
its phases, and the parts of the round: ideas, voting, result, projects), the staff list,
the set-up form, the staff hub with the workflow's steps and the audit log, the presidium's
approval; and the rounds' sections on the dialogue's pages. Views parse a form, call one
service and redirect with a message."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.audit.selectors import audit_log_rows
from torget.budget import (
    idea_views,
    progress_views,
    result_views,
    round_forms,
    selectors,
    services,
    vote_views,
)
from torget.budget.models import (
    PUBLIC_PHASES,
    BudgetRound,
    CountingMethod,
    Phase,
    ResidenceRule,
    VotingRule,
)
from torget.budget.permissions import can_manage
from torget.core.forms import apply_service_errors
from torget.core.inputs import parse_id
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.organisation.models import Employment

# What each entry of a round's audit log means on the staff page.
AUDIT_ACTIONS = {
    "budget.created": gettext_lazy("Omgången skapades"),
    "budget.updated": gettext_lazy("Upplägget ändrades"),
    "budget.approve": gettext_lazy("Presidiets godkännande registrerades"),
    "budget.open_ideas": gettext_lazy("Idéer började tas emot"),
    "budget.start_review": gettext_lazy("Idéinlämningen stängdes och granskningen började"),
    "budget.open_voting": gettext_lazy("Omröstningen öppnades"),
    "budget.close_voting": gettext_lazy("Omröstningen stängdes"),
    "budget.publish_result": gettext_lazy("Resultatet publicerades"),
    "budget.record_decision": gettext_lazy("Det politiska beslutet registrerades"),
    "budget.finish": gettext_lazy("Omgången avslutades"),
}

# The steps the staff hub takes itself (staff_step), with what it says when done; the
# presidium's approval has its own form, the result and the decision their own pages.
STEP_DONE = {
    "open_ideas": gettext_lazy("Omgången tar emot idéer nu. Bevakarna får besked."),
    "start_review": gettext_lazy(
        "Idéinlämningen är stängd och granskningen har börjat. Bevakarna får besked."
    ),
    "open_voting": gettext_lazy("Omröstningen är öppen. Bevakarna får besked."),
    "close_voting": gettext_lazy(
        "Omröstningen är stängd. Räkna rösterna och publicera resultatet."
    ),
    "finish": gettext_lazy("Omgången är avslutad. Bevakarna får besked."),
}
DANGER_STEPS = frozenset({"close_voting", "finish"})
ELSEWHERE = {
    "approve": "budget:staff_approve",
    "publish_result": "budget:staff_count",
    "record_decision": "budget:staff_decision",
}


# --- Plain words -------------------------------------------------------------------------------


def kronor(amount: int | None) -> str:
    """An amount as Swedes write it: spaces (non-breaking) between thousands, then "kr"."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def eligibility_text(round: BudgetRound) -> str:
    if round.residence == ResidenceRule.MUNICIPALITY:
        return _("Du får rösta om du har fyllt %(age)s år och är folkbokförd i kommunen.") % {
            "age": round.min_age
        }
    if round.residence == ResidenceRule.AREA:
        return _(
            "Du får rösta om du har fyllt %(age)s år och bor i området. Du intygar det när du "
            "röstar."
        ) % {"age": round.min_age}
    return _("Du får rösta om du har fyllt %(age)s år, var du än bor.") % {"age": round.min_age}


def voting_rule_text(round: BudgetRound) -> str:
    n = round.votes_per_ballot or 0
    if round.voting_rule == VotingRule.FIXED:
        return ngettext(
            "Du har %(n)s röst och ger den till ett projekt.",
            "Du har %(n)s röster och ger en röst var till %(n)s olika projekt.",
            n,
        ) % {"n": n}
    if round.voting_rule == VotingRule.APPROVAL:
        return ngettext(
            "Du röstar på ett projekt.",
            "Du röstar på upp till %(n)s projekt, de du tycker är bra.",
            n,
        ) % {"n": n}
    if round.voting_rule == VotingRule.RANKING:
        return ngettext(
            "Du väljer det projekt du helst vill ha.",
            "Du rangordnar upp till %(n)s projekt: det du helst vill ha först.",
            n,
        ) % {"n": n}
    return _(
        "Du väljer de projekt du vill ha, så länge de tillsammans kostar högst %(amount)s."
    ) % {"amount": kronor(round.amount)}


def counting_text(round: BudgetRound) -> str:
    if round.counting_method == CountingMethod.EQUAL_SHARES:
        return _(
            "Rösterna räknas med metoden med lika andelar: varje väljare får en lika stor del "
            "av pengarna, och ett projekt får pengar när de som röstat på det tillsammans har "
            "råd med det. Så får fler grupper av invånare något de vill ha, inte bara den "
            "största."
        )
    return _(
        "Projektet med flest röster får pengar först, sedan nästa, så länge pengarna räcker. "
        "Ett projekt som inte ryms i det som är kvar hoppas över och nästa prövas."
    )


def timeline(round: BudgetRound) -> list[dict[str, Any]]:
    """Every public phase with its dates, in order, and which is now (the others done or to
    come)."""
    published = round.result_published_at
    rows: list[tuple[str, datetime.date | None, datetime.date | None]] = [
        (Phase.APPROVED, round.approved_on, None),
        (Phase.IDEAS, round.ideas_open_on, round.ideas_close_on),
        (Phase.REVIEW, round.ideas_close_on, round.review_ends_on),
        (Phase.VOTING, round.voting_opens_on, round.voting_closes_on),
        (Phase.COUNTING, round.voting_closes_on, None),
        (Phase.RESULT, timezone.localdate(published) if published else None, None),
        (Phase.DECIDED, round.decided_on, None),
        (Phase.FINISHED, None, None),
    ]
    order = [phase for phase, _start, _end in rows]
    now = order.index(Phase(round.phase)) if round.phase in order else -1
    return [
        {
            "phase": phase,
            "label": Phase(phase).label,
            "starts": starts,
            "ends": ends,
            "state": "now" if i == now else ("done" if i < now else "later"),
        }
        for i, (phase, starts, ends) in enumerate(rows)
    ]


def _facts(round: BudgetRound) -> dict[str, Any]:
    return {
        "round": round,
        "dialogue": round.dialogue,
        "amount": kronor(round.amount),
        "areas": list(round.areas.order_by("name")),
        "eligibility": eligibility_text(round),
        "voting_rule": voting_rule_text(round),
        "counting": counting_text(round),
        "timeline": timeline(round),
    }


# --- Sections on the dialogue's pages ----------------------------------------------------------


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Medborgarbudget" on the dialogue's public page: the rounds the presidium approved.
    The public page is shared by caches, so nothing here depends on who asks."""
    if not dialogue.is_public:
        return ""
    rounds = list(selectors.rounds_of(dialogue).filter(phase__in=PUBLIC_PHASES))
    if not rounds:
        return ""
    return render_to_string(
        "budget/public_section.html",
        {"rounds": [(r, kronor(r.amount)) for r in rounds]},
        request=request,
    )


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Medborgarbudget" on the dialogue's staff page: its rounds, and a new one for those
    who work with a dialogue that may have one."""
    rounds = list(selectors.rounds_of(dialogue))
    may_add = can_work_with(request.user, dialogue) and services.dialogue_refusal(dialogue) is None
    if not rounds and not may_add:
        return ""
    return render_to_string(
        "budget/staff_section.html",
        {"dialogue": dialogue, "rounds": rounds, "may_add": may_add},
        request=request,
    )


# --- Public ------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.public_rounds().order_by("-ideas_open_on", "-pk"))
    return render(
        request,
        "budget/index.html",
        {"rounds": [{"round": r, "amount": kronor(r.amount), "now": phase_now(r)} for r in rounds]},
    )


def phase_now(round: BudgetRound) -> str:
    """One line for a list: the phase, and until when where that is what a citizen needs."""
    label = str(Phase(round.phase).label)
    if round.phase == Phase.IDEAS:
        return _("%(phase)s till och med %(date)s") % {
            "phase": label,
            "date": services.day_text(round.ideas_close_on),
        }
    if round.phase == Phase.VOTING:
        return _("%(phase)s till och med %(date)s") % {
            "phase": label,
            "date": services.day_text(round.voting_closes_on),
        }
    if round.phase == Phase.APPROVED:
        return _("Idéer tas emot från %(date)s") % {"date": services.day_text(round.ideas_open_on)}
    return label


def _parts(request: HttpRequest, round: BudgetRound, *, staff: bool) -> dict[str, Any]:
    """What the other parts of the round add to its page (ideas, voting, result, projects)."""
    context: dict[str, Any] = {}
    for module in (idea_views, vote_views, result_views, progress_views):
        hook = module.staff_round_context if staff else module.round_context
        context.update(hook(request, round))
    return context


@require_GET
def round(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    context = _facts(round) | _parts(request, round, staff=False)
    return render(request, "budget/round.html", context)


# --- Staff -------------------------------------------------------------------------------------


def _readable_rounds(user: Any) -> Any:
    rounds = BudgetRound.objects.select_related("dialogue", "responsible_administration")
    if can_see_staff_pages(user):
        return rounds
    administrations = Employment.objects.filter(person_id=user.pk).values("administration_id")
    return rounds.filter(Q(responsible_administration_id__in=administrations))


@login_required
@require_GET
def staff_index(request: HttpRequest) -> HttpResponse:
    rounds = list(_readable_rounds(request.user).order_by("-ideas_open_on", "-pk"))
    if not rounds and not can_see_staff_pages(request.user):
        raise PermissionDenied
    return render(
        request,
        "budget/staff/index.html",
        {"rounds": [(r, kronor(r.amount)) for r in rounds]},
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    dialogue: Dialogue,
    heading: str,
    round: BudgetRound | None = None,
    refusal: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "budget/staff/round_form.html",
        {
            "dialogue": dialogue,
            "round": round,
            "form": form,
            "heading": heading,
            "refusal": refusal,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    dialogue_pk = parse_id(request.GET.get("dialog"))
    if dialogue_pk is None:
        raise Http404
    dialogue = dialogue_selectors.access_dialogue_for_work(request.user, dialogue_pk)
    heading = _("Ny medborgarbudget")
    refusal = services.dialogue_refusal(dialogue)
    if refusal:
        # Nothing to fill in: say what the dialogue lacks (ladder step 5, the method).
        if request.method == "POST":
            messages.error(request, refusal)
        return _form_page(request, None, dialogue=dialogue, heading=heading, refusal=refusal)
    form = round_forms.RoundForm(request.POST or None, dialogue=dialogue)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(
                dialogue=dialogue, actor=request.user, **form.service_values()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Medborgarbudgeten är skapad som utkast. Registrera presidiets "
                    "godkännande innan den visas för invånarna."
                ),
            )
            return redirect(round.staff_url())
    return _form_page(request, form, dialogue=dialogue, heading=heading)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_work(request.user, pk)
    if round.phase != Phase.DRAFT:
        messages.error(
            request, _("Presidiet har godkänt upplägget, så det kan inte ändras längre.")
        )
        return redirect(round.staff_url())
    initial = {name: getattr(round, name) for name in services.FIELDS if name != "areas"}
    initial["areas"] = list(round.areas.values_list("pk", flat=True))
    initial["responsible_administration"] = round.responsible_administration_id
    initial["planned_method"] = round.planned_method_id
    form = round_forms.RoundForm(request.POST or None, dialogue=round.dialogue, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round=round, actor=request.user, **form.service_values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Upplägget är ändrat."))
            return redirect(round.staff_url())
    return _form_page(
        request, form, dialogue=round.dialogue, heading=_("Ändra upplägget"), round=round
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_approve(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_work(request.user, pk)
    if round.phase != Phase.DRAFT:
        messages.info(request, _("Presidiets godkännande är redan registrerat."))
        return redirect(round.staff_url())
    body = round.dialogue.responsible_body
    form = round_forms.ApprovalForm(
        request.POST or None,
        initial={"body": body.pk if body else None, "approved_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_record(round=round, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Presidiets godkännande är registrerat. Omgången visas nu för invånarna och "
                    "upplägget kan inte ändras längre."
                ),
            )
            return redirect(round.staff_url())
    return render(
        request,
        "budget/staff/approve.html",
        {
            "round": round,
            "dialogue": round.dialogue,
            "form": form,
            "facts": _facts(round),
        },
        status=400 if form.errors else 200,
    )


def _steps(round: BudgetRound) -> list[dict[str, Any]]:
    """The steps the round's phase offers, each as a button (or a link to its own page) with
    what holds it back now."""
    steps = []
    for step, refusals in services.step_choices(round):
        if step.name in ELSEWHERE:
            url = reverse(ELSEWHERE[step.name], args=[round.pk])
            form = None
        else:
            url = reverse("budget:staff_step", args=[round.pk, step.name])
            form = round_forms.StepForm(prefix=step.name)
        steps.append(
            {
                "name": step.name,
                "label": step.label,
                "url": url,
                "form": form,
                "refusals": refusals,
                "danger": step.name in DANGER_STEPS,
            }
        )
    return steps


@login_required
@require_GET
def staff_round(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_reading(request.user, pk)
    may_manage = can_manage(request.user, round)
    context = _facts(round) | {
        "can_manage": may_manage,
        "is_draft": round.phase == Phase.DRAFT,
        "steps": _steps(round) if may_manage else [],
        "audit_entries": audit_log_rows(round, AUDIT_ACTIONS) if may_manage else [],
        "audit_caption": _("Omgångens logg"),
    }
    return render(request, "budget/staff/round.html", context | _parts(request, round, staff=True))


@login_required
@require_POST
def staff_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    round = selectors.access_for_work(request.user, pk)
    if step in ELSEWHERE:
        return redirect(ELSEWHERE[step], round.pk)
    if step not in STEP_DONE:
        raise Http404
    try:
        services.round_step(round=round, step=step, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(STEP_DONE[step]))
    return redirect(round.staff_url())
