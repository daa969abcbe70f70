"""The broker's answer: /legitimera/oidc/retur/ (see `torget.identity.methods.oidc`)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from torget.identity import methods, personnummer, services
from torget.identity.methods import oidc

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    if methods.method_by_slug("oidc") is None:
        raise Http404
    pending = oidc.pop_pending(request, request.GET.get("state", ""))
    if pending is None or pending.is_expired:
        return oidc.problem(request, "state")
    next_url = pending.next_url
    error = request.GET.get("error")
    if error == "access_denied":
        return oidc.problem(request, "cancelled", next_url=next_url)
    code = request.GET.get("code")
    if error or not code:
        logger.warning("OIDC: the broker answered error %r", (error or "no code")[:100])
        return oidc.problem(request, "failed", next_url=next_url)
    try:
        value = oidc.identify(code=code, pending=pending)
    except oidc.StaleAuthenticationError as refused:
        logger.warning("OIDC: refused a log-in that was not fresh: %s", refused)
        return oidc.problem(request, "stale", next_url=next_url)
    except oidc.OIDCError as failure:
        logger.warning("OIDC: %s", failure)
        return oidc.problem(request, "failed", next_url=next_url)
    try:
        pin = personnummer.parse(value)
    except ValidationError as invalid:
        # The reason's code only: the value is a personal identity number, or close to one.
        logger.warning(
            "OIDC: the broker's %s claim was refused (%s)", settings.OIDC_PIN_CLAIM, invalid.code
        )
        return oidc.problem(request, "invalid_pin", next_url=next_url)
    services.verification_complete(request=request, method="oidc", pin=pin)
    messages.success(request, _("Du är legitimerad."))
    return redirect(next_url)
