"""Two-factor authentication (TOTP) for staff, with recovery codes."""

import re
from base64 import b32decode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, CitizenFactory, user_with_role
from torget.audit.models import AuditEntry


@pytest.fixture
def required(settings):
    settings.STAFF_REQUIRE_2FA = True
    return settings


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def log_in(client, user):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, follow=True
    )


def secret_on(html: str) -> bytes:
    secret = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    return b32decode(secret.replace(" ", ""))


def staff_with_app(role=Role.OFFICIAL):
    user = user_with_role(role)
    device = TOTPDevice.objects.create(user=user, name="Torget", confirmed=True)
    return user, device


@pytest.mark.django_db
class TestSetUp:
    def test_staff_without_an_app_are_sent_to_set_one_up(self, client, required):
        official = user_with_role(Role.OFFICIAL)
        response = log_in(client, official)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
        # Every other page, the admin too, sends them there until it is done.
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

    def test_the_page_shows_a_qr_code_drawn_here_and_the_secret_in_text(self, client, required):
        client.force_login(user_with_role(Role.OFFICIAL))
        html = client.get(reverse("accounts:two_factor_setup")).content.decode()
        assert "<svg" in html  # inline, no image from an outside service
        assert "<img" not in html.split("<main", 1)[-1]
        assert len(secret_on(html)) == 20
        # Reloading keeps the secret, so an app that scanned it still works.
        again = client.get(reverse("accounts:two_factor_setup")).content.decode()
        assert secret_on(again) == secret_on(html)

    def test_a_code_from_the_app_turns_it_on_and_shows_ten_recovery_codes_once(
        self, client, required
    ):
        official = user_with_role(Role.OFFICIAL)
        client.force_login(official)
        key = secret_on(client.get(reverse("accounts:two_factor_setup")).content.decode())
        response = client.post(
            reverse("accounts:two_factor_setup"), {"code": f"{totp(key):06d}"}, follow=True
        )
        html = response.content.decode()
        assert "Tvåstegsverifiering är nu på för ditt konto." in html
        codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
        assert len(codes) == 10
        assert StaticToken.objects.filter(device__user=official).count() == 10
        assert TOTPDevice.objects.get(user=official).confirmed
        assert AuditEntry.objects.filter(action="account.two_factor_enabled").exists()
        # The session is verified: staff pages open.
        assert client.get(reverse("accounts:my_pages")).status_code == 200
        # The codes are not shown a second time.
        again = client.get(reverse("accounts:two_factor_recovery_codes")).content.decode()
        assert codes[0] not in again
        assert "visas bara en gång" in again

    def test_a_wrong_code_is_refused_and_saves_nothing(self, client, required):
        official = user_with_role(Role.OFFICIAL)
        client.force_login(official)
        key = secret_on(client.get(reverse("accounts:two_factor_setup")).content.decode())
        wrong = f"{(totp(key) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong})
        assert response.status_code == 200
        assert "Koden stämmer inte" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=official).exists()
        assert not StaticDevice.objects.filter(user=official).exists()


@pytest.mark.django_db
class TestLogIn:
    def test_staff_with_an_app_give_its_code_after_the_password(self, client, required):
        official, device = staff_with_app()
        response = log_in(client, official)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
        assert client.get("/admin/").status_code == 302
        response = client.post(
            reverse("accounts:two_factor_verify"),
            {"code": code_for(device), "next": "/admin/"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_a_wrong_code_gives_a_clear_error(self, client, required):
        official, device = staff_with_app()
        log_in(client, official)
        wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:two_factor_verify"), {"code": wrong})
        assert response.status_code == 200
        assert "Koden stämmer inte" in response.content.decode()
        assert client.get(reverse("accounts:my_pages")).status_code == 302

    def test_a_recovery_code_works_once(self, client, required):
        official, _device = staff_with_app()
        recovery = StaticDevice.objects.create(user=official, name="Reservkoder")
        recovery.token_set.create(token="abcdefgh")
        log_in(client, official)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "abcd efgh"})
        assert response.status_code == 302
        assert client.get(reverse("accounts:my_pages")).status_code == 200
        assert AuditEntry.objects.filter(action="account.recovery_code_used").exists()
        client.logout()
        log_in(client, official)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "abcdefgh"})
        assert response.status_code == 200
        assert "Koden stämmer inte" in response.content.decode()

    def test_citizens_are_not_asked_for_a_code(self, client, required):
        citizen = CitizenFactory()
        response = log_in(client, citizen)
        assert response.redirect_chain[-1][0] == reverse("accounts:my_pages")
        assert response.status_code == 200

    def test_anyone_who_set_up_an_app_is_asked_for_it_even_where_not_required(
        self, client, settings
    ):
        settings.STAFF_REQUIRE_2FA = False
        citizen = CitizenFactory()
        device = TOTPDevice.objects.create(user=citizen, name="Torget", confirmed=True)
        response = log_in(client, citizen)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
        client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})
        assert client.get(reverse("accounts:my_pages")).status_code == 200

    def test_without_the_requirement_staff_pages_open_after_the_password(self, client, settings):
        settings.STAFF_REQUIRE_2FA = False
        official = user_with_role(Role.OFFICIAL)
        log_in(client, official)
        assert client.get(reverse("accounts:my_pages")).status_code == 200

    def test_log_out_stays_open_before_the_code(self, client, required):
        official, _device = staff_with_app()
        log_in(client, official)
        client.post(reverse("accounts:logout"))
        assert not get_user(client).is_authenticated


@pytest.mark.django_db
class TestReset:
    def test_an_administrator_resets_a_lost_phone_and_it_is_audited(self, client):
        official, _device = staff_with_app()
        StaticDevice.objects.create(user=official, name="Reservkoder")
        administrator = user_with_role(Role.ADMINISTRATOR, is_superuser=True)
        client.force_login(administrator)
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [official.pk]},
            follow=True,
        )
        assert "Tvåstegsverifieringen återställdes för 1 konto" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=official).exists()
        assert not StaticDevice.objects.filter(user=official).exists()
        entry = AuditEntry.objects.get(action="account.two_factor_reset")
        assert entry.actor_id == administrator.pk

    def test_only_administrators_may_reset(self, rf, monkeypatch):
        official, _device = staff_with_app()
        other = user_with_role(Role.OFFICIAL)
        request = rf.post("/")
        request.user = other
        model_admin = admin.site._registry[User]
        messages_sent = []
        monkeypatch.setattr(
            model_admin,
            "message_user",
            lambda request, message, level: messages_sent.append(message),
        )
        model_admin.reset_two_factor(request, User.objects.filter(pk=official.pk))
        assert TOTPDevice.objects.filter(user=official).exists()
        assert "Bara en administratör" in str(messages_sent[0])

    def test_the_secrets_are_not_in_the_admin(self):
        assert TOTPDevice not in admin.site._registry
        assert StaticDevice not in admin.site._registry
