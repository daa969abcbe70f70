"""Writes of the notifications app. Every other app notifies through `notify`."""

import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from torget.accounts.models import User, normalize_email
from torget.audit import services as audit
from torget.notifications import notices, registry, selectors
from torget.notifications.models import (
    ATTACHMENTS_CONTEXT,
    EXCEPT_USERS_CONTEXT,
    SECRET_CONTEXT,
    Channel,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notification,
    PhoneCode,
    SmsStop,
    Subscription,
)
from torget.notifications.phones import normalize_mobile
from torget.notifications.sending import SMS_STOPPED, STOPPED_ERROR


def _wake_worker(*, expand: Notification | None = None) -> None:
    """Ask the worker to act once the transaction has committed. The outbox rows are the
    truth; if this wake-up is lost (a crash right after commit, a queue that is down), the
    worker's periodic sweep finds the rows anyway."""
    from torget.notifications import tasks

    def enqueue() -> None:
        if expand is not None:
            tasks.expand_notification.enqueue(expand.pk)
        else:
            tasks.deliver_batch.enqueue()

    transaction.on_commit(enqueue, robust=True)


def _check_template(template: str, channels: Sequence[str]) -> None:
    # Fail in the caller, not later in the worker, when a template is missing.
    if Channel.EMAIL in channels:
        get_template(f"notifications/{template}/subject.txt")
        get_template(f"notifications/{template}/body.txt")
    if Channel.SMS in channels:
        get_template(f"notifications/{template}/sms.txt")


def follow_targets(objects: Iterable[models.Model]) -> list[list[int]]:
    """[[content type id, object id], …] of everything whose followers hear about `objects`."""
    targets: list[list[int]] = []
    for obj in objects:
        followable = registry.for_object(obj)
        if followable is None:
            raise TypeError(f"{type(obj).__name__} is not registered as followable")
        for target in followable.widen(obj):
            pair = [ContentType.objects.get_for_model(target).pk, int(target.pk)]
            if pair not in targets:
                targets.append(pair)
    return targets


def notify(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    users: Iterable[User] = (),
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    followers_of: Iterable[models.Model] = (),
    except_users: Iterable[User] = (),
    channels: Sequence[str] = (Channel.EMAIL,),
    language: str = "sv",
    secret: bool = False,
    attachments: Sequence[dict[str, Any]] = (),
) -> Notification:
    """Tell people something, through the transactional outbox.

    `template` is a registered notice kind (notices.register). `channels` are for the direct
    recipients (users, addresses, numbers); followers of `followers_of` each get it by the
    channels they chose, e-mail, SMS or both, decided in one place when the worker fans it out
    (sending.deliveries_for), so no caller can leave a follower's SMS out (DOMAIN §6).

    Call it inside the transaction of the change that caused it: a rollback sends nothing, a
    commit always sends. Direct recipients (users, addresses, numbers) get their deliveries
    now; followers of `followers_of` are found by the worker, so a notification to 100,000
    subscribers costs the caller one row. `context` must be JSON: ids and strings, not objects.

    `secret=True` for a context that must not outlive its sending (a personal one-time link
    to an anonymous survey): once every delivery is sent, the worker empties it.

    `except_users` are passed over among the followers: whoever wrote what the notice is
    about, or someone the caller tells directly in another notice.

    `attachments` go with every e-mail, as text: each a dict with `filename`, `content`,
    `mimetype` and optional `params` for the Content-Type (an iCalendar invitation:
    `{"method": "REQUEST"}`).
    """
    kind = notices.get(template)
    followers_of = list(followers_of)
    if followers_of and not kind.followers:
        raise ValueError(
            f"{template} is not registered for followers: notices.register(…, followers=True)"
        )
    channels = [Channel(c) for c in channels]
    if any(c not in kind.channels for c in channels):
        raise ValueError(f"{template} proves an address and goes only by {kind.proves}")
    _check_template(template, kind.channels)
    context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    if secret:
        context[SECRET_CONTEXT] = True
    if passed_over := sorted({user.pk for user in except_users if user.pk is not None}):
        context[EXCEPT_USERS_CONTEXT] = passed_over
    if attachments:
        context[ATTACHMENTS_CONTEXT] = [
            {
                "filename": str(a["filename"]),
                "content": str(a["content"]),
                "mimetype": str(a["mimetype"]),
                "params": {str(k): str(v) for k, v in a.get("params", {}).items()},
            }
            for a in attachments
        ]
    notification = Notification.objects.create(
        template=template,
        context=context,
        channels=[str(c) for c in channels],
        audience=follow_targets(followers_of),
    )
    deliveries: list[Delivery] = []

    def add(channel: Channel, to: str, user: User | None = None, lang: str = language) -> None:
        deliveries.append(
            Delivery(notification=notification, channel=channel, to=to, user=user, language=lang)
        )

    for user in users:
        if not user.is_active:
            continue
        if Channel.EMAIL in channels and user.email:
            add(Channel.EMAIL, user.email, user, user.language)
        if Channel.SMS in channels and user.phone:
            add(Channel.SMS, normalize_mobile(user.phone), user, user.language)
    for email in emails:
        email = normalize_email(email)
        validate_email(email)
        if Channel.EMAIL in channels:
            add(Channel.EMAIL, email)
    for phone in phones:
        if Channel.SMS in channels:
            add(Channel.SMS, normalize_mobile(phone))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    if notification.audience:
        _wake_worker(expand=notification)
    else:
        notification.expanded_at = timezone.now()
        notification.save(update_fields=["expanded_at"])
        if deliveries:
            _wake_worker()
    return notification


