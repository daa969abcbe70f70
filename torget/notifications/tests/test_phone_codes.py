"""A phone number given for SMS without signing in is confirmed by a code sent to that phone
before anything else is sent to it (DOMAIN §6): an e-mail confirmation proves the inbox, not
the phone, and anyone can type anyone's number."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Delivery, Notification, PhoneCode, Subscription
from torget.notifications.services import (
    PhoneCodeError,
    notify,
    phone_code_check,
    phone_code_send,
    subscription_create,
)
from torget.notifications.tests.factories import SubscriptionFactory

PHONE = "+46701234567"
CODE = re.compile(r"\b(\d{6})\b")


def _event(area):
    notify(
        template="test.event",
        context={"title": "Vattenläcka", "url": area.get_absolute_url()},
        followers_of=[area],
    )


def _code_of(request):
    return CODE.search(request["message"]).group(1)


def _follow_by_sms(client, area, smtp_server, drain):
    """Follow `area` without an account, choosing e-mail and SMS, and confirm the e-mail."""
    client.post(
        reverse("notifications:follow", kwargs={"kind": "omrade", "pk": area.pk}),
        {
            "email": "anna@example.se",
            "channels": ["email", "sms"],
            "phone": "070-123 45 67",
            "frequency": "immediate",
        },
    )
    drain()
    [mail] = smtp_server.to("anna@example.se")
    confirm_path = re.search(r"/bevakning/bekrafta/\S+/", mail.text).group(0)
    return client.post(confirm_path)


def _unconfirmed(**values):
    return SubscriptionFactory(by_sms=True, phone=PHONE, phone_confirmed_at=None, **values)


@pytest.mark.django_db
class TestPhoneConfirmation:
    def test_sms_subscription_without_login_sends_nothing_until_phone_confirmed_by_code(
        self, client, elks, smtp_server, drain
    ):
        area = AreaFactory(name="Berga")
        _event(area)  # before following: nothing to anyone
        drain()
        assert elks.requests == []

        response = _follow_by_sms(client, area, smtp_server, drain)
        subscription = Subscription.objects.get()
        assert subscription.is_confirmed and not subscription.is_phone_confirmed
        assert response.url == reverse(
            "notifications:phone_code", kwargs={"token": subscription.token}
        )
        drain()
        # The code is the one thing the number gets, through the gateway.
        [code_sms] = elks.requests
        assert code_sms["to"] == PHONE
        assert "kod" in code_sms["message"].lower()

        _event(area)
        drain()
        assert len(elks.requests) == 1, "a notice went to an unconfirmed number"
        # Nothing is lost: until the number is confirmed, the notice comes by e-mail.
        assert any("Vattenläcka" in m.subject for m in smtp_server.to("anna@example.se"))

        page = client.get(response.url).content.decode()
        assert "070-123 45 67" in page and 'autocomplete="one-time-code"' in page
        response = client.post(response.url, {"code": _code_of(code_sms)}, follow=True)
        assert "Numret 070-123 45 67 är bekräftat" in response.content.decode()
        subscription.refresh_from_db()
        assert subscription.is_phone_confirmed

        _event(area)
        drain()
        assert len(elks.requests) == 2
        assert "Vattenläcka" in elks.requests[-1]["message"]

    def test_a_wrong_code_is_refused_and_counted(self, client, drain):
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        wrong = "111111" if _sent_code() != "111111" else "222222"
        url = reverse("notifications:phone_code", kwargs={"token": subscription.token})
        response = client.post(url, {"code": wrong})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Koden stämmer inte. Du har 4 försök kvar." in page
        subscription.refresh_from_db()
        assert not subscription.is_phone_confirmed
        assert PhoneCode.objects.get().attempts == 1
        assert AuditEntry.objects.filter(action="subscription.phone_code_wrong").exists()

    def test_a_code_that_is_not_six_digits_is_refused_with_a_reason(self, client):
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        url = reverse("notifications:phone_code", kwargs={"token": subscription.token})
        response = client.post(url, {"code": "12ab"})
        assert "Koden är sex siffror" in response.content.decode()
        assert PhoneCode.objects.get().attempts == 0

    def test_an_expired_code_is_refused(self, drain):
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        code = _sent_code()
        PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(PhoneCodeError, match="slutat gälla"):
            phone_code_check(subscription=subscription, code=code)
        subscription.refresh_from_db()
        assert not subscription.is_phone_confirmed

    def test_too_many_wrong_attempts_end_the_code_even_for_the_right_one(self, settings, drain):
        settings.PHONE_CODE_MAX_ATTEMPTS = 3
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        code = _sent_code()
        wrong = "111111" if code != "111111" else "222222"
        for _ in range(3):
            with pytest.raises(PhoneCodeError):
                phone_code_check(subscription=subscription, code=wrong)
        with pytest.raises(PhoneCodeError, match="för många gånger"):
            phone_code_check(subscription=subscription, code=code)
        subscription.refresh_from_db()
        assert not subscription.is_phone_confirmed

    def test_a_new_code_replaces_the_old_one(self, client, drain):
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        first = _sent_code()
        url = reverse("notifications:phone_code", kwargs={"token": subscription.token})
        response = client.post(url, {"resend": "1"}, follow=True)
        assert "Vi har skickat en kod med sms till 070-123 45 67" in response.content.decode()
        second = _sent_code()
        if first != second:
            with pytest.raises(PhoneCodeError):
                phone_code_check(subscription=subscription, code=first)
        phone_code_check(subscription=subscription, code=second)
        subscription.refresh_from_db()
        assert subscription.is_phone_confirmed
        [entry] = AuditEntry.objects.filter(action="subscription.phone_confirmed")
        assert entry.object_repr == f"bevakning {subscription.pk}"

    def test_a_number_gets_only_a_few_codes_an_hour(self, client, settings, drain):
        settings.PHONE_CODES_PER_NUMBER = 2
        first, second = _unconfirmed(), _unconfirmed()
        phone_code_send(subscription=first)
        phone_code_send(subscription=second)
        url = reverse("notifications:phone_code", kwargs={"token": first.token})
        response = client.post(url, {"resend": "1"}, follow=True)
        assert "redan skickat flera koder" in response.content.decode()
        assert PhoneCode.objects.count() == 2

    def test_one_connection_may_ask_for_only_a_few_codes_an_hour(self, client, settings):
        settings.PHONE_CODE_RATE_PER_IP = 1
        first, second = _unconfirmed(), _unconfirmed()
        Subscription.objects.filter(pk=second.pk).update(phone="+46707654321")
        for subscription in (first, second):
            url = reverse("notifications:phone_code", kwargs={"token": subscription.token})
            response = client.post(url, {"resend": "1"}, follow=True)
        assert "för många koder härifrån" in response.content.decode()
        assert PhoneCode.objects.count() == 1

    def test_the_code_is_kept_only_as_a_keyed_hash_and_leaves_the_outbox_once_sent(self, drain):
        subscription = _unconfirmed()
        phone_code_send(subscription=subscription)
        code = Notification.objects.get(template="notifications.phone_code").context["code"]
        stored = PhoneCode.objects.get()
        assert code not in stored.code_hash and len(stored.code_hash) == 64
        drain()
        notification = Notification.objects.get(template="notifications.phone_code")
        assert "code" not in notification.context

    def test_a_new_number_given_from_the_manage_link_waits_for_its_code(self, client, drain):
        subscription = SubscriptionFactory(by_sms=True, phone=PHONE)
        assert subscription.is_phone_confirmed
        url = reverse("notifications:manage", kwargs={"token": subscription.token})
        response = client.post(
            url,
            {"channels": ["email", "sms"], "phone": "070-765 43 21", "frequency": "immediate"},
        )
        assert response.url == reverse(
            "notifications:phone_code", kwargs={"token": subscription.token}
        )
        subscription.refresh_from_db()
        assert subscription.phone == "+46707654321" and not subscription.is_phone_confirmed
        drain()
        assert [d.to for d in Delivery.objects.filter(channel="sms")] == ["+46707654321"]

    def test_a_number_given_signed_in_needs_no_code(self):
        subscription = subscription_create(
            target=AreaFactory(), user=CitizenFactory(), by_sms=True, phone="0701234567"
        )
        assert subscription.is_phone_confirmed
        assert not PhoneCode.objects.exists()

    def test_the_code_page_without_a_waiting_number_leads_to_the_subscription(self, client):
        subscription = SubscriptionFactory()
        url = reverse("notifications:phone_code", kwargs={"token": subscription.token})
        response = client.get(url)
        assert response.url == reverse("notifications:manage", kwargs={"token": subscription.token})


def _sent_code():
    """The code in the latest code SMS queued (read before the outbox forgets it)."""
    notification = Notification.objects.filter(template="notifications.phone_code").latest("pk")
    return notification.context["code"]
