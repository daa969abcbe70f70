from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from torget.notifications.models import Delivery, DeliveryStatus, Notification
from torget.proposals.tests.factories import SupportFactory

URL = "/metrics"


def _samples(response) -> dict[str, float]:
    """Every sample as 'name{label="value"}' → value."""
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def _deliveries(*statuses):
    notification = Notification.objects.create(template="test", channels=["email"])
    for n, status in enumerate(statuses):
        Delivery.objects.create(
            notification=notification, channel="email", to=f"p{n}@example.se", status=status
        )


@pytest.mark.django_db
class TestMetricsContent:
    def test_outbox_and_failed_deliveries_are_counted_from_the_database(self, client):
        Q, F, S, D, X = (
            DeliveryStatus.QUEUED,
            DeliveryStatus.FAILED,
            DeliveryStatus.SENT,
            DeliveryStatus.DEAD,
            DeliveryStatus.SENDING,
        )
        _deliveries(Q, Q, Q, F, S, S, D, X)
        response = client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        samples = _samples(response)
        assert samples['torget_outbox_messages{status="queued"}'] == 3
        assert samples['torget_outbox_messages{status="sent"}'] == 2
        assert samples["torget_outbox_backlog_messages"] == 5  # 3 queued, 1 failed, 1 sending
        assert samples["torget_outbox_failed_messages"] == 2  # 1 retrying, 1 given up

    def test_supports_given_make_the_support_rate(self, client):
        SupportFactory.create_batch(3)
        SupportFactory(created_at=timezone.now() - timedelta(hours=3))
        samples = _samples(client.get(URL))
        assert samples["torget_supports_total"] == 4
        assert samples["torget_supports_last_hour"] == 3

    def test_requests_are_counted_by_method_and_status(self, client):
        client.get("/om/")
        client.get("/no-such-page/")
        samples = _samples(client.get(URL))
        assert samples['torget_http_requests_total{method="GET",status="200"}'] >= 1
        assert samples['torget_http_requests_total{method="GET",status="404"}'] >= 1
        assert any(name.startswith("torget_http_request_duration_seconds") for name in samples)

    def test_no_worker_and_no_waiting_work_leave_their_ages_out(self, client):
        samples = _samples(client.get(URL))
        assert "torget_worker_heartbeat_age_seconds" not in samples
        assert "torget_task_queue_oldest_age_seconds" not in samples
        assert samples["torget_task_queue_ready_tasks"] == 0

    def test_multiprocess_mode_adds_up_the_workers_files(self, client, monkeypatch, tmp_path):
        # What gunicorn with several workers uses (PROMETHEUS_MULTIPROC_DIR, see the README):
        # the request counts come from the folder, Torget's figures from the database.
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
        _deliveries(DeliveryStatus.QUEUED)
        response = client.get(URL)
        assert response.status_code == 200
        assert _samples(response)["torget_outbox_backlog_messages"] == 1

    def test_is_never_cached(self, client):
        assert "no-store" in client.get(URL)["Cache-Control"]


@pytest.mark.django_db
class TestMetricsAccess:
    def test_loopback_may_read_by_default(self, client):
        assert client.get(URL, REMOTE_ADDR="127.0.0.1").status_code == 200
        assert client.get(URL, REMOTE_ADDR="::1").status_code == 200

    def test_another_address_is_told_there_is_nothing_here(self, client):
        response = client.get(URL, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 404
        assert "torget_" not in response.content.decode()

    def test_an_allowed_network(self, client, settings):
        settings.METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
        assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 200
        assert client.get(URL, REMOTE_ADDR="127.0.0.1").status_code == 404

    def test_the_token_opens_from_anywhere(self, client, settings):
        settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
        ok = client.get(
            URL, REMOTE_ADDR="198.51.100.4", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus"
        )
        assert ok.status_code == 200
        wrong = client.get(URL, REMOTE_ADDR="198.51.100.4", HTTP_AUTHORIZATION="Bearer guess")
        assert wrong.status_code == 404
        assert client.get(URL, REMOTE_ADDR="198.51.100.4").status_code == 404

    def test_no_token_set_means_no_token_opens_it(self, client, settings):
        settings.METRICS_TOKEN = ""
        response = client.get(URL, REMOTE_ADDR="198.51.100.4", HTTP_AUTHORIZATION="Bearer ")
        assert response.status_code == 404

    def test_behind_nginx_the_client_counts_not_the_proxy(self, client, settings):
        # nginx on the loopback forwards a visitor from outside: the visitor's address decides.
        settings.CLIENT_IP_HEADER = "X-Forwarded-For"
        response = client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 404
        forged = client.get(
            URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 198.51.100.7"
        )
        assert forged.status_code == 404
        local = client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
        assert local.status_code == 200
