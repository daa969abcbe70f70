import pytest
from django.core.servers.basehttp import WSGIServer

from torget.testing.smtp import SMTPServer

# The live server listens with socketserver's backlog of 5; tests that open 50 connections at
# once (torget/proposals/tests/test_concurrency.py) would see some refused before Django runs.
WSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True, scope="session")
def _test_notice_kind(django_db_setup):
    # The kind of notice whose templates exist only for the test suite (testing/templates).
    from torget.notifications import notices

    notices.register(
        "test.event", example={"title": "Vattenläcka på Storgatan", "url": "/"}, followers=True
    )


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    # Uploads go to a folder of this test process's own (one per pytest-xdist worker), never
    # to the checkout's var/media, which `make run` uses.
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def smtp_server(settings):
    """A real local SMTP server, with Django configured to deliver to it."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def citizen(db):
    from torget.accounts.tests.factories import CitizenFactory

    return CitizenFactory()


@pytest.fixture
def demo(db):
    """The demo municipality, loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def postgres_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")


@pytest.fixture
def drain(db):
    """Call drain() to let the worker expand and send everything queued so far."""
    from torget.testing.worker import drain as _drain

    return _drain


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    from torget.notifications import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def elks(settings):
    """A local server speaking 46elks' SMS API, with Torget configured to use it."""
    from torget.testing.elks import ElksServer

    server = ElksServer()
    settings.SMS_URL = server.url
    settings.SMS_SENDER = "Storeby"
    yield server
    server.stop()


@pytest.fixture
def oidc_provider(settings):
    """A real OpenID Connect provider on a local port, with Torget configured as its client.

    Log someone in with `oidc_provider.login_as(ssn="198001010001")`; cancel the next log-in
    with `oidc_provider.deny_next()`. Change `pin_claim`, `pin_in_userinfo_only` or
    `client.token_endpoint_auth_method` on the provider before the flow starts (and set
    `settings.OIDC_PIN_CLAIM` to match a new claim name).
    """
    from torget.identity.methods.oidc import forget_discovery
    from torget.testing.oidc_provider import OIDCProvider

    # A secret with characters that must be form-encoded for Basic authentication.
    secret = "test-secret:åäö & more"  # noqa: S105 (the test provider's own)
    provider = OIDCProvider(client_id="torget-test", client_secret=secret)
    provider.start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = provider.client.client_id
    settings.OIDC_CLIENT_SECRET = provider.client.client_secret
    settings.OIDC_PIN_CLAIM = provider.pin_claim
    forget_discovery()
    yield provider
    forget_discovery()
    provider.stop()


@pytest.fixture
def redis_cache(settings):
    """Django's cache on Redis (as in production), for the code that talks to Redis itself.
    Skipped when no Redis answers at REDIS_TEST_URL (default redis://127.0.0.1:6379/15).
    The keys get a prefix of their own; the database is never flushed."""
    import os
    import secrets

    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {url}")
    prefix = "torget-test-" + secrets.token_hex(8)
    settings.CACHES = {
        "default": {
            "BACKEND": "torget.core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
