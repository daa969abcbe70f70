from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from torget.accounts.models import User
from torget.accounts.permissions import has_perm
from torget.accounts.types import signed_in
from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.notifications import registry, selectors, services
from torget.notifications.forms import FollowForm, PhoneCodeForm, SubscriptionChoicesForm
from torget.notifications.models import Delivery, DeliveryStatus, Subscription
from torget.notifications.phones import display


def _follow_limited(request: HttpRequest, form: Any, user: User | None) -> bool:
    """Anonymous follows per hour, from one connection and to one e-mail address: each
    sends a mail, so over the limit the form says so and nothing is sent. The answer is the
    same whether or not the address follows anything."""
    if user is not None:
        return False
    email = str(form.cleaned_data.get("email", "")).lower()
    within = ratelimit.hit(
        "follow-ip", ratelimit.client_ip(request), limit=settings.FOLLOW_RATE_PER_IP
    ) and ratelimit.hit("follow-email", email, limit=settings.FOLLOW_RATE_PER_EMAIL)
    if not within:
        form.add_error(
            None,
            _(
                "Det har kommit för många bevakningar härifrån eller till den adressen. Försök igen om en stund."
            ),
        )
    return not within


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    followable = registry.by_kind(kind)
    if followable is None:
        raise Http404
    target = get_object_or_404(followable.model, pk=pk)
    if not followable.visible(target):
        raise Http404
    user = request.user if request.user.is_authenticated else None
    form_class = SubscriptionChoicesForm if user else FollowForm
    initial = {"phone": getattr(user, "phone", "")} if user else {}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and not _follow_limited(request, form, user):
        try:
            subscription = services.subscription_create(
                target=target,
                user=user,  # type: ignore[arg-type]
                email=form.cleaned_data.get("email", ""),
                language=request.LANGUAGE_CODE,  # type: ignore[attr-defined]
                **form.choices(),
            )
        except services.SubscriptionError as error:
            apply_service_errors(form, error)
        else:
            if user is None:
                # The same page whether the address was new, waiting or already following:
                # the answer must not tell a stranger which addresses follow what.
                return render(
                    request,
                    "notifications/check_inbox.html",
                    {
                        "target": target,
                        "email": subscription.email,
                        "by_sms": form.choices()["by_sms"],
                    },
                )
            if subscription.is_confirmed:
                messages.success(
                    request, _("Klart! Du bevakar nu %(target)s.") % {"target": target}
                )
                return redirect("notifications:my_subscriptions")
            return render(
                request,
                "notifications/check_inbox.html",
                {"target": target, "email": subscription.email_address()},
            )
    return render(
        request,
        "notifications/follow.html",
        {"form": form, "target": target, "kind_label": followable.label},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        messages.success(
            request,
            _("Tack! Din bevakning av %(target)s är bekräftad.") % {"target": subscription.target},
        )
        if subscription.awaits_phone_code:
            return _send_phone_code(request, subscription)
        return redirect("notifications:manage", token=token)
    return render(request, "notifications/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Change a subscription from the link in its messages: the token is the key, no
    account needed."""
    subscription = get_object_or_404(
        Subscription.objects.select_related("target_type"), token=token
    )
    # From the "you already follow this" mail: the choices asked for in the follow form are
    # filled in, and saved only if the reader of the inbox saves them here.
    proposed = selectors.proposed_choices(subscription, request.GET.get("val", ""))
    form = SubscriptionChoicesForm(
        request.POST or None,
        initial=SubscriptionChoicesForm.initial_for(
            subscription if proposed is None else Subscription(**proposed)
        ),
    )
    if request.method == "POST" and form.is_valid():
        owner = request.user.is_authenticated and request.user.pk == subscription.user_id
        try:
            services.subscription_update(
                subscription=subscription, phone_trusted=owner, **form.choices()
            )
        except services.SubscriptionError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Dina val är sparade."))
            if subscription.awaits_phone_code:
                return _send_phone_code(request, subscription)
            return redirect("notifications:manage", token=token)
    return render(
        request,
        "notifications/manage.html",
        {"subscription": subscription, "form": form, "proposed": proposed is not None},
    )


def _send_phone_code(request: HttpRequest, subscription: Subscription) -> HttpResponse:
    """Send a code to the subscription's number and go to the page that asks for it. Each
    code is an SMS to someone's phone: a connection may ask for only so many an hour."""
    if not ratelimit.hit(
        "phone-code-ip", ratelimit.client_ip(request), limit=settings.PHONE_CODE_RATE_PER_IP
    ):
        messages.error(
            request, _("Det har skickats för många koder härifrån. Försök igen om en stund.")
        )
    else:
        try:
            services.phone_code_send(subscription=subscription)
        except services.PhoneCodeError as error:
            messages.error(request, error.messages[0])
        else:
            messages.info(
                request,
                _("Vi har skickat en kod med sms till %(phone)s.")
                % {"phone": display(subscription.phone)},
            )
    return redirect("notifications:phone_code", token=subscription.token)


@require_http_methods(["GET", "POST"])
def phone_code(request: HttpRequest, token: str) -> HttpResponse:
    """Type back the code sent to the number given for SMS; until then no SMS goes there."""
    subscription = get_object_or_404(
        Subscription.objects.select_related("target_type"), token=token
    )
    if not subscription.awaits_phone_code:
        if request.method == "POST":
            messages.info(request, _("Det finns inget nummer som väntar på en kod."))
        return redirect("notifications:manage", token=token)
    if request.method == "POST" and "resend" in request.POST:
        return _send_phone_code(request, subscription)
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_check(subscription=subscription, code=form.cleaned_data["code"])
        except services.PhoneCodeError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Tack! Numret %(phone)s är bekräftat. Nu får du besked med sms.")
                % {"phone": display(subscription.phone)},
            )
            return redirect("notifications:manage", token=token)
    return render(
        request,
        "notifications/phone_code.html",
        {
            "subscription": subscription,
            "target": subscription.target,
            "form": form,
            "phone": display(subscription.phone),
            "minutes": settings.PHONE_CODE_MINUTES,
        },
    )


@csrf_exempt  # RFC 8058 one-click: the mail program POSTs without cookies; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        # Already gone (a second click, or the one-click POST came first): say so kindly.
        return render(request, "notifications/unsubscribed.html", {"target": None})
    if request.method == "POST":
        target = str(subscription.target)
        services.subscription_delete(subscription=subscription)
        return render(request, "notifications/unsubscribed.html", {"target": target})
    # GET never unsubscribes: link scanners in mail systems open every link.
    return render(request, "notifications/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, code: str) -> HttpResponse:
    """End a subscription from the short link in an SMS. Unlike the token, the code opens
    nothing else: the page offers no way to the subscription's settings."""
    subscription = selectors.subscription_by_stop_code(code)
    if subscription is None:
        return render(request, "notifications/unsubscribed.html", {"target": None})
    if request.method == "POST":
        target = str(subscription.target)
        services.subscription_delete(subscription=subscription)
        return render(request, "notifications/unsubscribed.html", {"target": target})
    return render(
        request, "notifications/unsubscribe.html", {"subscription": subscription, "short": True}
    )


@login_required
def my_subscriptions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/my_subscriptions.html",
        {
            "subscriptions": selectors.subscriptions_of(signed_in(request.user)).prefetch_related(
                "target"
            )
        },
    )


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "notifications.view_delivery"):
        raise PermissionDenied
    problems = (
        Delivery.objects.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.DEAD])
        .select_related("notification")
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "notifications/outbox.html",
        {
            "counts": selectors.outbox_counts(),
            "per_day": selectors.outbox_per_day(),
            "problems": problems,
            "can_retry": has_perm(request.user, "notifications.retry_delivery"),
            "statuses": DeliveryStatus,
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_perm(request.user, "notifications.retry_delivery"):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_retry(delivery=delivery, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Utskicket ligger i kön igen."))
    return redirect("notifications:outbox")
