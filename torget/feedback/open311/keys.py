"""API keys of the Open311 integrations: issued by an administrator, shown once, stored only
as a SHA-256 hash (with the first characters kept so a key can be recognised in a list)."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.feedback.models import ApiClient

HINT_LENGTH = 6
# last_used_at is for the administrator ("is this integration still in use?"), not a log:
# a busy integration writes it at most once a minute.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def api_client_create(
    *, name: str, contact_email: str = "", actor: Actor | None = None
) -> tuple[ApiClient, str]:
    """A new integration and its key. The key is returned this once and never stored."""
    key = _new_key()
    client = ApiClient(
        name=name.strip(),
        contact_email=contact_email.strip(),
        key_hash=_hash(key),
        key_hint=key[:HINT_LENGTH],
    )
    client.full_clean()
    client.save()
    audit.record(actor=actor, action="apiclient.created", obj=client)
    return client, key


@transaction.atomic
def api_client_rotate(*, client: ApiClient, actor: Actor | None = None) -> str:
    """Replace the integration's key; the old one stops working at once."""
    key = _new_key()
    client.key_hash = _hash(key)
    client.key_hint = key[:HINT_LENGTH]
    client.save(update_fields=["key_hash", "key_hint"])
    audit.record(actor=actor, action="apiclient.key_rotated", obj=client)
    return key


def api_client_for_key(key: str | None) -> ApiClient | None:
    """The active integration holding this key, or None."""
    if not key or len(key) > 200:
        return None
    client = ApiClient.objects.filter(key_hash=_hash(key), is_active=True).first()
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        client.last_used_at = now
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client
