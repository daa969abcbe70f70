"""The daily digest: a follower who chose "once a day" gets one message a day with all that
happened, by their channels, at NOTIFICATIONS_DAILY_DIGEST_HOUR; an immediate follower gets
each notice at once. And the fan-out's passing over of those a notice is not for
(notify(except_users=…)), and the SMS choice read for a direct message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.geo.tests.factories import AreaFactory
from torget.notifications import selectors, sending, sms
from torget.notifications.models import DigestItem, Frequency, SchedulerState, Subscription
from torget.notifications.services import notify, sms_stop, subscription_create
from torget.notifications.tasks import tick
from torget.notifications.tests.factories import SubscriptionFactory
from torget.testing.worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def berga():
    return AreaFactory(name="Berga", parent=AreaFactory(name="Storeby kommun"))


def event(area, title: str, **kwargs):
    return notify(
        template="test.event",
        context={"title": title, "url": area.get_absolute_url()},
        followers_of=[area],
        **kwargs,
    )


def sweep() -> None:
    """One periodic sweep of the worker, and the work it queues."""
    tick.call()
    run_queued_tasks()


def due_now(job: str) -> SchedulerState:
    state, _ = SchedulerState.objects.get_or_create(job=job)
    state.next_run_at = timezone.now() - datetime.timedelta(seconds=1)
    state.save()
    return state


def not_due(job: str) -> SchedulerState:
    state, _ = SchedulerState.objects.get_or_create(job=job)
    state.next_run_at = timezone.now() + datetime.timedelta(hours=1)
    state.save()
    return state


class TestDailyDigest:
    def test_daily_followers_get_one_message_a_day_with_everything(self, berga, smtp_server, drain):
        SubscriptionFactory(target=berga, email="dag@example.se", frequency=Frequency.DAILY)
        SubscriptionFactory(target=berga, email="direkt@example.se")
        event(berga, "Vattenläcka")
        event(berga, "Möte i Berga")
        event(berga, "Ny lekplats")
        drain()
        assert len(smtp_server.to("direkt@example.se")) == 3
        assert smtp_server.to("dag@example.se") == []
        assert sending.digests_compose(frequencies=[Frequency.DAILY]) == 1
        drain()
        [mail] = smtp_server.to("dag@example.se")
        assert mail.subject == "Dagens nyheter om Berga"
        assert "det senaste dygnet" in mail.text
        for title in ("Vattenläcka", "Möte i Berga", "Ny lekplats"):
            assert f"Händelse: {title}" in mail.text
        assert "List-Unsubscribe" in mail.message
        assert sending.digests_compose(frequencies=[Frequency.DAILY]) == 0

    def test_a_daily_digest_goes_by_sms_to_a_follower_by_sms(self, berga, drain):
        SubscriptionFactory(
            target=berga,
            by_email=False,
            by_sms=True,
            phone="+46701234567",
            frequency=Frequency.DAILY,
        )
        event(berga, "Vattenläcka")
        event(berga, "Möte i Berga")
        drain()
        assert sms.outbox == []
        sending.digests_compose(frequencies=[Frequency.DAILY])
        drain()
        [text] = sms.outbox
        assert text.to == "+46701234567"
        assert text.message.startswith("2 nyheter om Berga")
        assert "Vattenläcka" in text.message

    def test_a_daily_digest_goes_by_both_channels_to_a_follower_by_both(
        self, berga, smtp_server, drain, elks
    ):
        SubscriptionFactory(
            target=berga,
            email="bada@example.se",
            by_sms=True,
            phone="+46707654321",
            frequency=Frequency.DAILY,
        )
        event(berga, "Vattenläcka")
        drain()
        sending.digests_compose(frequencies=[Frequency.DAILY])
        drain()
        assert len(smtp_server.to("bada@example.se")) == 1
        [request] = elks.requests
        assert request["to"] == "+46707654321" and "Vattenläcka" in request["message"]

    def test_the_daily_job_runs_once_a_day_and_leaves_the_weekly_digests(
        self, berga, smtp_server, drain, settings
    ):
        settings.NOTIFICATIONS_DAILY_DIGEST_HOUR = 7
        SubscriptionFactory(target=berga, email="dag@example.se", frequency=Frequency.DAILY)
        SubscriptionFactory(target=berga, email="vecka@example.se", frequency=Frequency.WEEKLY)
        not_due(sending.WEEKLY_DIGEST_JOB)
        job = not_due(sending.DAILY_DIGEST_JOB)
        event(berga, "Vattenläcka")
        drain()
        sweep()
        assert smtp_server.messages == []
        due_now(sending.DAILY_DIGEST_JOB)
        sweep()
        sweep()
        assert len(smtp_server.to("dag@example.se")) == 1
        assert smtp_server.to("vecka@example.se") == []
        assert DigestItem.objects.get().subscription.email == "vecka@example.se"
        job.refresh_from_db()
        assert job.next_run_at > timezone.now()
        assert timezone.localtime(job.next_run_at).hour == 7
        # The weekly job's turn: the weekly digest, and nothing more for the daily one.
        due_now(sending.WEEKLY_DIGEST_JOB)
        sweep()
        [weekly] = smtp_server.to("vecka@example.se")
        assert weekly.subject == "Veckans nyheter om Berga"
        assert len(smtp_server.to("dag@example.se")) == 1

    def test_what_waits_for_someone_who_switched_to_immediate_goes_out_the_next_day(
        self, berga, smtp_server, drain
    ):
        subscription = SubscriptionFactory(
            target=berga, email="bytt@example.se", frequency=Frequency.WEEKLY
        )
        event(berga, "Vattenläcka")
        drain()
        subscription.frequency = Frequency.IMMEDIATE
        subscription.save()
        assert sending.digests_compose(frequencies=sending.DAILY_JOB_FREQUENCIES) == 1
        drain()
        [mail] = smtp_server.to("bytt@example.se")
        assert "Vattenläcka" in mail.text

    def test_the_next_daily_digest_is_at_the_configured_hour_today_or_tomorrow(self, settings):
        settings.NOTIFICATIONS_DAILY_DIGEST_HOUR = 18
        morning = timezone.make_aware(datetime.datetime(2026, 11, 25, 9, 0))  # noqa: DTZ001
        evening = timezone.make_aware(datetime.datetime(2026, 11, 25, 18, 0))  # noqa: DTZ001
        today = timezone.localtime(sending.next_daily_digest_time(morning))
        tomorrow = timezone.localtime(sending.next_daily_digest_time(evening))
        assert (today.day, today.hour) == (25, 18)
        assert (tomorrow.day, tomorrow.hour) == (26, 18)

    def test_across_the_change_to_winter_time_the_hour_stays_the_local_hour(self, settings):
        settings.NOTIFICATIONS_DAILY_DIGEST_HOUR = 7
        saturday = timezone.make_aware(datetime.datetime(2026, 10, 24, 8, 0))  # noqa: DTZ001
        sunday = timezone.localtime(sending.next_daily_digest_time(saturday))
        assert (sunday.day, sunday.hour) == (25, 7)


class TestChoosingDaily:
    def test_the_follow_form_offers_once_a_day(self, client, berga):
        html = client.get(reverse("notifications:follow", args=["omrade", berga.pk])).content
        assert 'value="daily"' in html.decode() and "En gång om dagen" in html.decode()

    def test_a_signed_in_citizen_chooses_once_a_day_and_sees_it_on_my_subscriptions(
        self, client, berga
    ):
        client.force_login(CitizenFactory())
        client.post(
            reverse("notifications:follow", args=["omrade", berga.pk]),
            {"channels": ["email"], "frequency": "daily"},
        )
        assert Subscription.objects.get().frequency == Frequency.DAILY
        html = client.get(reverse("notifications:my_subscriptions")).content.decode()
        assert "<td>En gång om dagen</td>" in html

    def test_the_manage_page_changes_to_once_a_day(self, client, berga):
        subscription = SubscriptionFactory(target=berga)
        url = reverse("notifications:manage", kwargs={"token": subscription.token})
        assert 'value="daily"' in client.get(url).content.decode()
        client.post(url, {"channels": ["email"], "frequency": "daily"})
        subscription.refresh_from_db()
        assert subscription.frequency == Frequency.DAILY


class TestPassedOver:
    def test_followers_passed_over_hear_nothing_the_others_do(self, berga, smtp_server, drain):
        writer = CitizenFactory(email="skribent@example.se")
        subscription_create(target=berga, user=writer)
        SubscriptionFactory(target=berga, email="skribent@example.se")  # without signing in
        SubscriptionFactory(target=berga, email="annan@example.se", frequency=Frequency.DAILY)
        event(berga, "Vattenläcka", except_users=[writer])
        drain()
        assert smtp_server.to("skribent@example.se") == []
        assert DigestItem.objects.get().subscription.email == "annan@example.se"

    def test_without_anyone_passed_over_the_context_is_as_given(self, berga):
        notification = event(berga, "Vattenläcka")
        assert notification.context == {"title": "Vattenläcka", "url": berga.get_absolute_url()}


class TestSmsChosenForADirectMessage:
    def test_the_confirmed_number_of_a_follower_by_sms(self, berga):
        user = CitizenFactory()
        subscription_create(
            target=berga, user=user, by_email=False, by_sms=True, phone="0701234567"
        )
        assert selectors.sms_number_chosen_by(user, [berga]) == "+46701234567"

    def test_following_what_the_object_lies_in_counts(self, berga):
        user = CitizenFactory()
        subscription_create(target=berga.parent, user=user, by_sms=True, phone="0701234567")
        assert selectors.sms_number_chosen_by(user, [berga]) == "+46701234567"

    def test_no_number_for_a_follower_by_e_mail(self, berga):
        user = CitizenFactory(phone="+46701234567")
        subscription_create(target=berga, user=user)
        assert selectors.sms_number_chosen_by(user, [berga]) == ""

    def test_no_number_for_someone_following_something_else(self, berga):
        user = CitizenFactory()
        subscription_create(target=AreaFactory(), user=user, by_sms=True, phone="0701234567")
        assert selectors.sms_number_chosen_by(user, [berga]) == ""

    def test_no_number_that_is_unconfirmed_or_stopped(self, berga):
        user = CitizenFactory()
        SubscriptionFactory(
            target=berga,
            user=user,
            email="",
            by_sms=True,
            phone="+46701234567",
            phone_confirmed_at=None,
        )
        assert selectors.sms_number_chosen_by(user, [berga]) == ""
        Subscription.objects.update(phone_confirmed_at=timezone.now())
        assert selectors.sms_number_chosen_by(user, [berga]) == "+46701234567"
        sms_stop(phone="+46701234567")
        assert selectors.sms_number_chosen_by(user, [berga]) == ""

    def test_no_number_when_the_municipality_sends_no_sms(self, berga, settings):
        user = CitizenFactory()
        subscription_create(target=berga, user=user, by_sms=True, phone="0701234567")
        settings.SMS_URL = ""
        assert selectors.sms_number_chosen_by(user, [berga]) == ""
