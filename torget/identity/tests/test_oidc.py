"""e-ID through an OpenID Connect broker, against a real provider on a local port.

The browser's part is played by hand: Django's test client starts the flow, `requests`
follows the redirect to the provider (which logs in whoever the test chose) and the test
client follows the provider's redirect back. Torget itself talks to the provider over HTTP.
"""

import base64
import datetime
import hashlib
import logging
from urllib.parse import parse_qs, quote, urlencode, urlparse, urlunparse

import pytest
import requests
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time
from joserfc.jwk import RSAKey

from torget.identity import selectors
from torget.identity.methods import oidc
from torget.identity.models import Verification
from torget.identity.personnummer import with_check_digit
from torget.identity.tests.factories import make_pin
from torget.testing.smtp import free_port

CALLBACK = "/legitimera/oidc/retur/"
NEXT = "/mina-sidor/"


def start(client, next_url=NEXT):
    response = client.get("/legitimera/oidc/", {"next": next_url})
    assert response.status_code == 302, response.content
    return response["Location"]


def at_provider(authorize_url):
    """The browser at the broker: the provider answers with the way back to Torget."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith("http://testserver" + CALLBACK), location
    return location


def log_in(client, next_url=NEXT):
    return client.get(at_provider(start(client, next_url)))


def query_of(url):
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def with_query(url, **changes):
    parts = urlparse(url)
    query = {**query_of(url), **changes}
    return urlunparse(parts._replace(query=urlencode({k: v for k, v in query.items() if v})))


def session_request(client):
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = AnonymousUser()
    return request


def everything_stored():
    """Every row of every table, sessions decoded, as one text to search."""
    rows = []
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            rows.extend(repr(row) for row in model._default_manager.values_list())
    rows.extend(repr(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(rows)


@pytest.mark.django_db
class TestLogInAtTheBroker:
    def test_a_fresh_e_id_step_is_recorded_and_the_citizen_returns(self, client, oidc_provider):
        pin = make_pin()
        oidc_provider.login_as(ssn=pin.digits)
        response = log_in(client)
        assert response.status_code == 302
        assert response["Location"] == NEXT
        verification = Verification.objects.get()
        assert verification.method == "oidc"
        assert verification.person_key == pin.key
        assert verification.birth_date == pin.birth_date
        assert verification.user is None
        assert client.session[selectors.SESSION_KEY] == verification.pk
        assert selectors.fresh_verification(session_request(client)) == verification
        assert [str(m) for m in get_messages(response.wsgi_request)] == ["Du är legitimerad."]

    def test_the_request_asks_for_a_new_log_in_with_pkce_and_a_nonce(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        log_in(client)
        [asked] = oidc_provider.authorize_requests
        assert asked["response_type"] == "code"
        assert asked["client_id"] == "torget-test"
        assert asked["redirect_uri"] == "http://testserver" + CALLBACK
        assert asked["prompt"] == "login"
        assert asked["max_age"] == "0"
        assert asked["code_challenge_method"] == "S256"
        assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32
        [exchange] = oidc_provider.token_requests
        verifier = exchange["code_verifier"]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        assert challenge.rstrip(b"=").decode() == asked["code_challenge"]
        # client_secret_basic: the secret travels in the Authorization header, not the form.
        assert "client_secret" not in exchange

    def test_client_secret_post_when_that_is_what_the_broker_supports(self, client, oidc_provider):
        oidc_provider.client.token_endpoint_auth_method = "client_secret_post"
        oidc_provider.login_as(ssn=make_pin().digits)
        assert log_in(client).status_code == 302
        [exchange] = oidc_provider.token_requests
        assert exchange["client_secret"] == oidc_provider.client.client_secret
        assert Verification.objects.count() == 1

    def test_a_logged_in_citizen_keeps_the_account_and_owns_the_verification(
        self, client, oidc_provider, citizen
    ):
        client.force_login(citizen)
        oidc_provider.login_as(ssn=make_pin().digits)
        log_in(client)
        assert Verification.objects.get().user == citizen
        assert client.get(NEXT).status_code == 200

    def test_a_number_in_full_width_digits_gives_the_same_key_as_in_ascii(
        self, client, oidc_provider
    ):
        pin = make_pin()
        full_width = pin.digits.translate({ord(str(d)): 0xFF10 + d for d in range(10)})
        oidc_provider.login_as(ssn=full_width)
        assert log_in(client).status_code == 302
        assert Verification.objects.get().person_key == pin.key

    def test_the_number_can_be_in_another_claim(self, client, oidc_provider, settings):
        oidc_provider.pin_claim = "nin"
        settings.OIDC_PIN_CLAIM = "nin"
        pin = make_pin()
        oidc_provider.login_as(ssn=pin.digits)
        assert log_in(client).status_code == 302
        assert Verification.objects.get().person_key == pin.key

    def test_a_broker_without_the_configured_claim_is_a_failure(
        self, client, oidc_provider, settings
    ):
        settings.OIDC_PIN_CLAIM = "personalIdentityNumber"
        oidc_provider.login_as(ssn=make_pin().digits)
        response = log_in(client)
        assert response.status_code == 502
        assert not Verification.objects.exists()

    def test_the_number_can_come_from_userinfo_only(self, client, oidc_provider):
        oidc_provider.pin_in_userinfo_only = True
        pin = make_pin()
        oidc_provider.login_as(ssn=pin.digits)
        assert log_in(client).status_code == 302
        assert Verification.objects.get().person_key == pin.key
        assert "/userinfo" in oidc_provider.paths

    def test_the_number_in_the_id_token_needs_no_userinfo_call(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        log_in(client)
        assert "/userinfo" not in oidc_provider.paths

    def test_two_log_ins_started_in_one_browser_can_each_finish(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        first = at_provider(start(client, "/mina-sidor/"))
        second = at_provider(start(client, "/mina-sidor/uppgifter/"))
        assert client.get(first)["Location"] == "/mina-sidor/"
        assert client.get(second)["Location"] == "/mina-sidor/uppgifter/"
        assert Verification.objects.count() == 2

    def test_the_discovery_document_is_fetched_once(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        log_in(client)
        log_in(client)
        assert oidc_provider.paths.count("/.well-known/openid-configuration") == 1
        assert Verification.objects.count() == 2

    def test_the_method_is_offered_on_the_choice_page(self, client, oidc_provider, settings):
        settings.OIDC_LABEL = "BankID via Kommunens broker"
        response = client.get("/legitimera/", {"next": NEXT})
        assert "BankID via Kommunens broker" in response.text
        assert "/legitimera/oidc/?next=" in response.text


@pytest.mark.django_db
class TestRefused:
    def test_a_wrong_state_is_refused(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        response = client.get(with_query(back, state="not-the-state"))
        assert response.status_code == 400
        assert "kunde inte kopplas till det här besöket" in response.text
        assert not Verification.objects.exists()

    def test_an_answer_without_state_is_refused(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        assert client.get(with_query(back, state="")).status_code == 400
        assert not Verification.objects.exists()

    def test_an_answer_in_another_browser_is_refused(
        self, client, oidc_provider, django_user_model
    ):
        from django.test import Client

        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        assert Client().get(back).status_code == 400
        assert not Verification.objects.exists()

    def test_the_same_answer_cannot_be_used_twice(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        assert client.get(back).status_code == 302
        replay = client.get(back)
        assert replay.status_code == 400
        assert Verification.objects.count() == 1

    def test_an_answer_after_ten_minutes_is_refused(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        with freeze_time(timezone.now() + datetime.timedelta(minutes=11)):
            response = client.get(back)
        assert response.status_code == 400
        assert not Verification.objects.exists()
        # The code was never exchanged.
        assert oidc_provider.token_requests == []

    def test_an_invalid_personnummer_from_the_broker_is_refused(self, client, oidc_provider):
        pin = make_pin()
        wrong_check_digit = pin.digits[:-1] + str((int(pin.digits[-1]) + 1) % 10)
        oidc_provider.login_as(ssn=wrong_check_digit)
        response = log_in(client)
        assert response.status_code == 400
        assert "personnumret från e-legitimationen kunde inte godkännas" in response.text
        assert not Verification.objects.exists()
        assert selectors.SESSION_KEY not in client.session

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("inte-ett-nummer", "(format)"),
            ("20" + with_check_digit("991231123"), "(future)"),  # born in the future
            ("19" + with_check_digit("800230123"), "(date)"),  # 30 February
        ],
    )
    def test_other_values_that_are_not_personnummer_are_refused(
        self, client, oidc_provider, caplog, value, reason
    ):
        oidc_provider.login_as(ssn=value)
        assert log_in(client).status_code == 400
        assert reason in caplog.text
        assert not Verification.objects.exists()

    def test_an_earlier_log_in_is_not_a_fresh_e_id_step(self, client, oidc_provider, settings):
        oidc_provider.login_as(
            ssn=make_pin().digits, authenticated_seconds_ago=settings.IDENTITY_FRESH_SECONDS + 120
        )
        response = log_in(client)
        assert response.status_code == 400
        assert "inte gjord nyss" in response.text
        assert not Verification.objects.exists()

    def test_a_log_in_within_the_fresh_period_counts(self, client, oidc_provider, settings):
        oidc_provider.login_as(
            ssn=make_pin().digits, authenticated_seconds_ago=settings.IDENTITY_FRESH_SECONDS - 60
        )
        assert log_in(client).status_code == 302

    def test_an_id_token_signed_with_another_key_is_refused(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        oidc_provider.signing_key = RSAKey.generate_key(
            2048, parameters={"kid": oidc_provider.key.kid, "use": "sig", "alg": "RS256"}
        )
        response = log_in(client)
        assert response.status_code == 502
        assert not Verification.objects.exists()

    @pytest.mark.parametrize(
        "overrides",
        [
            {"aud": ["another-client"]},
            {"iss": "http://127.0.0.1:1"},
            {"nonce": "another-nonce"},
            {"exp": 1_000_000_000},
            {"iat": 4_000_000_000},
        ],
        ids=["aud", "iss", "nonce", "exp", "iat"],
    )
    def test_an_id_token_that_does_not_check_out_is_refused(self, client, oidc_provider, overrides):
        oidc_provider.login_as(ssn=make_pin().digits)
        oidc_provider.id_token_overrides = overrides
        assert log_in(client).status_code == 502
        assert not Verification.objects.exists()

    def test_the_method_is_not_listed_without_an_issuer(self, client, settings):
        settings.OIDC_ISSUER = ""
        settings.OIDC_CLIENT_ID = "torget"
        response = client.get("/legitimera/", {"metod": "visa"})
        assert response.status_code == 200
        assert "/legitimera/oidc/" not in response.text
        assert "/legitimera/demo/" in response.text
        assert client.get("/legitimera/oidc/").status_code == 404
        assert client.get(CALLBACK, {"state": "x", "code": "y"}).status_code == 404


@pytest.mark.django_db
class TestCancelAndFailures:
    def test_cancelling_at_the_broker_gives_a_friendly_page(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        oidc_provider.deny_next()
        back = at_provider(start(client))
        assert query_of(back)["error"] == "access_denied"
        response = client.get(back)
        assert response.status_code == 200
        assert "Du avbröt legitimeringen" in response.text
        assert f'href="/legitimera/oidc/?next={quote(NEXT, safe="")}"' in response.text
        assert not Verification.objects.exists()
        # Trying again works.
        assert log_in(client).status_code == 302

    def test_nobody_logged_in_at_the_broker_is_a_cancel(self, client, oidc_provider):
        back = at_provider(start(client))
        assert client.get(back).status_code == 200
        assert not Verification.objects.exists()

    def test_an_unreachable_broker_gives_a_502_page_when_starting(self, client, settings):
        settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
        settings.OIDC_CLIENT_ID = "torget"
        settings.OIDC_TIMEOUT = 2
        response = client.get("/legitimera/oidc/", {"next": NEXT})
        assert response.status_code == 502
        assert "Legitimeringen kunde inte slutföras" in response.text

    def test_a_broker_that_goes_away_during_the_log_in_gives_a_502_page(
        self, client, oidc_provider
    ):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        oidc_provider.stop()
        response = client.get(back)
        assert response.status_code == 502
        assert "Legitimeringen kunde inte slutföras" in response.text
        assert not Verification.objects.exists()

    def test_a_broker_error_other_than_cancel_gives_the_error_page(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        response = client.get(with_query(back, code="", error="server_error"))
        assert response.status_code == 502


@pytest.mark.django_db
class TestPKCE:
    def test_the_provider_refuses_a_token_request_without_the_right_verifier(
        self, client, oidc_provider
    ):
        oidc_provider.login_as(ssn=make_pin().digits)
        back = at_provider(start(client))
        code = query_of(back)["code"]
        credentials = (
            quote(oidc_provider.client.client_id, safe=""),
            quote(oidc_provider.client.client_secret, safe=""),
        )
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver" + CALLBACK,
        }
        wrong = requests.post(
            oidc_provider.token_endpoint,
            data={**form, "code_verifier": "x" * 64},
            auth=credentials,
            timeout=5,
        )
        assert wrong.status_code == 400
        assert wrong.json()["error"] == "invalid_grant"
        missing = requests.post(
            oidc_provider.token_endpoint, data=form, auth=credentials, timeout=5
        )
        assert missing.status_code == 400
        assert missing.json()["error"] == "invalid_request"
        # Only the verifier kept in this browser's session opens the code.
        assert client.get(back).status_code == 302
        assert Verification.objects.count() == 1

    def test_the_provider_refuses_an_authorization_request_without_a_challenge(
        self, client, oidc_provider
    ):
        oidc_provider.login_as(ssn=make_pin().digits)
        authorize = with_query(start(client), code_challenge="", code_challenge_method="")
        back = at_provider(authorize)
        assert query_of(back)["error"] == "invalid_request"


@pytest.mark.django_db
class TestTheNumberIsNeverKept:
    def test_the_number_is_not_stored_and_not_logged(self, client, oidc_provider, caplog):
        caplog.set_level(logging.DEBUG, logger="torget")
        pin = make_pin()
        oidc_provider.login_as(ssn=pin.digits)
        log_in(client)
        verification = Verification.objects.get()
        fields = " ".join(
            str(getattr(verification, f.attname)) for f in Verification._meta.concrete_fields
        )
        stored = everything_stored()
        for form in (pin.digits, pin.digits[2:], str(pin)):
            assert form not in fields
            assert form not in stored
            assert form not in caplog.text

    def test_a_refused_number_is_not_logged(self, client, oidc_provider, caplog):
        caplog.set_level(logging.DEBUG, logger="torget")
        pin = make_pin()
        wrong = pin.digits[:-1] + str((int(pin.digits[-1]) + 1) % 10)
        oidc_provider.login_as(ssn=wrong)
        log_in(client)
        assert "refused" in caplog.text
        assert wrong not in caplog.text
        assert wrong not in everything_stored()

    def test_the_session_holds_no_tokens_after_the_log_in(self, client, oidc_provider):
        oidc_provider.login_as(ssn=make_pin().digits)
        log_in(client)
        assert client.session.get(oidc.SESSION_KEY) == {}
