"""The password again (and the code, for an account with an app) before sensitive changes."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, CitizenFactory, user_with_role

LATER = timedelta(minutes=6)


@pytest.fixture(autouse=True)
def five_minutes(settings):
    settings.REAUTH_SECONDS = 300


def reauth_url(next_url):
    return f"{reverse('accounts:reauthenticate')}?next={quote(next_url, safe='')}"


@pytest.mark.django_db
class TestPasswordChange:
    def test_right_after_logging_in_no_second_question(self, client):
        client.force_login(CitizenFactory())
        assert client.get(reverse("accounts:password_change")).status_code == 200

    def test_later_the_password_is_asked_again_and_then_the_change_opens(self, client):
        start = timezone.now()
        with freeze_time(start):
            client.force_login(CitizenFactory())
        with freeze_time(start + LATER):
            target = reverse("accounts:password_change")
            response = client.get(target)
            assert response.status_code == 302
            assert response["Location"] == reauth_url(target)
            wrong = client.post(response["Location"], {"password": "fel", "next": target})
            assert wrong.status_code == 200
            assert "Lösenordet stämmer inte." in wrong.content.decode()
            assert client.get(target).status_code == 302
            right = client.post(
                reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": target}
            )
            assert right.status_code == 302
            assert right["Location"] == target
            assert client.get(target).status_code == 200
        # The confirmation lasts REAUTH_SECONDS.
        with freeze_time(start + LATER * 2 + timedelta(seconds=1)):
            assert client.get(target).status_code == 302

    def test_a_changed_password_posted_late_is_not_saved(self, client):
        user = CitizenFactory()
        start = timezone.now()
        with freeze_time(start):
            client.force_login(user)
        with freeze_time(start + LATER):
            client.post(
                reverse("accounts:password_change"),
                {
                    "old_password": PASSWORD,
                    "new_password1": "ett-annat-losenord-456",
                    "new_password2": "ett-annat-losenord-456",
                },
            )
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_an_account_with_an_app_gives_its_code_too(self, client):
        official = user_with_role(Role.OFFICIAL)
        device = TOTPDevice.objects.create(user=official, name="Torget", confirmed=True)
        start = timezone.now()
        with freeze_time(start):
            client.force_login(official)
            # Logged in with the app's code as well (what the code page records).
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        with freeze_time(start + LATER):
            url = reverse("accounts:reauthenticate")
            without = client.post(url, {"password": PASSWORD})
            assert without.status_code == 200
            assert "Engångskod" in without.content.decode()
            ok = client.post(url, {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"})
            assert ok.status_code == 302
            assert client.get(reverse("accounts:password_change")).status_code == 200

    def test_an_address_elsewhere_is_not_followed(self, client):
        client.force_login(CitizenFactory())
        response = client.post(
            reverse("accounts:reauthenticate"),
            {"password": PASSWORD, "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("accounts:my_pages")


@pytest.mark.django_db
class TestAdminAccountChanges:
    def test_changing_an_account_in_the_admin_asks_again_after_a_while(self, client):
        administrator = user_with_role(Role.ADMINISTRATOR, is_superuser=True)
        official = user_with_role(Role.OFFICIAL)
        url = reverse("admin:accounts_user_change", args=[official.pk])
        start = timezone.now()
        with freeze_time(start):
            client.force_login(administrator)
            assert client.get(url).status_code == 200
        with freeze_time(start + LATER):
            response = client.post(url, {"email": "annan@example.se"})
            assert response.status_code == 302
            assert response["Location"] == reauth_url(url)
        official.refresh_from_db()
        assert official.email != "annan@example.se"


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in_first(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
