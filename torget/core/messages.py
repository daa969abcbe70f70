"""Django's message storage, remembering how its cookie encodes a confirmation.

CookieStorage serialises, compresses and signs its messages on every response that carries
one. The encoding of the same messages is always the same (the signature has no timestamp),
and a busy page gives everyone the same confirmation ("Tack! Ditt stöd är registrerat."), so
the encodings of single messages are kept, a few hundred at most per process. Settings use
this through MESSAGE_STORAGE; everything else is Django's.
"""

from typing import Any

from django.conf import settings
from django.contrib.messages.storage import cookie, fallback, session

_MAX = 256
_encoded: dict[tuple[str, str, bool], Any] = {}


class CookieStorage(cookie.CookieStorage):
    def _encode_parts(self, messages: Any, encode_empty: bool = False) -> Any:
        if len(messages) != 1:
            return super()._encode_parts(messages, encode_empty=encode_empty)  # type: ignore[misc]
        key = (settings.SECRET_KEY, messages[0], encode_empty)
        try:
            return _encoded[key]
        except KeyError:
            pass
        value = super()._encode_parts(messages, encode_empty=encode_empty)  # type: ignore[misc]
        if len(_encoded) >= _MAX:
            _encoded.clear()
        _encoded[key] = value
        return value


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)