# --- Subscriptions ---------------------------------------------------------------------------


class SubscriptionError(ValidationError):
    pass


def clean_addresses(*, email: str, phone: str) -> tuple[str, str, dict[str, list[str]]]:
    """An e-mail address normalised and a mobile number as E.164, each only when given, with
    the errors by field ("email", "phone"): the one check of where a message may go."""
    errors: dict[str, list[str]] = {}
    if email:
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                _("Skriv en e-postadress med @ och domän, till exempel namn@example.se.")
            ]
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as error:
            errors["phone"] = list(error.messages)
    return email, phone, errors


def _clean_contact(*, email: str, phone: str, by_email: bool, by_sms: bool) -> tuple[str, str]:
    email, phone, errors = clean_addresses(email=email, phone=phone)
    if not by_email and not by_sms:
        errors.setdefault("__all__", []).append(
            _("Välj minst ett sätt att få besked: e-post eller sms.")
        )
    if by_sms and not phone and "phone" not in errors:
        errors["phone"] = [_("Skriv ditt mobilnummer för att få sms.")]
    if errors:
        raise SubscriptionError(errors)
    return email, phone


@transaction.atomic
def subscription_create(
    *,
    target: models.Model,
    user: User | None = None,
    email: str = "",
    phone: str = "",
    by_email: bool = True,
    by_sms: bool = False,
    frequency: str = Frequency.IMMEDIATE,
    language: str = "sv",
) -> Subscription:
    """Follow `target`. A signed-in user with a verified address is subscribed at once;
    anyone else confirms by a link in an e-mail first (double opt-in).

    A signed-in user following the same thing again updates their choices. Without an
    account, an address that already follows `target` is changed by nothing here: the
    inbox is sent a link instead, and the subscription as it stands is returned.
    """
    if registry.for_object(target) is None:
        raise TypeError(f"{type(target).__name__} is not registered as followable")
    if user is None and not email:
        raise SubscriptionError({"email": [_("Skriv din e-postadress.")]})
    email, phone = _clean_contact(email=email, phone=phone, by_email=by_email, by_sms=by_sms)
    target_type = ContentType.objects.get_for_model(target)
    lookup: dict[str, Any] = {"target_type": target_type, "target_id": target.pk}
    if user is not None:
        lookup["user"] = user
    else:
        lookup.update(user__isnull=True, email=email)
    subscription = Subscription.objects.select_for_update().filter(**lookup).first()
    if subscription is not None and user is None:
        # Anyone can type any address into the follow form, so the form proves nothing about
        # who is asking: the subscription belongs to whoever reads that inbox, and only its
        # link changes it (issue 15). The caller answers alike either way.
        _tell_existing_follower(
            subscription,
            {"by_email": by_email, "by_sms": by_sms, "phone": phone, "frequency": frequency},
        )
        return subscription
    if subscription is None:
        subscription = Subscription(
            target_type=target_type, target_id=target.pk, user=user, email="" if user else email
        )
    # A number given signed in is the account holder's word; one given without signing in
    # waits for the code sent to it (phone_code_send) before anything else goes there.
    _set_phone(subscription, phone, trusted=user is not None)
    subscription.by_email = by_email
    subscription.by_sms = by_sms
    subscription.frequency = frequency
    subscription.language = user.language if user else language
    if user is not None and user.is_email_verified and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
    subscription.full_clean()
    subscription.save()
    if not subscription.is_confirmed:
        _send_confirmation(subscription)
    return subscription


