"""The staff side of a round's ideas: the list (those waiting for review first), and an idea's
page with the förvaltning's review and costing, the criteria-breach mark, a merge proposal,
an author's answer recorded on their behalf, and hiding a comment. Who may: those who review
the round (budget.permissions.can_review: who works with the dialogue and the responsible
förvaltning's officials), through `access_for_review` / `access_idea_for_review`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from torget.budget import idea_services as services
from torget.budget import selectors
from torget.budget.idea_forms import (
    BreachForm,
    ConsentForm,
    HideCommentForm,
    MergeProposeForm,
    ReviewForm,
)
from torget.budget.models import Comment, Idea, IdeaStatus, Merge
from torget.core.forms import apply_service_errors

PER_PAGE = 50


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Det gick inte.")


@login_required
@require_GET
def ideas(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_review(request.user, pk)
    status = request.GET.get("status", "")
    if status not in IdeaStatus.values:
        status = ""
    rows = round.ideas.select_related("merged_into")
    if status:
        rows = rows.filter(status=status)
    # Those waiting for the förvaltning's answer first, then by number.
    rows = rows.annotate(
        waiting=Case(
            When(status=IdeaStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "number")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "budget/staff/ideas.html",
        {
            "round": round,
            "page_obj": page,
            "status": status,
            "statuses": IdeaStatus.choices,
            "waiting": round.ideas.filter(status=IdeaStatus.SUBMITTED).count(),
        },
    )


def _forms(idea: Idea, **bound: Form) -> dict[str, Form]:
    initial_review: dict[str, Any] = {}
    if idea.status in (IdeaStatus.FEASIBLE, IdeaStatus.NOT_FEASIBLE):
        initial_review = {
            "feasible": "ja" if idea.status == IdeaStatus.FEASIBLE else "nej",
            "cost": idea.cost,
            "reason": idea.status_reason,
        }
    forms: dict[str, Form] = {
        "review": ReviewForm(initial=initial_review, prefix="review"),
        "breach": BreachForm(prefix="breach"),
        "merge": MergeProposeForm(idea=idea, prefix="merge"),
        "consent": ConsentForm(prefix="consent"),
        "hide": HideCommentForm(prefix="hide"),
    }
    forms.update(bound)
    return forms


def _page(request: HttpRequest, idea: Idea, *, status: int = 200, **bound: Form) -> HttpResponse:
    round = idea.round
    editable = round.phase in services.REVIEW_PHASES and idea.status != IdeaStatus.MERGED
    return render(
        request,
        "budget/staff/idea.html",
        {
            "round": round,
            "idea": idea,
            "forms": _forms(idea, **bound),
            "editable": editable,
            "merges": services.pending_merges_of(idea),
            "settled_merges": Merge.objects.filter(source=idea)
            .exclude(done_at__isnull=True, declined_at__isnull=True)
            .select_related("target"),
            "comments": idea.comments.order_by("created_at", "pk"),
            "over_budget": services.over_budget(idea),
        },
        status=status,
    )


@login_required
@require_GET
def idea(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _page(request, selectors.access_idea_for_review(request.user, pk, number))


def _staff_url(idea: Idea, anchor: str = "") -> str:
    return reverse("budget:staff_idea", args=[idea.round_id, idea.number]) + anchor


@login_required
@require_POST
def review(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The förvaltning's review (feasible or not, cost, public reason), or a criteria breach
    (`action=kriterier`): one address, two forms on the page."""
    found = selectors.access_idea_for_review(request.user, pk, number)
    if request.POST.get("action") == "kriterier":
        breach = BreachForm(request.POST, prefix="breach")
        if breach.is_valid():
            try:
                services.idea_mark_breach(
                    idea=found, actor=request.user, reason=breach.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(breach, error)
            else:
                messages.success(
                    request,
                    _(
                        "Idén är markerad som att den inte uppfyller kriterierna. Motiveringen visas för alla."
                    ),
                )
                return redirect(_staff_url(found))
        return _page(request, found, status=400, breach=breach)
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = services.idea_review(
                idea=found,
                actor=request.user,
                feasible=data["feasible"],
                reason=data["reason"],
                cost=data["cost"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if data["feasible"] and done.status == IdeaStatus.NOT_FEASIBLE:
                messages.warning(
                    request,
                    _(
                        "Kostnaden är större än hela omgångens budget, så idén är avslagen som inte genomförbar. Skälet står i motiveringen."
                    ),
                )
            elif done.status == IdeaStatus.FEASIBLE:
                messages.success(
                    request, _("Idén är bedömd som genomförbar och kommer med på röstsedeln.")
                )
            else:
                messages.success(
                    request, _("Idén är bedömd som inte genomförbar. Motiveringen visas för alla.")
                )
            return redirect(_staff_url(found))
    return _page(request, found, status=400, review=form)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = selectors.access_idea_for_review(request.user, pk, number)
    form = MergeProposeForm(request.POST, idea=found, prefix="merge")
    if form.is_valid():
        target = get_object_or_404(Idea, round=found.round, number=form.cleaned_data["target"])
        target.round = found.round
        try:
            services.merge_propose(
                source=found, target=target, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Förslaget om sammanslagning är registrerat. Idéerna slås ihop när båda förslagsställarna har samtyckt."
                ),
            )
            return redirect(_staff_url(found, "#sammanslagning"))
    return _page(request, found, status=400, merge=form)


@login_required
@require_POST
def merge_consent(request: HttpRequest, pk: int, number: int, merge_pk: int) -> HttpResponse:
    """An author's answer given by phone, e-mail or on paper, recorded by staff with a note."""
    found = selectors.access_idea_for_review(request.user, pk, number)
    proposal = get_object_or_404(Merge.objects.select_related("source", "target"), pk=merge_pk)
    if found.pk not in (proposal.source_id, proposal.target_id):
        raise PermissionDenied
    form = ConsentForm(request.POST, prefix="consent")
    if form.is_valid():
        data = form.cleaned_data
        idea_of = proposal.source if data["side"] == "source" else proposal.target
        idea_of.round = found.round
        service = services.merge_consent if data["answer"] == "ja" else services.merge_decline
        try:
            done = service(
                merge=proposal, idea=idea_of, actor=request.user, on_behalf_note=data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if done.declined_at:
                messages.success(request, _("Svaret är registrerat: idéerna slås inte ihop."))
            elif done.done_at:
                messages.success(
                    request,
                    _("Samtycket är registrerat. Båda har samtyckt och idéerna är sammanslagna."),
                )
            else:
                messages.success(
                    request,
                    _("Samtycket är registrerat. Nu väntar vi på den andra förslagsställaren."),
                )
            return redirect(_staff_url(found, "#sammanslagning"))
    return _page(request, found, status=400, consent=form)


@login_required
@require_POST
def comment_hide(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    round = selectors.access_for_review(request.user, pk)
    found = get_object_or_404(
        Comment.objects.select_related("idea"), pk=comment_pk, idea__round=round
    )
    found.idea.round = round
    form = HideCommentForm(request.POST, prefix="hide")
    if form.is_valid():
        try:
            services.comment_hide(
                comment=found, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Kommentaren är dold. Skälet visas i stället för texten."))
            return redirect(_staff_url(found.idea, "#kommentarer"))
    return _page(request, found.idea, status=400, hide=form)
