import re

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, CitizenFactory
from torget.audit.models import AuditEntry

GOOD = {
    "email": "Anna.Svensson@Example.se",
    "display_name": "Anna",
    "password1": "vårt-torg-2026",
    "password2": "vårt-torg-2026",
    "website": "",
}


def signup_data(client, **overrides):
    """The form as a person sends it: with the signed start time from the rendered page."""
    html = client.get(reverse("accounts:signup")).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    return {**GOOD, "started": started, **overrides}


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    settings.ACCOUNT_SIGNUP_MIN_SECONDS = 0


def verification_link(text: str) -> str:
    return re.search(r"http://\S+/konto/bekrafta/\S+/", text).group(0)


@pytest.mark.django_db
class TestSignup:
    def test_signup_sends_a_verification_mail_over_smtp_and_the_link_verifies_and_logs_in(
        self, client, smtp_server, drain
    ):
        response = client.post(reverse("accounts:signup"), signup_data(client))
        drain()
        assert response.status_code == 302
        assert response.url == reverse("accounts:signup_done")

        user = User.objects.get(email="anna.svensson@example.se")
        assert not user.is_email_verified
        assert user.groups.filter(name=Role.CITIZEN.value).exists()

        [mail] = smtp_server.to("anna.svensson@example.se")
        assert mail.subject == "Bekräfta din e-postadress på Torget"
        link = verification_link(mail.text)

        # Opening the link only shows a button: mail scanners that follow links verify nothing.
        path = link.split("://", 1)[1].split("/", 1)[1]
        page = client.get("/" + path)
        assert page.status_code == 200
        assert "Bekräfta" in page.content.decode()
        user.refresh_from_db()
        assert not user.is_email_verified

        response = client.post("/" + path, follow=True)
        user.refresh_from_db()
        assert user.is_email_verified
        assert get_user(client).pk == user.pk
        assert "Din e-postadress är bekräftad" in response.content.decode()
        actions = set(
            AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
        )
        assert {"account.signed_up", "account.email_verified"} <= actions

    def test_signup_with_an_existing_address_creates_nothing_and_tells_the_owner(
        self, client, smtp_server, drain
    ):
        owner = CitizenFactory(email="anna.svensson@example.se")
        response = client.post(reverse("accounts:signup"), signup_data(client))
        drain()
        assert response.url == reverse("accounts:signup_done")  # same answer: no enumeration
        assert User.objects.filter(email__iexact=owner.email).count() == 1
        [mail] = smtp_server.to(owner.email)
        assert mail.subject == "Du har redan ett konto på Torget"

    def test_filled_honeypot_creates_no_account_but_looks_the_same(
        self, client, smtp_server, drain
    ):
        response = client.post(
            reverse("accounts:signup"), signup_data(client, website="http://spam.example")
        )
        drain()
        assert response.url == reverse("accounts:signup_done")
        assert not User.objects.exists()
        assert smtp_server.messages == []

    def test_form_sent_back_faster_than_a_person_can_creates_no_account(self, client, settings):
        settings.ACCOUNT_SIGNUP_MIN_SECONDS = 60
        response = client.post(reverse("accounts:signup"), signup_data(client))
        assert response.url == reverse("accounts:signup_done")
        assert not User.objects.exists()

    def test_form_without_the_signed_start_time_creates_no_account(self, client):
        client.post(reverse("accounts:signup"), {**GOOD, "started": "forged"})
        assert not User.objects.exists()

    def test_signups_from_one_address_are_rate_limited(self, client, settings):
        settings.ACCOUNT_SIGNUP_RATE_PER_HOUR = 2
        for n in range(2):
            response = client.post(
                reverse("accounts:signup"), signup_data(client, email=f"p{n}@example.se")
            )
            assert response.status_code == 302
        response = client.post(
            reverse("accounts:signup"), signup_data(client, email="p3@example.se")
        )
        assert response.status_code == 429
        assert "För många försök" in response.content.decode()
        assert User.objects.count() == 2

    def test_errors_are_summarised_at_the_top_and_tied_to_the_fields(self, client):
        response = client.post(
            reverse("accounts:signup"),
            signup_data(client, email="inte-en-adress", password2="något-annat-lösen"),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "Det finns fel i formuläret" in html
        assert '<a href="#id_email">E-postadress:' in html
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_email_helptext id_email_error"' in html
        assert 'id="id_password2_error"' in html
        assert "<title>Skapa konto – fel i formuläret" in html
        assert not User.objects.exists()

    def test_weak_password_is_refused_with_a_reason(self, client):
        response = client.post(
            reverse("accounts:signup"),
            signup_data(client, password1="12345678", password2="12345678"),
        )
        assert response.status_code == 200
        assert not User.objects.exists()
        assert 'id="id_password1_error"' in response.content.decode()

    def test_expired_or_forged_link_is_refused(self, client, settings):
        response = client.get(reverse("accounts:verify_email", kwargs={"token": "forged"}))
        assert response.status_code == 400
        assert "Länken fungerar inte" in response.content.decode()

    def test_link_stops_working_when_the_address_changes(self, client):
        from torget.accounts.services import verification_token_make

        user = CitizenFactory(email_verified_at=None)
        token = verification_token_make(user)
        user.email = "ny@example.se"
        user.save()
        response = client.post(reverse("accounts:verify_email", kwargs={"token": token}))
        assert response.status_code == 400

    def test_unverified_user_sees_a_reminder_and_can_ask_for_a_new_link(
        self, client, smtp_server, drain
    ):
        user = CitizenFactory(email_verified_at=None)
        client.force_login(user)
        assert "Skicka länken igen" in client.get(reverse("accounts:my_pages")).content.decode()
        response = client.post(reverse("accounts:resend_verification"), follow=True)
        drain()
        assert "Vi har skickat en ny länk" in response.content.decode()
        assert len(smtp_server.to(user.email)) == 1


def verify_url(user) -> str:
    from torget.accounts.services import verification_token_make

    return reverse("accounts:verify_email", kwargs={"token": verification_token_make(user)})


@pytest.mark.django_db
class TestVerificationLinkIsUsedOnce:
    """The link confirms the address and logs in once; it is not a log-in link after that."""

    def test_first_use_confirms_and_logs_in(self, client):
        user = CitizenFactory(email_verified_at=None)
        response = client.post(verify_url(user))
        assert response.url == reverse("accounts:my_pages")
        user.refresh_from_db()
        assert user.is_email_verified
        assert get_user(client).pk == user.pk

    def test_second_use_logs_no_one_in_and_offers_the_log_in_form(self, client):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        client.post(url)
        client.logout()
        for response in (client.get(url), client.post(url)):
            html = response.content.decode()
            assert response.status_code == 200
            assert "Din e-postadress är redan bekräftad" in html
            assert f'action="{reverse("accounts:login")}"' in html
            assert 'name="username"' in html and 'name="password"' in html
            assert not get_user(client).is_authenticated

    def test_second_use_while_signed_in_as_someone_else_does_not_switch_account(self, client):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        client.post(url)
        other = CitizenFactory()
        client.force_login(other)
        response = client.post(url)
        assert "Din e-postadress är redan bekräftad" in response.content.decode()
        assert get_user(client).pk == other.pk

    def test_use_after_a_password_change_logs_no_one_in(self, client):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        user.set_password("ett-nytt-lösenord-456")
        user.save()
        response = client.post(url)
        assert response.status_code == 400
        assert "Länken fungerar inte" in response.content.decode()
        assert not get_user(client).is_authenticated
        user.refresh_from_db()
        assert not user.is_email_verified

    def test_use_after_the_password_was_reset_and_the_address_confirmed_logs_no_one_in(
        self, client
    ):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        client.post(url)
        client.logout()
        user.refresh_from_db()
        user.set_password("ett-nytt-lösenord-456")
        user.save()
        response = client.post(url)
        assert "Din e-postadress är redan bekräftad" in response.content.decode()
        assert not get_user(client).is_authenticated

    def test_an_old_link_for_a_confirmed_address_says_so_rather_than_expired(
        self, client, settings
    ):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        client.post(url)
        client.logout()
        settings.ACCOUNT_VERIFICATION_MAX_AGE = -1
        response = client.get(url)
        assert "Din e-postadress är redan bekräftad" in response.content.decode()

    def test_an_expired_link_for_an_unconfirmed_address_is_refused(self, client, settings):
        user = CitizenFactory(email_verified_at=None)
        url = verify_url(user)
        settings.ACCOUNT_VERIFICATION_MAX_AGE = -1
        response = client.post(url)
        assert response.status_code == 400
        assert "Länken är för gammal" in response.content.decode()
        assert not get_user(client).is_authenticated


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_one_link_at_the_same_moment_confirm_and_log_in_once(postgres_only):
    import threading

    from django.db import connection

    from torget.accounts import services
    from torget.accounts.tests.factories import UserFactory

    user = UserFactory(email_verified_at=None)
    token = services.verification_token_make(user)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def click():
        try:
            barrier.wait()
            results.append(str(services.email_verify(token=token).pk))
        except services.VerificationError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted([str(user.pk), "used"])
    assert AuditEntry.objects.filter(action="account.email_verified").count() == 1


@pytest.mark.django_db
class TestLogin:
    def test_log_in_by_email_in_any_letter_case(self, client):
        user = CitizenFactory(email="karin@example.se")
        response = client.post(
            reverse("accounts:login"), {"username": "KARIN@Example.se", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.url == reverse("accounts:my_pages")
        assert get_user(client).pk == user.pk

    def test_wrong_password_gives_a_clear_error(self, client):
        CitizenFactory(email="karin@example.se")
        response = client.post(
            reverse("accounts:login"), {"username": "karin@example.se", "password": "fel"}
        )
        assert response.status_code == 200
        assert "E-postadressen eller lösenordet stämmer inte" in response.content.decode()

    def test_repeated_failures_for_an_account_are_limited(self, client, settings):
        settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR = 3
        CitizenFactory(email="karin@example.se")
        for _ in range(3):
            client.post(
                reverse("accounts:login"), {"username": "karin@example.se", "password": "fel"}
            )
        # Even the right password is refused until the window has passed.
        response = client.post(
            reverse("accounts:login"), {"username": "karin@example.se", "password": PASSWORD}
        )
        assert response.status_code == 429

    def test_log_in_sets_the_persons_language(self, client):
        CitizenFactory(email="karin@example.se", language="en")
        client.post(
            reverse("accounts:login"), {"username": "karin@example.se", "password": PASSWORD}
        )
        assert client.cookies["torget_language"].value == "en"

    def test_log_out_is_a_post(self, client):
        client.force_login(CitizenFactory())
        assert client.get(reverse("accounts:logout")).status_code == 405
        client.post(reverse("accounts:logout"))
        assert not get_user(client).is_authenticated


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_mail_arrives_over_smtp_and_sets_a_new_password(self, client, smtp_server, drain):
        user = CitizenFactory(email="karin@example.se")
        response = client.post(reverse("accounts:password_reset"), {"email": "karin@example.se"})
        drain()
        assert response.url == reverse("accounts:password_reset_done")
        [mail] = smtp_server.to("karin@example.se")
        path = re.search(r"/konto/nytt-losenord/\S+/\S+/", mail.text).group(0)
        response = client.get(path, follow=True)
        form_url = response.redirect_chain[-1][0]
        response = client.post(
            form_url, {"new_password1": "nytt-lösen-2026", "new_password2": "nytt-lösen-2026"}
        )
        assert response.url == reverse("accounts:password_reset_complete")
        user.refresh_from_db()
        assert user.check_password("nytt-lösen-2026")

    def test_unknown_address_gets_the_same_answer_and_no_mail(self, client, smtp_server, drain):
        response = client.post(reverse("accounts:password_reset"), {"email": "okand@example.se"})
        drain()
        assert response.url == reverse("accounts:password_reset_done")
        assert smtp_server.messages == []
