"""Lock-out after failed log-ins (django-axes): per account and address, and per address."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.tests.factories import PASSWORD, CitizenFactory


def log_in(client, email, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    settings.LOGIN_COOLOFF_MINUTES = 15
    # The hourly rate limits of the log-in form stay out of the way of these tests.
    settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR = 100
    return settings


@pytest.mark.django_db
class TestLockOut:
    def test_failures_below_the_limit_give_the_ordinary_error(self, client, limits):
        CitizenFactory(email="karin@example.se")
        for _ in range(2):
            response = log_in(client, "karin@example.se", "fel")
        assert response.status_code == 200
        assert "E-postadressen eller lösenordet stämmer inte" in response.content.decode()
        assert get_user(log_in(client, "karin@example.se", PASSWORD).wsgi_request).is_authenticated

    def test_an_account_is_locked_out_from_the_address_even_with_the_right_password(
        self, client, limits
    ):
        CitizenFactory(email="karin@example.se")
        for _ in range(3):
            log_in(client, "karin@example.se", "fel")
        response = log_in(client, "karin@example.se", PASSWORD)
        assert response.status_code == 429
        html = response.content.decode()
        assert "Inloggningen är tillfälligt spärrad" in html
        assert "Du kan försöka igen om högst 15 minuter" in html
        assert reverse("accounts:password_reset") in html
        assert not get_user(client).is_authenticated

    def test_the_same_email_in_other_letters_counts_as_one_account(self, client, limits):
        CitizenFactory(email="karin@example.se")
        for email in ("Karin@Example.se", " karin@example.se", "KARIN@example.se"):
            log_in(client, email, "fel")
        assert log_in(client, "karin@example.se", PASSWORD).status_code == 429

    def test_the_lock_out_ends_after_the_cool_off(self, client, limits):
        CitizenFactory(email="karin@example.se")
        start = timezone.now()
        with freeze_time(start):
            for _ in range(3):
                log_in(client, "karin@example.se", "fel")
            assert log_in(client, "karin@example.se", PASSWORD).status_code == 429
        with freeze_time(start + timedelta(minutes=16)):
            response = log_in(client, "karin@example.se", PASSWORD)
        assert response.status_code == 302
        assert get_user(client).is_authenticated

    def test_another_account_from_the_same_address_may_still_log_in(self, client, limits):
        CitizenFactory(email="karin@example.se")
        CitizenFactory(email="olle@example.se")
        for _ in range(3):
            log_in(client, "karin@example.se", "fel")
        assert log_in(client, "olle@example.se", PASSWORD).status_code == 302

    def test_the_account_may_still_log_in_from_another_address(self, client, limits):
        CitizenFactory(email="karin@example.se")
        for _ in range(3):
            log_in(client, "karin@example.se", "fel", REMOTE_ADDR="192.0.2.10")
        response = log_in(client, "karin@example.se", PASSWORD, REMOTE_ADDR="192.0.2.20")
        assert response.status_code == 302

    def test_an_address_trying_many_accounts_is_locked_out_for_all(self, client, limits):
        CitizenFactory(email="karin@example.se")
        for number in range(6):
            log_in(client, f"gissning{number}@example.se", "fel", REMOTE_ADDR="192.0.2.10")
        response = log_in(client, "karin@example.se", PASSWORD, REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 429
        assert "Inloggningen är tillfälligt spärrad" in response.content.decode()
        # Others elsewhere are not affected.
        assert (
            log_in(client, "karin@example.se", PASSWORD, REMOTE_ADDR="192.0.2.99").status_code
            == 302
        )

    def test_behind_a_proxy_the_client_address_is_read_as_rate_limits_read_it(self, client, limits):
        limits.CLIENT_IP_HEADER = "X-Forwarded-For"
        limits.CLIENT_IP_TRUSTED_PROXIES = 1
        CitizenFactory(email="karin@example.se")
        for _ in range(3):
            # A forged first entry does not give a fresh counter: the proxy's entry counts.
            log_in(
                client,
                "karin@example.se",
                "fel",
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{_}, 198.51.100.7",
            )
        locked = log_in(
            client,
            "karin@example.se",
            PASSWORD,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert locked.status_code == 429
        # Another citizen behind the same proxy has an address of their own.
        other = log_in(
            client,
            "karin@example.se",
            PASSWORD,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.8",
        )
        assert other.status_code == 302

    def test_the_admin_log_in_is_the_protected_log_in_page(self, client):
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login") + "?next=/admin/"
