import pytest
from django.core.servers.basehttp import WSGIServer

# The live server listens with socketserver's backlog of 5; tests that open 50 connections at
# once (torget/proposals/tests/test_concurrency.py) would see some refused before Django runs.
WSGIServer.request_queue_size = 128

from torget.testing.smtp import SMTPServer


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
