import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from torget.accounts import selectors, services
from torget.accounts.forms import (
    CloseAccountForm,
    EmailAuthenticationForm,
    OutboxPasswordResetForm,
    ProfileForm,
    SignupForm,
)
from torget.accounts.models import User
from torget.accounts.reauth import reauth_required
from torget.core import ratelimit
from torget.core.middleware import set_language_cookie


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:my_pages")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("signup", ip, limit=settings.ACCOUNT_SIGNUP_RATE_PER_HOUR):
            return render(request, "accounts/rate_limited.html", status=429)
        if form.is_valid():
            if not form.looks_automated():
                services.user_signup(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                    language=request.LANGUAGE_CODE,  # type: ignore[attr-defined]
                )
            # The same answer whether the address was new, taken, or the sender a bot.
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")}
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    # GET shows a button and POST verifies: mail scanners that follow links must not verify.
    try:
        if request.method == "POST":
            user = services.email_verify(token=token)
        else:
            user = services.verification_token_check(token)
    except services.VerificationError as error:
        if str(error) == "used":
            return _verify_already_done(request)
        return render(request, "accounts/verify_failed.html", {"reason": str(error)}, status=400)
    if request.method == "POST":
        if not request.user.is_authenticated or request.user.pk != user.pk:
            logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Tack! Din e-postadress är bekräftad och du är inloggad."))
        return redirect("accounts:my_pages")
    return render(request, "accounts/verify_confirm.html", {"verified_user": user})


def _verify_already_done(request: HttpRequest) -> HttpResponse:
    """A verification link used again: it logs no one in (it would be a standing log-in
    link otherwise), it says the address is confirmed and offers the log-in form."""
    return render(request, "accounts/verify_used.html", {"form": EmailAuthenticationForm(request)})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_email_verified:
        messages.info(request, _("Din e-postadress är redan bekräftad."))
    elif ratelimit.hit("resend", str(user.pk), limit=3):
        services.verification_email_send(user=user)
        messages.success(
            request, _("Vi har skickat en ny länk till %(email)s.") % {"email": user.email}
        )
    else:
        messages.error(request, _("Du har bett om många länkar. Vänta en stund och försök igen."))
    return redirect("accounts:my_pages")


class LoginView(auth_views.LoginView):
    """Log-in by e-mail, with failed attempts limited per client address and per account."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ip = ratelimit.client_ip(request)
        email = str(request.POST.get("username", "")).strip().lower()
        limit = settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR
        if ratelimit.is_limited("login-ip", ip, limit=limit * 5) or ratelimit.is_limited(
            "login-account", email, limit=limit
        ):
            return render(request, "accounts/rate_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        limit = settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR
        ratelimit.hit("login-ip", ratelimit.client_ip(self.request), limit=limit * 5)
        ratelimit.hit(
            "login-account", str(form.data.get("username", "")).strip().lower(), limit=limit
        )
        return super().form_invalid(form)

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user: User = form.get_user()  # type: ignore[assignment]
        return set_language_cookie(response, user.language)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["email"].label = _("E-postadress")
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        if not ratelimit.hit("reset", ratelimit.client_ip(self.request), limit=10):
            return render(self.request, "accounts/rate_limited.html", status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator(reauth_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_pages")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Ditt lösenord är ändrat."))
        return response


@login_required
def my_pages(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    staff = selectors.is_staff_member(user)
    return render(
        request,
        "accounts/my_pages.html",
        {
            # Staff see their two-factor state; citizens sign in with e-ID where it matters.
            "show_two_factor": staff,
            "has_two_factor": staff and selectors.has_two_factor(user),
            "recovery_codes_left": selectors.recovery_codes_left(user) if staff else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=user, actor=user, **{field: form.cleaned_data[field] for field in form.Meta.fields}
        )
        messages.success(request, _("Dina uppgifter är sparade."))
        return set_language_cookie(redirect("accounts:my_pages"), user.language)
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    data = services.personal_data_export(user=user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter-torget.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_close(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = CloseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if user.is_superuser:
            messages.error(request, _("Ett superanvändarkonto kan inte avslutas här."))
            return redirect("accounts:my_pages")
        services.account_close(user=user, actor=user)
        logout(request)
        return redirect("accounts:account_closed")
    return render(request, "accounts/account_close.html", {"form": form})


def account_closed(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_closed.html")
