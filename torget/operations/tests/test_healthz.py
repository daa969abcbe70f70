import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from torget.notifications import sending
from torget.notifications.management.commands.run_worker import heartbeat_loop
from torget.notifications.models import Delivery, DeliveryStatus, Notification, SchedulerState
from torget.notifications.selectors import HEARTBEAT_JOB
from torget.notifications.tasks import tick

URL = "/healthz"


def _get(client):
    response = client.get(URL)
    return response, json.loads(response.content)


def _delivery(*, status=DeliveryStatus.QUEUED, due=None):
    notification = Notification.objects.create(template="test", channels=["email"])
    return Delivery.objects.create(
        notification=notification,
        channel="email",
        to=f"person{Delivery.objects.count()}@example.se",
        status=status,
        next_attempt_at=due or timezone.now(),
    )


@pytest.fixture
def worker_alive(db):
    sending.worker_heartbeat()


@pytest.mark.django_db
class TestHealthz:
    def test_all_fine_is_200_with_every_check(self, client, worker_alive):
        response, body = _get(client)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert body["status"] == "ok"
        assert body["failed"] == []
        assert set(body["checks"]) == {"database", "cache", "worker", "queues"}
        assert all(check["ok"] for check in body["checks"].values())

    def test_is_never_cached_and_starts_no_session(self, client, worker_alive):
        response, _body = _get(client)
        assert "no-store" in response["Cache-Control"]
        assert "sessionid" not in response.cookies
        assert not response.cookies

    def test_no_worker_ever_is_503_naming_the_worker(self, client):
        response, body = _get(client)
        assert response.status_code == 503
        assert body["status"] == "fail"
        assert body["failed"] == ["worker"]
        assert body["checks"]["worker"]["age_seconds"] is None

    def test_a_worker_silent_too_long_is_503(self, client, settings, worker_alive):
        settings.HEALTHZ_WORKER_STALE_SECONDS = 60
        SchedulerState.objects.filter(job=HEARTBEAT_JOB).update(
            last_run_at=timezone.now() - timedelta(seconds=90)
        )
        response, body = _get(client)
        assert response.status_code == 503
        assert body["failed"] == ["worker"]
        assert body["checks"]["worker"]["age_seconds"] >= 90

    def test_a_message_waiting_too_long_is_503_naming_the_queues(
        self, client, settings, worker_alive
    ):
        settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 600
        _delivery(due=timezone.now() - timedelta(hours=1))
        response, body = _get(client)
        assert response.status_code == 503
        assert body["failed"] == ["queues"]
        assert body["checks"]["queues"]["outbox_age_seconds"] >= 3600

    def test_messages_sent_or_retried_later_do_not_count(self, client, settings, worker_alive):
        settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 600
        _delivery(status=DeliveryStatus.FAILED, due=timezone.now() + timedelta(hours=1))
        _delivery(status=DeliveryStatus.SENT, due=timezone.now() - timedelta(days=1))
        _delivery(status=DeliveryStatus.DEAD, due=timezone.now() - timedelta(days=1))
        _delivery(due=timezone.now() - timedelta(seconds=30))  # fresh: within the limit
        response, body = _get(client)
        assert response.status_code == 200, body
        assert body["checks"]["queues"]["outbox_age_seconds"] < 600

    def test_a_task_waiting_too_long_is_503(self, client, settings, worker_alive):
        from django_tasks_db.models import DBTaskResult

        settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 600
        tick.enqueue()
        response, body = _get(client)
        assert response.status_code == 200, body  # just queued: fine
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=2))
        response, body = _get(client)
        assert response.status_code == 503
        assert body["failed"] == ["queues"]
        assert body["checks"]["queues"]["tasks_age_seconds"] >= 7200

    def test_database_down_is_503_with_the_kind_of_error_only(
        self, client, monkeypatch, worker_alive
    ):
        class Broken:
            def cursor(self):
                raise OperationalError("could not connect to server at 10.0.0.5 password=x")

        monkeypatch.setattr("torget.operations.selectors.connection", Broken())
        response, body = _get(client)
        assert response.status_code == 503
        assert "database" in body["failed"]
        assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
        assert "10.0.0.5" not in response.content.decode()

    def test_cache_that_loses_what_it_was_given_is_503(self, client, settings, worker_alive):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        response, body = _get(client)
        assert response.status_code == 503
        assert body["failed"] == ["cache"]

    def test_a_load_balancer_may_ask_for_the_servers_own_checks_only(self, client):
        # No worker runs, but this server's database and cache work: keep it in service.
        response = client.get(URL, {"check": ["database", "cache"]})
        body = json.loads(response.content)
        assert response.status_code == 200, body
        assert set(body["checks"]) == {"database", "cache"}
        assert client.get(URL, {"check": "worker"}).status_code == 503

    def test_an_unknown_check_is_a_clear_400(self, client):
        response = client.get(URL, {"check": ["database", "<script>"]})
        assert response.status_code == 400
        body = json.loads(response.content)
        assert body["unknown"] == ["<script>"]
        assert body["checks"] == ["database", "cache", "worker", "queues"]

    def test_post_is_refused(self, client):
        assert client.post(URL).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_running_worker_keeps_the_health_check_green(client):
    """run_worker's heartbeat thread: one beat, then stop."""
    import threading

    class OneBeat(threading.Event):
        def wait(self, timeout=None):
            self.set()
            return True

    assert client.get(URL).status_code == 503
    heartbeat_loop(OneBeat())
    response, body = _get(client)
    assert response.status_code == 200, body
    assert body["checks"]["worker"]["age_seconds"] < 60
