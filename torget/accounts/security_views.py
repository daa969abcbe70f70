"""Two-factor authentication (tvåstegsverifiering) and the "confirm your password" step."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from torget.accounts import middleware, reauth, selectors, services
from torget.accounts.forms import OneTimeCodeForm, ReauthenticateForm
from torget.accounts.models import User
from torget.core import ratelimit

RECOVERY_CODES_SESSION_KEY = "torget_recovery_codes"
SETUP_KEY_SESSION_KEY = "torget_totp_setup_key"
# Wrong codes per account and hour before the form refuses more (django-otp also slows them).
CODE_FAILURES_PER_HOUR = 20


def _next_url(request: HttpRequest, default: str = "accounts:my_pages") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(view_name: str, request: HttpRequest) -> str:
    """The page `view_name`, passing on where the person was going (if anywhere)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    url = reverse(view_name)
    return f"{url}?{urlencode({'next': _next_url(request)})}" if target else url


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG, drawn here: the secret never goes to an outside service."""
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=False)
    return mark_safe(svg)  # noqa: S308 (segno's own markup; the data is our otpauth: URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if selectors.has_two_factor(user):
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(_with_next("accounts:two_factor_verify", request))
        messages.info(request, _("Tvåstegsverifiering är redan på för ditt konto."))
        return redirect(_next_url(request))
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    device = services.two_factor_new_device(user=user, key=key if isinstance(key, str) else None)
    request.session[SETUP_KEY_SESSION_KEY] = device.key
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("otp-setup", str(user.pk), limit=CODE_FAILURES_PER_HOUR):
            return render(request, "accounts/rate_limited.html", status=429)
        try:
            device, codes = services.two_factor_confirm(
                user=user, key=device.key, token=form.cleaned_data["code"]
            )
        except services.TwoFactorError as error:
            form.add_error("code", error)
        else:
            request.session.pop(SETUP_KEY_SESSION_KEY, None)
            middleware.app_added(request)
            otp_login(request, device)
            reauth.mark_fresh(request)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Tvåstegsverifiering är nu på för ditt konto."))
            return redirect(_with_next("accounts:two_factor_recovery_codes", request))
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            # Groups of four, as the apps show it, easier to type by hand.
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
            "required": settings.STAFF_REQUIRE_2FA and selectors.is_staff_member(user),
        },
    )


@never_cache
@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once: taken out of the session as the page is drawn."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes or [], "next": _next_url(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.has_two_factor(user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("otp-verify", str(user.pk), limit=CODE_FAILURES_PER_HOUR):
            return render(request, "accounts/rate_limited.html", status=429)
        try:
            device = services.two_factor_verify(user=user, token=form.cleaned_data["code"])
        except services.TwoFactorError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            reauth.mark_fresh(request)
            left = selectors.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    _(
                        "Du har %(count)d reservkoder kvar. Be en administratör återställa "
                        "tvåstegsverifieringen om de tar slut."
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    ask_code = selectors.has_two_factor(user)
    form = ReauthenticateForm(request.POST or None, user=user, ask_code=ask_code)
    if request.method == "POST":
        if not ratelimit.hit("reauth", str(user.pk), limit=CODE_FAILURES_PER_HOUR):
            return render(request, "accounts/rate_limited.html", status=429)
        if form.is_valid():
            device = None
            if ask_code:
                try:
                    device = services.two_factor_verify(user=user, token=form.cleaned_data["code"])
                except services.TwoFactorError as error:
                    form.add_error("code", error)
            if form.is_valid():
                if device is not None:
                    otp_login(request, device)
                reauth.mark_fresh(request)
                messages.success(request, _("Tack, du har bekräftat att det är du."))
                return redirect(_next_url(request))
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "minutes": settings.REAUTH_SECONDS // 60,
        },
    )