def _send_confirmation(subscription: Subscription) -> None:
    notify(
        template="notifications.confirm_subscription",
        context={
            "target": str(subscription.target),
            "url": reverse("notifications:confirm", kwargs={"token": subscription.token}),
        },
        emails=[subscription.email_address()],
        language=subscription.language,
    )


def _tell_existing_follower(subscription: Subscription, choices: dict[str, Any]) -> None:
    """Someone asked, without an account, to follow what this address already follows."""
    if not subscription.is_confirmed:
        # Nobody has shown they read the inbox yet: the same confirmation link again. Once
        # confirmed, the manage page it leads to is where the choices change.
        _send_confirmation(subscription)
        return
    url = reverse("notifications:manage", kwargs={"token": subscription.token})
    proposed = urlencode({"val": selectors.proposed_choices_sign(subscription, choices)})
    notify(
        template="notifications.already_subscribed",
        context={"target": str(subscription.target), "url": f"{url}?{proposed}"},
        emails=[subscription.email_address()],
        language=subscription.language,
        # The manage link is a standing key to the subscription; don't keep it after sending.
        secret=True,
    )


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def _set_phone(subscription: Subscription, phone: str, *, trusted: bool) -> None:
    if phone != subscription.phone:
        subscription.phone = phone
        subscription.phone_confirmed_at = None
    if trusted and phone and subscription.phone_confirmed_at is None:
        subscription.phone_confirmed_at = timezone.now()


@transaction.atomic
def subscription_update(
    *,
    subscription: Subscription,
    by_email: bool,
    by_sms: bool,
    phone: str,
    frequency: str,
    phone_trusted: bool = False,
) -> Subscription:
    """Change a subscription's choices. `phone_trusted` when the subscription's own account
    holder, signed in, made the change; a new number from anyone else waits for its code."""
    _email, phone = _clean_contact(email="", phone=phone, by_email=by_email, by_sms=by_sms)
    subscription.by_email = by_email
    subscription.by_sms = by_sms
    _set_phone(subscription, phone, trusted=phone_trusted)
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save()
    return subscription


# --- Confirming a phone number by a code sent to it (DOMAIN §6) --------------------------------


class PhoneCodeError(ValidationError):
    pass


PHONE_CODE_SALT = "torget.notifications.phone-code"


