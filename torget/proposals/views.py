"""Public proposal pages: list, submit (with preview), one proposal, meeting proposals, and the
citizen's own proposals under Mina sidor. Giving support is in support_views.py."""

import os
import secrets
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template import Context, Engine
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from torget.accounts.permissions import has_perm
from torget.accounts.types import signed_in
from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.http import revalidate_per_visitor
from torget.core.media import serve_stored
from torget.identity.selectors import COOKIE_NAME as EID_COOKIE_NAME
from torget.identity.selectors import fresh_verification
from torget.organisation.selectors import municipality_get
from torget.proposals import charts, selectors, services
from torget.proposals.forms import ProposalFilterForm, ProposalForm
from torget.proposals.models import Proposal, Status

PAGE_SIZE = selectors.PAGE_SIZE
# An image uploaded with the preview waits here until the proposal is sent in; the session
# holds its storage name (never a path from the browser).
DRAFT_SESSION_KEY = "proposals_draft_image"
DRAFT_DIR = services.DRAFT_DIR  # removed after a day by services.draft_images_prune


# --- HTTP caching ----------------------------------------------------------------------------


def _language_switch_is_token_free() -> bool:
    """The layout's language switch is the only POST form an anonymous visitor meets on these
    pages. A page that shared caches hand to everyone must carry no CSRF token (nor set the
    CSRF cookie), and leaving the token out is only right when the switch does not check it."""
    try:
        view = resolve(reverse("set_language")).func
    except NoReverseMatch:
        return True
    return bool(getattr(view, "csrf_exempt", False))


def _shareable(request: HttpRequest) -> bool:
    """Whether this visitor's page is the same as every other anonymous visitor's."""
    if request.user.is_authenticated:
        return False
    # A session, a message to show, or a fresh e-ID step (with it the page says whether this
    # person supports the proposal): the page is personal.
    personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, EID_COOKIE_NAME}
    if personal.intersection(request.COOKIES):
        return False
    return _language_switch_is_token_free()


