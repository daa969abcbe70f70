"""Public pages of medborgardialoger: the list, one dialogue (the transparency of seed 004 §8)
and "Föreslå en medborgardialog". Everything here starts from selectors.dialogues_public(),
so an initiative not yet decided on, or one that was declined, is never shown."""

from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.http import revalidate_per_visitor
from torget.dialogues import sections, selectors, services
from torget.dialogues.models import (
    FINISHED,
    LADDER_MEANINGS,
    ONGOING,
    PLAN_PUBLIC,
    Dialogue,
    LadderStep,
    Status,
    ladder_label,
)
from torget.dialogues.public_forms import STATUS_GROUPS, DialogueFilterForm, DialogueRequestForm
from torget.geo.models import Area

PAGE_SIZE = 20
CACHE_MAX_AGE = 60
# Requests per IP address and hour: enough for a family or a library computer, not for a bot.
# Shown publicly once the body has decided on the matter (001: results go into the decision).
RESULTS_PUBLIC = frozenset(
    {Status.DECISION_MADE, Status.FEEDBACK_GIVEN, Status.EVALUATED, Status.CLOSED}
)


# --- HTTP caching ----------------------------------------------------------------------------


def _shareable(request: HttpRequest) -> bool:
    """Whether this visitor's page is the same as every other anonymous visitor's (no login,
    no session, no message waiting to be shown)."""
    if request.user.is_authenticated:
        return False
    personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return not personal.intersection(request.COOKIES)


def _render_public(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A public page that shared caches may keep for a minute for anonymous visitors; the
    layout's only form for them (the language switch) needs no CSRF token."""
    shareable = _shareable(request)
    if shareable:
        context = {**context, "csrf_token": "NOTPROVIDED"}
    response = render(request, template, context)
    if shareable and not response.cookies:
        patch_cache_control(response, public=True, max_age=CACHE_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- The list --------------------------------------------------------------------------------


def _group(dialogue: Dialogue) -> str:
    if dialogue.status in ONGOING:
        return "pagaende"
    if dialogue.status in FINISHED:
        return "avslutade"
    return "planerade"


def _filtered(
    *, status: str, area: Area | None, topic: Any, ladder_step: int | None
) -> QuerySet[Dialogue]:
    """Public dialogues, ongoing first, then planned (soonest first), then finished (latest
    first). Filters only narrow dialogues_public(), so no filter can reveal a draft."""
    dialogues = selectors.dialogues_public()
    if status in STATUS_GROUPS:
        dialogues = dialogues.filter(status__in=STATUS_GROUPS[status][1])
    if area is not None:
        # A dialogue in a part of the area belongs to the area too.
        ids, level = {area.pk}, {area.pk}
        while level:
            level = set(Area.objects.filter(parent__in=level).values_list("pk", flat=True)) - ids
            ids |= level
        dialogues = dialogues.filter(areas__in=ids).distinct()
    if topic is not None:
        dialogues = dialogues.filter(topics=topic)
    if ladder_step is not None:
        dialogues = dialogues.filter(ladder_step=ladder_step)
    group = Case(
        When(status__in=ONGOING, then=Value(0)),
        When(status__in=FINISHED, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return dialogues.annotate(group=group).order_by(
        "group",
        Case(When(~Q(status__in=FINISHED), then="starts_on")).asc(nulls_last=True),
        Coalesce("ends_on", "starts_on", "decided_on").desc(nulls_last=True),
        "-id",
    )


@require_safe
def dialogue_list(request: HttpRequest) -> HttpResponse:
    form = DialogueFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(_filtered(**filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    sections = [
        (STATUS_GROUPS[slug][0], list(dialogues))
        for slug, dialogues in groupby(page.object_list, key=_group)
    ]
    return _render_public(
        request,
        "dialogues/list.html",
        {
            "filter_form": form,
            "is_filtered": any(filters.values()),
            "page_obj": page,
            "sections": sections,
        },
    )


# --- One dialogue ----------------------------------------------------------------------------


def _ladder(step: int | None) -> dict[str, Any] | None:
    if not step:
        return None
    step = LadderStep(step)
    return {
        "step": step,
        "label": ladder_label(step),
        "meaning": LADDER_MEANINGS[step],
        "steps": list(LadderStep),
    }


@require_safe
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.public_dialogue(pk)
    plan_public = dialogue.status in PLAN_PUBLIC
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "plan_public": plan_public,
        "ladder": _ladder(dialogue.ladder_step) if plan_public else None,
        "dates": dialogue.dates.select_related("area"),
        "events": dialogue.events.filter(is_public=True),
        "results_public": dialogue.status in RESULTS_PUBLIC,
        "is_cancelled": dialogue.status == Status.CANCELLED,
        "can_work_with": selectors.can_work_with(request.user, dialogue),
        "sections": sections.render(sections.PUBLIC, request, dialogue),
        # 004 §2: how KS presidium came to its decision, once the dialogue is public.
        "consultations": dialogue.consultations.select_related("body"),
    }
    if plan_public:
        context["methods"] = dialogue.methods.select_related("method")
        context["target_groups"] = dialogue.target_groups.select_related("group")
    return _render_public(request, "dialogues/detail.html", context)


# --- Föreslå en medborgardialog --------------------------------------------------------------


def _initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "requester_name": user.full_name or user.display_name,  # type: ignore[union-attr]
        "requester_email": user.email,  # type: ignore[union-attr]
    }


@require_http_methods(["GET", "POST"])
def request_dialogue(request: HttpRequest) -> HttpResponse:
    def page(form: DialogueRequestForm, status: int = 200) -> HttpResponse:
        return revalidate_per_visitor(
            render(request, "dialogues/request.html", {"form": form}, status=status)
        )

    if request.method == "GET":
        return page(DialogueRequestForm(initial=_initial(request)))
    form = DialogueRequestForm(request.POST)
    if form.is_spam():
        # Looks accepted to a bot; nothing is saved.
        return redirect("dialogues:request_thanks")
    if not form.is_valid():
        return page(form, status=400)
    if not ratelimit.hit(
        "dialogue-request",
        ratelimit.client_ip(request),
        limit=settings.DIALOGUE_REQUEST_RATE_PER_IP,
    ):
        return revalidate_per_visitor(
            render(request, "dialogues/request.html", {"limited": True}, status=429)
        )
    data = form.cleaned_data
    try:
        services.dialogue_request(
            title=data["title"],
            summary=data["summary"],
            requester_name=data["requester_name"],
            requester_email=data["requester_email"],
            requested_by=request.user,
            areas=data.get("areas", ()),
        )
    except services.DialogueError as error:
        apply_service_errors(form, error)
        return page(form, status=400)
    return redirect("dialogues:request_thanks")


@require_safe
def request_thanks(request: HttpRequest) -> HttpResponse:
    return _render_public(request, "dialogues/request_thanks.html", {})
