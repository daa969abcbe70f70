"""The ideas of a citizen budget, as citizens see them: the list (by status, newest or most
interest), the form for a new idea (works without JavaScript: the place in words), an idea
with its status, the förvaltning's reason and cost, comments and interest, and the author's
answer to a proposed merge. Views parse a form, call one service, and redirect with a
message."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.budget import idea_services as services
from torget.budget import selectors
from torget.budget.idea_forms import CommentForm, IdeaForm, MergeAnswerForm
from torget.budget.models import BudgetRound, Idea, IdeaStatus, Merge
from torget.budget.permissions import can_review
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file

PER_PAGE = 20
ORDERS = {
    "nyast": ("-created_at", "-number"),
    "intresse": ("-interest_count", "number"),
    "nummer": ("number",),
}
DEFAULT_ORDER = "nyast"


# --- The round pages' sections ------------------------------------------------------------------


def round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html, _round_ideas.html)."""
    if not round.is_public:
        return {}
    ideas = round.ideas.all()
    return {
        "ideas_count": ideas.count(),
        "ideas_open": round.takes_ideas(),
        "ideas_url": reverse("budget:ideas", args=[round.pk]),
        "idea_new_url": reverse("budget:idea_new", args=[round.pk]),
        "ideas_recent": list(ideas.order_by("-created_at", "-number")[:3]),
    }


def staff_round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    counts = {status: 0 for status in IdeaStatus}
    for row in round.ideas.values("status").annotate(n=Count("pk")).order_by():
        counts[IdeaStatus(row["status"])] = row["n"]
    return {
        "ideas_waiting": counts[IdeaStatus.SUBMITTED],
        "ideas_total": sum(counts.values()),
        "ideas_by_status": [(IdeaStatus(s).label, n) for s, n in counts.items() if n],
        "staff_ideas_url": reverse("budget:staff_ideas", args=[round.pk]),
        "ideas_public_url": reverse("budget:ideas", args=[round.pk]),
        "ideas_may_review": can_review(request.user, round),
        "ideas_open_merges": Merge.objects.filter(
            source__round=round, done_at__isnull=True, declined_at__isnull=True
        ).count(),
    }


# --- Helpers ------------------------------------------------------------------------------------


def _refusal(request: HttpRequest, round: BudgetRound) -> tuple[str, str, str]:
    """Why this visitor may not take part now, with a link to do something about it."""
    user: Any = request.user
    if not user.is_authenticated:
        return (
            _("Logga in med ett konto som har en bekräftad e-postadress för att delta."),
            reverse("accounts:login") + "?next=" + request.path,
            _("Logga in"),
        )
    if not user.is_email_verified:
        return (
            _(
                "Din e-postadress är inte bekräftad än. Klicka på länken i mejlet vi skickade, "
                "eller be om ett nytt."
            ),
            reverse("accounts:resend_verification"),
            _("Skicka bekräftelsen igen"),
        )
    return "", "", ""


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Det gick inte.")


def _crumbs(round: BudgetRound) -> list[tuple[str, str]]:
    return [
        (reverse("budget:index"), _("Medborgarbudget")),
        (round.get_absolute_url(), round.title),
    ]


# --- Public pages -------------------------------------------------------------------------------