def _render_public(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a public page that shared caches may keep for anonymous visitors.

    Everyone else gets `private, no-cache`, and `Vary: Cookie` keeps a cache from handing
    an anonymous copy to someone who is logged in.
    """
    shareable = _shareable(request)
    if shareable:
        context = {**context, "csrf_token": "NOTPROVIDED"}
    response = render(request, template, context)
    if shareable and not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PROPOSALS_CACHE_MAX_AGE,
            stale_while_revalidate=settings.PROPOSALS_CACHE_STALE,
        )
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- Lists -----------------------------------------------------------------------------------


# A query string longer than this is not worth a cache entry (real filters are short).
LIST_CACHE_MAX_QUERY = 500


def _list_results(request: HttpRequest, form: ProposalFilterForm) -> tuple[str, int]:
    """The list's results section (HTML) and its page number, from the cache when this very
    address was rendered since the last change to a proposal (selectors.list_forget)."""
    seconds = settings.PROPOSALS_LIST_CACHE_SECONDS
    key = None
    query = sorted(request.GET.lists())
    if seconds > 0 and len(request.META.get("QUERY_STRING", "")) <= LIST_CACHE_MAX_QUERY:
        key = selectors.list_cache_key("page", get_language(), query, PAGE_SIZE)
        cached = cache.get(key)
        if cached is not None:
            return str(cached[0]), int(cached[1])
    page = selectors.proposals_public_page(
        number=request.GET.get("sida"), per_page=PAGE_SIZE, **form.filters()
    )
    # Without the context processors (the layout's: the municipality, the menu), which this
    # part of the page does not use; `request` is there for {% querystring %}.
    context = Context({"page_obj": page, "is_filtered": form.is_filtered(), "request": request})
    context.request = request  # type: ignore[attr-defined]
    html = Engine.get_default().get_template("proposals/_results.html").render(context)
    if key is not None:
        cache.set(key, (html, page.number), seconds)
    return html, page.number


@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    form = ProposalFilterForm(request.GET)
    results, number = _list_results(request, form)
    return _render_public(
        request,
        "proposals/list.html",
        {
            "filter_form": form,
            "is_filtered": form.is_filtered(),
            "results": mark_safe(results),  # noqa: S308 (our own template's output)
            "page_number": number,
        },
    )


@require_safe
def meeting_proposals(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.meeting_proposals_public(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    return _render_public(
        request,
        "proposals/meeting_list.html",
        {
            "page_obj": page,
        },
    )


# --- One proposal ----------------------------------------------------------------------------


def _share_links(proposal: Proposal) -> dict[str, str]:
    # The canonical address (the one in e-mails), whatever host the request came in on.
    url = settings.SITE_URL + proposal.get_absolute_url()
    mailto = "mailto:?" + urlencode({"subject": proposal.title, "body": url}, quote_via=quote)
    return {"share_url": url, "share_mailto": mailto}


@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_access(request.user, pk)
    can_work = has_perm(request.user, "proposals.work_with_proposals")
    context: dict[str, Any] = {"proposal": proposal, "can_work": can_work, "statuses": Status}
    if proposal.hidden_at is not None:
        # Only the municipality's public reason: not the title, not the text.
        return _render_public(request, "proposals/detail.html", context)

    support_count = None
    days: list[Any] = []
    if proposal.threshold:
        support_count = selectors.support_count_live(proposal)
        days = selectors.supports_per_day(proposal)
    user_support = None
    if proposal.is_signing_open and not _shareable(request):
        verification = fresh_verification(request)
        user_support = services.support_active(
            proposal=proposal, user=request.user, verification=verification
        )
    context.update(
        {
            "is_author": request.user.is_authenticated and proposal.author_id == request.user.pk,
            "events": proposal.events.filter(is_public=True).select_related("body"),
            "support_count": support_count,
            "progress_value": min(support_count or 0, proposal.threshold or 0),
            "per_day": days,
            "chart": charts.supports_per_day_svg(days) if days else "",
            "user_support": user_support,
            **_share_links(proposal),
        }
    )
    return _render_public(request, "proposals/detail.html", context)


# --- Submitting ------------------------------------------------------------------------------


def _submit_limited(request: HttpRequest, *, count: bool) -> bool:
    """Per account and per address (settings.PROPOSALS_SUBMIT_RATE_PER_*, per hour).
    `count` records this attempt; without it we only look, to refuse before the writing."""
    limits = [
        ("proposal-submit-user", str(request.user.pk), settings.PROPOSALS_SUBMIT_RATE_PER_USER),
        (
            "proposal-submit-ip",
            ratelimit.client_ip(request),
            settings.PROPOSALS_SUBMIT_RATE_PER_IP,
        ),
    ]
    if count:
        allowed = [ratelimit.hit(scope, ident, limit=limit) for scope, ident, limit in limits]
        return not all(allowed)
    return any(ratelimit.is_limited(scope, ident, limit=limit) for scope, ident, limit in limits)


def _draft_image(request: HttpRequest) -> dict[str, str] | None:
    draft = request.session.get(DRAFT_SESSION_KEY)
    if isinstance(draft, dict) and str(draft.get("name", "")).startswith(DRAFT_DIR + "/"):
        return draft
    return None


def _draft_discard(request: HttpRequest) -> None:
    draft = _draft_image(request)
    if draft is not None:
        default_storage.delete(draft["name"])
    request.session.pop(DRAFT_SESSION_KEY, None)


def _draft_store(request: HttpRequest, form: ProposalForm) -> dict[str, str]:
    """Keep the uploaded image until the final submit, under a random name of our choosing."""
    upload = form.cleaned_data["image"]
    name = default_storage.save(
        f"{DRAFT_DIR}/{secrets.token_hex(16)}{form.image_extension()}", upload
    )
    draft = {"name": name, "filename": os.path.basename(upload.name or "")[:100]}
    request.session[DRAFT_SESSION_KEY] = draft
    return draft


@login_required
@require_safe
def draft_image(request: HttpRequest) -> HttpResponseBase:
    """The image waiting in this visitor's session, for the preview: only ever their own."""
    draft = _draft_image(request)
    if draft is None:
        raise Http404
    return serve_stored(draft["name"], public=False)


def _create_page(
    request: HttpRequest, context: dict[str, Any], *, template: str = "proposals/create.html"
) -> HttpResponse:
    return revalidate_per_visitor(
        render(request, template, context, status=context.pop("status", 200))
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    """Rules, form, preview (“Förhandsgranska”), and the final “Skicka in”."""
    user = signed_in(request.user)
    municipality = municipality_get()
    if not user.is_email_verified:
        return _create_page(
            request, {"unverified": True, "hide_verify_banner": True, "status": 403}
        )
    if _submit_limited(request, count=False):
        return _create_page(request, {"limited": True, "status": 429})

    if request.method == "GET":
        _draft_discard(request)  # a new proposal starts without an old one's image
        return _create_page(request, {"form": ProposalForm(municipality=municipality)})

    draft = _draft_image(request)
    form = ProposalForm(
        request.POST,
        request.FILES,
        municipality=municipality,
        stored_image=draft["filename"] if draft else "",
    )
    action = request.POST.get("action", "preview")
    if action == "edit":
        return _create_page(request, {"form": form, "draft": draft})
    if not form.is_valid():
        if form.cleaned_data.get("image"):
            # The image itself was fine: keep it, so only the mistakes need fixing.
            _draft_discard(request)
            draft = _draft_store(request, form)
            form.keep_image(draft["filename"])
        return _create_page(request, {"form": form, "draft": draft})

    data = form.cleaned_data
    if data.get("image") or data.get("remove_image"):
        _draft_discard(request)
        draft = None
    if data.get("image"):
        draft = _draft_store(request, form)

    if action != "submit":
        preview = Proposal(
            title=data["title"],
            body=data["body"],
            topic=data["topic"],
            area=data.get("area"),
            image_alt=data.get("image_alt", ""),
            author_name=user.public_name,
            organisation_name=data.get("organisation_name", ""),
        )
        return _create_page(
            request,
            {
                "form": form,
                "preview": preview,
                "draft": draft,
                "draft_url": reverse("proposals:draft_image") if draft else "",
                "hidden_fields": [
                    form[name] for name in form.fields if name not in {"image", "remove_image"}
                ],
            },
            template="proposals/preview.html",
        )

    if _submit_limited(request, count=True):
        return _create_page(request, {"limited": True, "status": 429})
    image = None
    if draft is not None:
        if not default_storage.exists(draft["name"]):
            request.session.pop(DRAFT_SESSION_KEY, None)
            form.add_error("image", _("Bilden finns inte kvar. Ladda upp den igen."))
            return _create_page(request, {"form": form})
        image = File(
            default_storage.open(draft["name"], "rb"), name=os.path.basename(draft["name"])
        )
    try:
        proposal = services.proposal_submit(
            author=user,
            title=data["title"],
            body=data["body"],
            topic=data["topic"],
            area=data.get("area"),
            image=image,
            image_alt=data.get("image_alt", "") if image else "",
            organisation_name=data.get("organisation_name", ""),
            signing_days=data.get("signing_days"),
        )
    except services.ProposalError as error:
        apply_service_errors(form, error)
        return _create_page(request, {"form": form, "draft": draft})
    except PermissionDenied:
        return _create_page(request, {"unverified": True, "status": 403})
    finally:
        if image is not None:
            image.close()
    _draft_discard(request)
    messages.success(
        request,
        _(
            "Tack! Vi har tagit emot ditt förslag. Kommunen granskar det innan det publiceras, "
            "och du får besked via e-post."
        ),
    )
    return redirect(proposal)


# --- Mina sidor ------------------------------------------------------------------------------


@login_required
@require_safe
def my_proposals(request: HttpRequest) -> HttpResponse:
    return revalidate_per_visitor(
        render(
            request,
            "proposals/mine.html",
            {
                "own": selectors.proposals_of_author(signed_in(request.user)),
                "supported": selectors.proposals_supported_by(signed_in(request.user)),
                "statuses": Status,
            },
        )
    )