def _phone_code_hash(subscription: Subscription, phone: str, code: str) -> str:
    # Keyed with the site's secret: six digits are too few to survive a plain hash, and a
    # copy of the database alone must not give the codes away.
    return salted_hmac(
        PHONE_CODE_SALT, f"{subscription.pk}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def phone_code_send(*, subscription: Subscription) -> PhoneCode:
    """Send a new code to the number the subscription asks SMS for; earlier codes stop
    working. The code SMS is the only thing sent to an unconfirmed number, and a number gets
    only a few an hour, however many subscriptions name it."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if not subscription.awaits_phone_code:
        raise PhoneCodeError(_("Numret är redan bekräftat, eller så har du inte valt sms."))
    now = timezone.now()
    recent = PhoneCode.objects.filter(
        phone=subscription.phone, created_at__gt=now - timedelta(hours=1)
    ).count()
    if recent >= settings.PHONE_CODES_PER_NUMBER:
        raise PhoneCodeError(
            _(
                "Vi har redan skickat flera koder till det numret den senaste timmen. "
                "Försök igen om en stund."
            ),
            code="rate",
        )
    PhoneCode.objects.filter(subscription=subscription, used_at__isnull=True).update(expires_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    phone_code = PhoneCode.objects.create(
        subscription=subscription,
        phone=subscription.phone,
        code_hash=_phone_code_hash(subscription, subscription.phone, code),
        expires_at=now + timedelta(minutes=settings.PHONE_CODE_MINUTES),
    )
    audit.record(
        action="subscription.phone_code_sent",
        obj=subscription,
        actor=subscription.user,
        actor_label="" if subscription.user_id else "bevakare",
    )
    notify(
        template="notifications.phone_code",
        context={"code": code, "minutes": settings.PHONE_CODE_MINUTES},
        phones=[subscription.phone],
        channels=[Channel.SMS],
        language=subscription.language,
        # The code must not stay readable in the outbox once it has been sent.
        secret=True,
    )
    return phone_code


def phone_code_check(*, subscription: Subscription, code: str) -> Subscription:
    """Confirm the subscription's number with the code sent to it, or say why not. A wrong
    try is counted even though the check is refused."""
    error = _phone_code_try(subscription, "".join(code.split()))
    if error:
        raise PhoneCodeError({"code": [error]})
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def _phone_code_try(subscription: Subscription, code: str) -> str:
    now = timezone.now()
    phone_code = (
        PhoneCode.objects.select_for_update()
        .filter(subscription=subscription, phone=subscription.phone, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if phone_code is None:
        return _("Det finns ingen kod att bekräfta med. Be om en ny kod.")
    if phone_code.expires_at <= now:
        return _("Koden har slutat gälla. Be om en ny kod.")
    limit = settings.PHONE_CODE_MAX_ATTEMPTS
    if phone_code.attempts >= limit:
        return _("Du har skrivit fel kod för många gånger. Be om en ny kod.")
    expected = _phone_code_hash(subscription, subscription.phone, code)
    if not constant_time_compare(phone_code.code_hash, expected):
        phone_code.attempts += 1
        phone_code.save(update_fields=["attempts"])
        audit.record(
            action="subscription.phone_code_wrong",
            obj=subscription,
            actor=subscription.user,
            actor_label="" if subscription.user_id else "bevakare",
            changes={"attempts": phone_code.attempts},
        )
        left = limit - phone_code.attempts
        if left <= 0:
            return _("Du har skrivit fel kod för många gånger. Be om en ny kod.")
        return ngettext(
            "Koden stämmer inte. Du har %(left)d försök kvar.",
            "Koden stämmer inte. Du har %(left)d försök kvar.",
            left,
        ) % {"left": left}
    phone_code.used_at = now
    phone_code.save(update_fields=["used_at"])
    Subscription.objects.filter(pk=subscription.pk, phone=phone_code.phone).update(
        phone_confirmed_at=now
    )
    audit.record(
        action="subscription.phone_confirmed",
        obj=subscription,
        actor=subscription.user,
        actor_label="" if subscription.user_id else "bevakare",
    )
    return ""


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Unsubscribe: the subscription and its contact details are removed, not kept."""
    subscription.delete()


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor: User) -> Delivery:
    """Give a message that was given up on a new round of attempts (staff action)."""
    if delivery.status != DeliveryStatus.DEAD:
        raise ValidationError(_("Bara utskick som har gett upp kan skickas om."))
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(
        actor=actor,
        action="delivery.retried",
        obj=delivery,
        changes={"last_error": delivery.last_error},
    )
    _wake_worker()
    return delivery


# --- SMS stop list ----------------------------------------------------------------------------


@transaction.atomic
def sms_stop(*, phone: str) -> bool:
    """A number answered STOPP: nothing more goes to it by SMS, from any app, at once.

    The number joins the stop list, its SMS subscriptions end (a subscription that also goes
    by e-mail keeps that), what is still queued for it by SMS is given up, and it gets one
    last message saying so. False, and nothing sent, if it was already stopped."""
    phone = normalize_mobile(phone)
    _stop, created = SmsStop.objects.get_or_create(phone_hash=selectors.phone_hash(phone))
    if not created:
        return False
    for subscription in Subscription.objects.filter(phone=phone):
        if subscription.by_email and subscription.email_address():
            subscription.by_sms = False
            subscription.phone = ""
            subscription.phone_confirmed_at = None
            subscription.save(update_fields=["by_sms", "phone", "phone_confirmed_at"])
        else:
            subscription.delete()
    Delivery.objects.filter(
        channel=Channel.SMS, to=phone, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.DEAD, last_error=STOPPED_ERROR)
    audit.record(action="sms.stopped", obj=_stop)
    notify(template=SMS_STOPPED, phones=[phone], channels=[Channel.SMS])
    return True