@require_GET
def ideas(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    order = request.GET.get("ordning", DEFAULT_ORDER)
    if order not in ORDERS:
        order = DEFAULT_ORDER
    status = request.GET.get("status", "")
    if status not in IdeaStatus.values:
        status = ""
    rows = round.ideas.select_related("merged_into")
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by(*ORDERS[order]), PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "budget/ideas.html",
        {
            "round": round,
            "crumbs": _crumbs(round),
            "page_obj": page,
            "order": order,
            "orders": [
                ("nyast", _("Nyast först")),
                ("intresse", _("Flest intresserade")),
                ("nummer", _("Efter nummer")),
            ],
            "status": status,
            "statuses": IdeaStatus.choices,
            "total": round.ideas.count(),
            "ideas_open": round.takes_ideas(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    context: dict[str, Any] = {"round": round, "crumbs": _crumbs(round), "form": None}
    if not round.takes_ideas():
        if request.method == "POST":
            messages.error(request, _("Omgången tar inte emot idéer just nu."))
            return redirect("budget:ideas", round.pk)
        return render(request, "budget/idea_form.html", context | {"closed": True})
    refusal, link, label = _refusal(request, round)
    if refusal:
        return render(
            request,
            "budget/idea_form.html",
            context | {"refusal": refusal, "refusal_link": link, "refusal_label": label},
        )
    form = IdeaForm(request.POST or None, request.FILES or None, actor=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                idea = services.idea_submit(
                    round=round, author=request.user, **form.service_values()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, _message(error))
                return redirect("budget:ideas", round.pk)
            else:
                messages.success(
                    request,
                    _(
                        "Tack! Din idé är inlämnad som idé %(number)s. Förvaltningen granskar "
                        "den mot kriterierna och du ser svaret här."
                    )
                    % {"number": idea.number},
                )
                return redirect(idea.get_absolute_url())
        status = 400
    return render(request, "budget/idea_form.html", context | {"form": form}, status=status)


def _idea_page(
    request: HttpRequest, idea: Idea, *, comment_form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    round = idea.round
    user: Any = request.user
    refusal, link, label = _refusal(request, round)
    may_comment = (
        round.phase in services.COMMENT_PHASES and idea.status != IdeaStatus.MERGED and not refusal
    )
    if comment_form is None and may_comment:
        comment_form = CommentForm(actor=user)
    is_author = user.is_authenticated and idea.author_id == user.pk
    merges = services.pending_merges_of(idea) if is_author else []
    return render(
        request,
        "budget/idea.html",
        {
            "round": round,
            "idea": idea,
            "crumbs": _crumbs(round) + [(reverse("budget:ideas", args=[round.pk]), _("Idéer"))],
            "comments": idea.comments.order_by("created_at", "pk"),
            "merged_from": idea.merged_from.order_by("number"),
            "comment_form": comment_form if may_comment else None,
            "comments_open": round.phase in services.COMMENT_PHASES
            and idea.status != IdeaStatus.MERGED,
            "interest_open": round.phase in services.INTEREST_PHASES
            and idea.status != IdeaStatus.MERGED,
            "has_interest": services.has_interest(idea, user),
            "is_author": is_author,
            "merges": [(m, services.awaits_answer_from(m, idea)) for m in merges],
            "refusal": refusal,
            "refusal_link": link,
            "refusal_label": label,
            "over_budget": services.over_budget(idea),
            "staff_url": reverse("budget:staff_idea", args=[round.pk, idea.number])
            if can_review(user, round)
            else "",
        },
        status=status,
    )


@require_GET
def idea(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _idea_page(request, selectors.access_idea_public(pk, number))


@require_GET
def idea_image(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    found = selectors.access_idea_public(pk, number)
    # process() stores every image as a JPEG of its pixels alone.
    return serve_file(found.image, public=True, content_type="image/jpeg")


def _to_login(request: HttpRequest, idea: Idea) -> HttpResponse:
    return redirect_to_login(idea.get_absolute_url())


@require_POST
def comment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = selectors.access_idea_public(pk, number)
    if not request.user.is_authenticated:
        return _to_login(request, found)
    form = CommentForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.comment_add(
                idea=found,
                author=request.user,
                text=form.cleaned_data["text"],
                shown_name=form.cleaned_data["shown_name"],
            )
        except PermissionDenied as error:
            messages.error(request, _message(error))
            return redirect(found.get_absolute_url())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _message(error))
                return redirect(found.get_absolute_url() + "#kommentarer")
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Tack! Din kommentar visas nu."))
            return redirect(found.get_absolute_url() + "#kommentarer")
    return _idea_page(request, found, comment_form=form, status=400)


@require_POST
def interest(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = selectors.access_idea_public(pk, number)
    if not request.user.is_authenticated:
        return _to_login(request, found)
    try:
        added = services.interest_add(idea=found, actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _message(error))
        return redirect(found.get_absolute_url())
    if added:
        messages.success(request, _("Du har visat intresse för idén."))
    else:
        messages.info(
            request, _("Du har redan visat intresse för den här idén. Det räknas en gång.")
        )
    return redirect(found.get_absolute_url() + "#intresse")


def _merge_of(idea: Idea, merge_pk: int) -> Merge:
    return get_object_or_404(
        Merge.objects.select_related("source", "target", "source__round", "target__round"),
        Q(source=idea) | Q(target=idea),
        pk=merge_pk,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def merge_consent(request: HttpRequest, pk: int, number: int, merge_pk: int) -> HttpResponse:
    """The author of one of the two ideas answers a proposed merge."""
    found = selectors.access_idea_public(pk, number)
    merge = _merge_of(found, merge_pk)
    if found.author_id != request.user.pk:
        raise PermissionDenied
    settled = bool(merge.done_at or merge.declined_at)
    answered = not settled and not services.awaits_answer_from(merge, found)
    form = MergeAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if settled or answered:
            messages.info(request, _("Du har redan svarat, eller så är förslaget redan avgjort."))
            return redirect(found.get_absolute_url())
        if form.is_valid():
            service = (
                services.merge_consent
                if form.cleaned_data["answer"] == "ja"
                else services.merge_decline
            )
            try:
                done = service(merge=merge, idea=found, actor=request.user)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, _message(error))
                return redirect(found.get_absolute_url())
            if done.declined_at:
                messages.success(request, _("Tack för ditt svar. Idéerna slås inte ihop."))
            elif done.done_at:
                messages.success(
                    request, _("Tack! Båda har samtyckt och idéerna är nu sammanslagna.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Tack! Ditt samtycke är registrerat. Idéerna slås ihop när den andra förslagsställaren också har samtyckt."
                    ),
                )
            return redirect(found.get_absolute_url())
        status = 400
    return render(
        request,
        "budget/idea_merge.html",
        {
            "round": found.round,
            "idea": found,
            "merge": merge,
            "other": merge.target if merge.source_id == found.pk else merge.source,
            "is_source": merge.source_id == found.pk,
            "settled": settled,
            "answered": answered,
            "form": form,
            "crumbs": _crumbs(found.round)
            + [
                (reverse("budget:ideas", args=[pk]), _("Idéer")),
                (found.get_absolute_url(), str(found)),
            ],
        },
        status=status,
    )
