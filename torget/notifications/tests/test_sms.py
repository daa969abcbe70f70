import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from torget.accounts.tests.factories import CitizenFactory
from torget.geo.tests.factories import AreaFactory
from torget.notifications import sms
from torget.notifications.models import Delivery, DeliveryStatus, Subscription
from torget.notifications.phones import display, normalize_mobile
from torget.notifications.selectors import delivery_states, stop_code
from torget.notifications.services import notify, subscription_create
from torget.notifications.tests.factories import SubscriptionFactory


class TestPhoneNumbers:
    @pytest.mark.parametrize(
        ("raw", "e164"),
        [
            ("070-123 45 67", "+46701234567"),
            ("0701234567", "+46701234567"),
            ("+46 70 123 45 67", "+46701234567"),
            ("0046701234567", "+46701234567"),
            ("+47 412 34 567", "+4741234567"),  # a Norwegian mobile
        ],
    )
    def test_mobile_numbers_become_e164(self, raw, e164):
        assert normalize_mobile(raw) == e164

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("hej", "med siffror"),
            ("070-12", "finns inte"),
            ("08-123 456 78", "mobilnummer"),  # a Stockholm landline
        ],
    )
    def test_other_input_is_refused_with_a_reason(self, raw, message):
        with pytest.raises(ValidationError, match=message):
            normalize_mobile(raw)

    def test_display_is_the_swedish_way(self):
        assert display("+46701234567") == "070-123 45 67"


@pytest.mark.django_db
class TestFortySixElks:
    def test_a_message_is_posted_to_46elks_with_basic_auth_and_form_fields(self, elks, drain):
        user = CitizenFactory(phone="070-123 45 67")
        notify(
            template="test.event", context={"title": "Vattenläcka"}, users=[user], channels=["sms"]
        )
        drain()
        [request] = elks.requests
        assert request == {
            "from": "Storeby",
            "to": "+46701234567",
            "message": "Vattenläcka har hänt. http://127.0.0.1:8000/",
        }
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.provider_id == "s00001"

    def test_subscription_texts_end_with_an_unsubscribe_link(self, elks, drain):
        area = AreaFactory(name="Berga")
        subscription = subscription_create(
            target=area, user=CitizenFactory(), by_email=False, by_sms=True, phone="0701234567"
        )
        notify(
            template="test.event",
            context={"title": "Dialog"},
            followers_of=[area],
            channels=["sms"],
        )
        drain()
        [request] = elks.requests
        assert request["message"].endswith(f"/sluta/{stop_code(subscription)}/")
        assert request["message"].startswith(
            "Dialog har hänt. http://127.0.0.1:8000/\nAvsluta: http"
        )

    def test_a_server_error_is_retried(self, elks, drain, settings):
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 0
        elks.fail_with = [503]
        notify(
            template="test.event", context={"title": "x"}, phones=["0701234567"], channels=["sms"]
        )
        drain()
        assert Delivery.objects.get().status == DeliveryStatus.FAILED
        drain()
        assert Delivery.objects.get().status == DeliveryStatus.SENT
        assert len(elks.requests) == 1

    def test_a_refused_message_is_given_up(self, elks, drain):
        elks.fail_with = [403]
        notify(
            template="test.event", context={"title": "x"}, phones=["0701234567"], channels=["sms"]
        )
        drain()
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.DEAD
        assert "403" in delivery.last_error

    def test_wrong_credentials_are_refused_by_the_server(self, elks, settings):
        settings.SMS_URL = elks.url.replace("hemligt", "fel")
        with pytest.raises(sms.SmsError, match="401") as error:
            sms.get_backend().send(to="+46701234567", message="hej")
        assert error.value.permanent

    def test_long_texts_are_cut_to_one_sms(self):
        assert len(sms.fit("a" * 1000)) == sms.MAX_LENGTH


@pytest.mark.django_db
class TestSmsSwitchedOff:
    def test_forms_do_not_offer_sms_without_a_gateway(self, client, settings):
        settings.SMS_URL = ""
        area = AreaFactory()
        html = client.get(f"/bevaka/omrade/{area.pk}/").content.decode()
        assert 'value="sms"' not in html
        assert 'name="phone"' not in html

    def test_a_follow_choosing_sms_without_a_gateway_is_refused_with_the_reason(
        self, client, settings
    ):
        settings.SMS_URL = ""
        area = AreaFactory()
        response = client.post(
            f"/bevaka/omrade/{area.pk}/",
            {
                "email": "anna@example.se",
                "channels": ["email", "sms"],
                "phone": "070-123 45 67",
                "frequency": "immediate",
            },
        )
        assert "Kommunen skickar inte sms." in response.content.decode()
        assert not Subscription.objects.exists()

    def test_with_a_gateway_the_follow_form_offers_sms(self, client):
        area = AreaFactory()
        html = client.get(f"/bevaka/omrade/{area.pk}/").content.decode()
        assert 'value="sms"' in html
        assert 'name="phone"' in html

    def test_an_sms_subscription_is_kept_by_e_mail_once_sms_is_switched_off(self, client, settings):
        subscription = SubscriptionFactory(by_email=False, by_sms=True, phone="+46701234567")
        settings.SMS_URL = ""
        url = reverse("notifications:manage", kwargs={"token": subscription.token})
        html = client.get(url).content.decode()
        assert 'value="sms"' not in html and 'value="email"' in html
        response = client.post(url, {"channels": ["email"], "frequency": "weekly"})
        assert response.status_code == 302
        subscription.refresh_from_db()
        assert (subscription.by_email, subscription.by_sms) == (True, False)


@pytest.mark.django_db
class TestSmsSubscriptionsWithoutAGateway:
    def _notify_followers(self, subscription):
        notify(
            template="test.event",
            context={"title": "Dialog"},
            followers_of=[subscription.target],
            channels=["email", "sms"],
        )

    def test_an_sms_only_subscription_gets_e_mail_when_sms_is_switched_off(self, settings, drain):
        subscription = SubscriptionFactory(by_email=False, by_sms=True, phone="+46701234567")
        settings.SMS_URL = ""
        self._notify_followers(subscription)
        drain()
        deliveries = list(Delivery.objects.filter(subscription=subscription))
        assert [(d.channel, d.to) for d in deliveries] == [("email", subscription.email)]

    def test_with_sms_on_the_same_subscription_gets_its_sms(self, elks, drain):
        subscription = SubscriptionFactory(by_email=False, by_sms=True, phone="+46701234567")
        self._notify_followers(subscription)
        drain()
        deliveries = list(Delivery.objects.filter(subscription=subscription))
        assert [d.channel for d in deliveries] == ["sms"]


@pytest.mark.django_db
class TestDeliveryStates:
    def test_each_status_is_shown_with_its_time_and_label(self):
        notification = notify(template="test.event", emails=["a@example.se", "b@example.se"])
        sent, failed = notification.deliveries.order_by("to")
        Delivery.objects.filter(pk=sent.pk).update(
            status=DeliveryStatus.SENT, sent_at=sent.created_at
        )
        Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=2)
        states = delivery_states([notification.pk, None])
        [a, b] = states[notification.pk]
        assert (a.to, a.label, a.at_label, a.at) == (
            "a@example.se",
            "Skickat",
            "skickat",
            sent.created_at,
        )
        assert (b.label, b.at_label, b.attempts, b.is_problem) == (
            "Misslyckat, försöker igen",
            "nästa försök",
            2,
            True,
        )

    def test_no_notifications_cost_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert delivery_states([None]) == {}
