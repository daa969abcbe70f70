"""The transactional outbox and the worker: nothing lost, nothing sent twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from torget.accounts.tests.factories import CitizenFactory
from torget.notifications import notices, sending
from torget.notifications.models import Delivery, DeliveryStatus, Notification
from torget.notifications.notices import UnregisteredNotice
from torget.notifications.services import notify
from torget.testing.worker import run_queued_tasks


def event(**kwargs):
    return notify(
        template="test.event", context={"title": "Vägarbete", "url": "/omraden/"}, **kwargs
    )


@pytest.fixture(autouse=True)
def _immediate_retries(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 0


@pytest.mark.django_db
class TestNotify:
    def test_direct_recipients_get_one_delivery_each(self):
        active = CitizenFactory()
        closed = CitizenFactory(is_active=False)
        notification = event(users=[active, closed], emails=["Anna@Example.se", "anna@example.se"])
        assert sorted(notification.deliveries.values_list("to", flat=True)) == sorted(
            [active.email, "anna@example.se"]
        )
        assert notification.expanded_at is not None

    def test_a_bad_address_is_refused_in_the_caller(self):
        with pytest.raises(ValidationError):
            event(emails=["inte-en-adress"])

    def test_an_unregistered_notice_kind_is_refused_in_the_caller(self):
        with pytest.raises(UnregisteredNotice):
            notify(template="finns.inte", emails=["a@example.se"])

    def test_a_missing_template_is_refused_in_the_caller(self):
        notices.register("finns.inte", example={})
        try:
            with pytest.raises(TemplateDoesNotExist):
                notify(template="finns.inte", emails=["a@example.se"])
        finally:
            notices.unregister("finns.inte")

    def test_context_must_be_json(self):
        with pytest.raises(TypeError):
            notify(
                template="test.event", context={"user": CitizenFactory()}, emails=["a@example.se"]
            )

    def test_sends_text_and_html_in_the_recipients_language(self, smtp_server, drain):
        event(users=[CitizenFactory(email="karin@example.se", language="en")])
        drain()
        [mail] = smtp_server.to("karin@example.se")
        assert mail.subject == "Händelse: Vägarbete"
        assert "Vägarbete har hänt." in mail.text
        assert '<html lang="en">' in mail.html
        assert "List-Unsubscribe" not in mail.message  # not a subscription message
        assert Delivery.objects.get().status == DeliveryStatus.SENT


@pytest.mark.django_db(transaction=True)
class TestTransactions:
    def test_a_rolled_back_transaction_sends_nothing(self, smtp_server):
        with pytest.raises(RuntimeError), transaction.atomic():
            event(emails=["anna@example.se"])
            raise RuntimeError("the change failed")
        assert not Notification.objects.exists()
        assert not Delivery.objects.exists()
        assert not DBTaskResult.objects.exists()  # not even a wake-up
        run_queued_tasks()
        assert smtp_server.messages == []

    def test_a_commit_wakes_the_worker_which_sends(self, smtp_server):
        with transaction.atomic():
            event(emails=["anna@example.se"])
            assert not DBTaskResult.objects.exists()  # only after commit
        assert DBTaskResult.objects.count() == 1
        run_queued_tasks()
        assert len(smtp_server.to("anna@example.se")) == 1


@pytest.mark.django_db
class TestRetries:
    def test_smtp_down_loses_nothing_and_each_message_arrives_once_when_it_is_back(
        self, smtp_server, drain
    ):
        smtp_server.stop()
        addresses = [f"person{n}@example.se" for n in range(5)]
        event(emails=addresses)
        drain()
        deliveries = list(Delivery.objects.all())
        assert {d.status for d in deliveries} == {DeliveryStatus.FAILED}
        assert all(d.attempts == 1 and "Connection refused" in d.last_error for d in deliveries)

        smtp_server.start()
        drain()
        assert sorted(to for m in smtp_server.messages for to in m.envelope_to) == sorted(addresses)
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
        drain()
        assert len(smtp_server.messages) == 5

    def test_back_off_grows_and_is_capped(self, settings):
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
        waits = [sending.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6)]
        assert 48 <= waits[0] <= 72
        assert 96 <= waits[1] <= 144
        assert 192 <= waits[2] <= 288
        assert all(w <= 720 for w in waits)

    def test_a_failed_message_waits_for_its_back_off(self, settings, smtp_server, drain):
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 3600
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 7200
        smtp_server.stop()
        event(emails=["anna@example.se"])
        drain()
        smtp_server.start()
        drain()
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.next_attempt_at > timezone.now() + timedelta(minutes=45)
        assert smtp_server.messages == []

    def test_gives_up_after_the_maximum_attempts(self, settings, smtp_server, drain):
        settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
        smtp_server.stop()
        event(emails=["anna@example.se"])
        for _ in range(5):
            drain()
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.DEAD
        assert delivery.attempts == 3

    def test_an_address_the_server_refuses_is_given_up_at_once(self, smtp_server, drain):
        event(emails=["refused@example.se", "anna@example.se"])
        drain()
        refused = Delivery.objects.get(to="refused@example.se")
        assert refused.status == DeliveryStatus.DEAD
        assert refused.attempts == 1
        assert "550" in refused.last_error
        assert Delivery.objects.get(to="anna@example.se").status == DeliveryStatus.SENT

    def test_a_message_held_by_a_dead_worker_is_released_and_sent(self, smtp_server, drain):
        event(emails=["anna@example.se"])
        Delivery.objects.update(
            status=DeliveryStatus.SENDING,
            claimed_by="dead-worker",
            claimed_until=timezone.now() - timedelta(seconds=1),
        )
        assert sending.stale_release() == 1
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1

    def test_a_message_still_held_by_a_live_worker_is_left_alone(self):
        event(emails=["anna@example.se"])
        Delivery.objects.update(
            status=DeliveryStatus.SENDING,
            claimed_by="busy",
            claimed_until=timezone.now() + timedelta(minutes=5),
        )
        assert sending.stale_release() == 0
        assert sending.deliveries_claim(worker_id="other", limit=10) == []


@pytest.mark.django_db
class TestRetention:
    def test_old_sent_and_dead_records_are_pruned_and_waiting_ones_kept(self, settings):
        settings.NOTIFICATIONS_RETENTION_DAYS = 30
        old = timezone.now() - timedelta(days=31)
        event(emails=["a@example.se", "b@example.se", "c@example.se"])
        Delivery.objects.filter(to="a@example.se").update(
            status=DeliveryStatus.SENT, created_at=old
        )
        Delivery.objects.filter(to="b@example.se").update(
            status=DeliveryStatus.DEAD, created_at=old
        )
        Delivery.objects.filter(to="c@example.se").update(
            status=DeliveryStatus.FAILED, created_at=old
        )
        event(emails=["d@example.se"])
        Delivery.objects.filter(to="d@example.se").update(status=DeliveryStatus.SENT)
        result = sending.prune()
        assert result["deliveries"] == 2
        assert sorted(Delivery.objects.values_list("to", flat=True)) == [
            "c@example.se",
            "d@example.se",
        ]


@pytest.mark.django_db
class TestTick:
    def test_the_sweep_finds_work_whose_wake_up_was_lost(self, smtp_server):
        from torget.notifications.tasks import tick

        event(emails=["anna@example.se"])  # in a test transaction: no on_commit wake-up
        assert not DBTaskResult.objects.exists()
        tick.call()
        run_queued_tasks()
        assert len(smtp_server.to("anna@example.se")) == 1

    def test_a_periodic_job_runs_once_per_period_however_many_ask(self):
        every_hour = lambda now: now + timedelta(hours=1)  # noqa: E731
        assert sending.job_is_due("prune-test", next_run=every_hour)
        assert not sending.job_is_due("prune-test", next_run=every_hour)

    def test_digests_go_out_on_the_configured_weekday_and_hour(self, settings):
        settings.NOTIFICATIONS_DIGEST_WEEKDAY = 0
        settings.NOTIFICATIONS_DIGEST_HOUR = 7
        wednesday = timezone.make_aware(timezone.datetime(2026, 11, 25, 12, 0))
        nxt = timezone.localtime(sending.next_digest_time(wednesday))
        assert (nxt.weekday(), nxt.hour, nxt.day) == (0, 7, 30)
