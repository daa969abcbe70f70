"""Giving and withdrawing support. Each support needs its own fresh e-ID step (BankID:
no "ID-växling"), so these pages are never cached and never trust a password log-in."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torget.core import ratelimit
from torget.identity.models import Verification
from torget.identity.selectors import fresh_verification
from torget.organisation.selectors import municipality_get
from torget.proposals import selectors, services
from torget.proposals.models import Proposal


def _open_proposal(pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.only("pk", "title", "status", "hidden_at", "signing_ends_on", "threshold"),
        pk=pk,
    )
    if not proposal.is_public:
        raise Http404
    return proposal


def _identify_url(request: HttpRequest) -> str:
    return reverse("identity:choose") + "?" + urlencode({"next": request.path})


def _limited(request: HttpRequest, verification: Verification, *, forget: int = 0) -> bool:
    """Count one attempt per IP and per person (one cache round trip for both); True when
    either is over its limit. `forget`: a proposal whose cached support count goes in the
    same round trip, ahead of a support about to be written."""
    return not ratelimit.hit_all(
        [
            ("support-ip", ratelimit.client_ip(request), settings.PROPOSALS_SUPPORT_RATE_PER_IP),
            (
                "support-person",
                verification.person_key,
                settings.PROPOSALS_SUPPORT_RATE_PER_USER,
            ),
        ],
        forget=[selectors.support_count_key(forget)] if forget else [],
    )


@never_cache
@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, pk: int) -> HttpResponse:
    verification = fresh_verification(request)
    if request.method == "POST" and verification is not None:
        # The busy path: one Redis command (both rate limits, and the cached count forgotten
        # so the person's next page counts their support) and one SQL statement when all is
        # well (see services.support_add_fast). The count is forgotten just before the insert
        # rather than after it, sparing a round trip: a page read in between may cache the
        # count without this support for its few seconds, a lag the count is allowed.
        if _limited(request, verification, forget=pk):
            return render(request, "proposals/support_limited.html", status=429)
        if services.support_add_fast(proposal_id=pk, verification=verification, user=request.user):
            return _confirmed(request, pk)
        verification.rate_counted = True  # type: ignore[attr-defined]
    proposal = _open_proposal(pk)
    if request.method == "POST":
        if verification is None:
            # The e-ID step expired between the page and the button: do it again.
            messages.info(request, _("Legitimera dig igen för att lämna ditt stöd."))
            return redirect(_identify_url(request))
        if not getattr(verification, "rate_counted", False) and _limited(request, verification):
            return render(request, "proposals/support_limited.html", status=429)
        try:
            services.support_add(proposal=proposal, verification=verification, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(proposal.get_absolute_url())
        return _thanks(request, proposal.pk)

    refusal = ""
    existing = None
    if verification is not None:
        existing = services.support_active(proposal=proposal, verification=verification)
        try:
            services.check_can_support(proposal=proposal, verification=verification)
        except ValidationError as error:
            refusal = error.messages[0]
    municipality = municipality_get()
    return render(
        request,
        "proposals/support.html",
        {
            "proposal": proposal,
            "verification": verification,
            "existing": existing,
            "refusal": refusal,
            "identify_url": _identify_url(request),
            "municipality": municipality,
            "fresh_minutes": settings.IDENTITY_FRESH_SECONDS // 60,
        },
    )


def _thanks(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.support_count_forget(pk)
    return _confirmed(request, pk)


def _confirmed(request: HttpRequest, pk: int) -> HttpResponse:
    messages.success(request, _("Tack! Ditt stöd är registrerat."))
    return HttpResponseRedirect(_detail_url(pk))


@functools.lru_cache(maxsize=1024)
def _detail_url(pk: int) -> str:
    """A proposal's address, reversed once per process: every support on the busy path is
    redirected to it, and reverse() costs as much as the rest of the redirect."""
    return reverse("proposals:detail", kwargs={"pk": pk})


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _open_proposal(pk)
    verification = fresh_verification(request)
    user = request.user if request.user.is_authenticated else None
    existing = services.support_active(proposal=proposal, user=user, verification=verification)
    if request.method == "POST":
        if existing is None and verification is None:
            return redirect(_identify_url(request))
        try:
            services.support_withdraw(proposal=proposal, user=user, verification=verification)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            selectors.support_count_forget(proposal.pk)
            messages.success(request, _("Ditt stöd är borttaget."))
        return redirect(proposal.get_absolute_url())
    return render(
        request,
        "proposals/withdraw.html",
        {
            "proposal": proposal,
            "existing": existing,
            "verification": verification,
            "identify_url": _identify_url(request),
        },
    )
