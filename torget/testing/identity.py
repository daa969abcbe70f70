"""Browser sessions that have just passed an e-ID step, for tests and benchmarks."""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from torget.identity.models import Verification
from torget.identity.selectors import SESSION_KEY

CSRF_SECRET_LENGTH = 32


def verified_session(verification: Verification) -> str:
    """A saved session holding a fresh verification; returns its key (the cookie value)."""
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = verification.pk
    store.save()
    return str(store.session_key)


def csrf_secret() -> str:
    """A CSRF secret usable both as the csrftoken cookie and as the form field."""
    return get_random_string(CSRF_SECRET_LENGTH)
