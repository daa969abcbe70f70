"""The SMS stop list: a number that answered STOPP gets nothing more by SMS, from any app."""

import pytest

from torget.notifications import sms
from torget.notifications.models import Delivery, DeliveryStatus, SmsStop, Subscription
from torget.notifications.selectors import phone_hash, sms_numbers_following, sms_stopped
from torget.notifications.services import notify, sms_stop
from torget.notifications.tests.factories import SubscriptionFactory

PHONE = "+46701234567"


@pytest.mark.django_db
class TestSmsStop:
    def test_the_list_keeps_a_keyed_hash_not_the_number(self):
        assert sms_stop(phone="070-123 45 67")
        stop = SmsStop.objects.get()
        assert stop.phone_hash == phone_hash(PHONE)
        assert "701234567" not in stop.phone_hash
        assert sms_stopped(PHONE)

    def test_what_is_queued_for_the_number_is_given_up_and_only_the_confirmation_goes(self, drain):
        notify(template="test.event", context={"title": "Vattenläcka"}, phones=[PHONE],
               channels=["sms"])  # fmt: skip
        sms_stop(phone=PHONE)
        drain()
        assert [m.message for m in sms.outbox] == ["Du får inga fler SMS från kommunen."]
        given_up = Delivery.objects.get(notification__template="test.event")
        assert given_up.status == DeliveryStatus.DEAD

    def test_a_followers_sms_is_not_sent_after_stop(self, drain):
        follower = SubscriptionFactory(by_sms=True, phone=PHONE)
        sms_stop(phone=PHONE)
        drain()
        sms.outbox.clear()
        follower.refresh_from_db()
        assert not follower.by_sms and follower.phone == ""
        notify(template="test.event", context={"title": "X"}, followers_of=[follower.target])
        drain()
        assert sms.outbox == []
        assert Delivery.objects.filter(
            notification__template="test.event", channel="email"
        ).exists()

    def test_an_sms_only_subscription_ends(self):
        follower = SubscriptionFactory(by_sms=True, by_email=False, phone=PHONE)
        sms_stop(phone=PHONE)
        assert not Subscription.objects.filter(pk=follower.pk).exists()

    def test_a_second_stop_changes_nothing(self, drain):
        assert sms_stop(phone=PHONE)
        assert not sms_stop(phone=PHONE)
        drain()
        assert len(sms.outbox) == 1

    def test_stopped_numbers_are_not_among_an_areas_sms_followers(self):
        first = SubscriptionFactory(by_sms=True, phone=PHONE)
        SubscriptionFactory(target=first.target, by_sms=True, phone="+46707654321")
        SubscriptionFactory(target=first.target, by_sms=True, phone="+46707654322",
                            phone_confirmed_at=None)  # fmt: skip
        assert sms_numbers_following(first.target) == ["+46701234567", "+46707654321"]
        SmsStop.objects.create(phone_hash=phone_hash(PHONE))
        assert sms_numbers_following(first.target) == ["+46707654321"]
