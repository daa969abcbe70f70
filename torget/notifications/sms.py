"""SMS gateways behind one small interface, chosen by the SMS_URL setting:

- ``46elks://USER:PASSWORD@api.46elks.com`` — 46elks' HTTP API (``POST /a1/sms`` with
  ``from``, ``to``, ``message`` and basic auth); ``46elks+http://…`` for a local test server
- ``console://`` — write messages to the log (development)
- ``file:///path/sms.jsonl`` — append messages to a file, one JSON object per line
- ``memory://`` — keep them in ``sms.outbox`` (tests)
- empty — SMS is switched off: forms do not offer it and nothing is sent
"""

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsBackend:
    def send(self, *, to: str, message: str) -> str:
        """Send one message to an E.164 number; returns the provider's id for it."""
        raise NotImplementedError


class DisabledSmsBackend(SmsBackend):
    def send(self, *, to: str, message: str) -> str:
        raise SmsError("SMS is not configured (SMS_URL is empty).", permanent=True)


class ConsoleSmsBackend(SmsBackend):
    def send(self, *, to: str, message: str) -> str:
        logger.info("SMS to %s from %s:\n%s", to, settings.SMS_SENDER, message)
        return "console"


@dataclass
class SentSms:
    sender: str
    to: str
    message: str


outbox: list[SentSms] = []


class MemorySmsBackend(SmsBackend):
    def send(self, *, to: str, message: str) -> str:
        outbox.append(SentSms(settings.SMS_SENDER, to, message))
        return f"memory-{len(outbox)}"


class FileSmsBackend(SmsBackend):
    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def send(self, *, to: str, message: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(
                json.dumps(
                    {"from": settings.SMS_SENDER, "to": to, "message": message}, ensure_ascii=False
                )
                + "\n"
            )
        return "file"


class FortySixElksBackend(SmsBackend):
    """46elks (Stockholm): https://46elks.com/docs/send-sms"""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.url = base_url.rstrip("/") + "/a1/sms"
        self.auth = (username, password)

    def send(self, *, to: str, message: str) -> str:
        try:
            response = requests.post(
                self.url,
                data={"from": settings.SMS_SENDER, "to": to, "message": message},
                auth=self.auth,
                timeout=settings.SMS_TIMEOUT,
            )
        except requests.RequestException as error:
            raise SmsError(f"46elks unreachable: {error}") from error
        if response.status_code == 200:
            try:
                return str(response.json()["id"])
            except (ValueError, KeyError) as error:
                raise SmsError(f"46elks answered without an id: {response.text[:200]}") from error
        # 4xx other than rate limiting are about this message (bad number, no credit, bad
        # credentials) and won't improve by retrying soon; 429 and 5xx will.
        permanent = 400 <= response.status_code < 500 and response.status_code != 429
        raise SmsError(f"46elks {response.status_code}: {response.text[:200]}", permanent=permanent)


@lru_cache(maxsize=8)
def _backend_for(url: str) -> SmsBackend:
    if not url:
        return DisabledSmsBackend()
    # A URL scheme may not start with a digit, so "46elks" is read as "elks".
    parts = urlsplit("elks" + url[len("46elks") :] if url.startswith("46elks") else url)
    if parts.scheme == "console":
        return ConsoleSmsBackend()
    if parts.scheme == "memory":
        return MemorySmsBackend()
    if parts.scheme == "file":
        return FileSmsBackend(unquote(parts.path))
    if parts.scheme in ("elks", "elks+http"):
        protocol = "http" if parts.scheme.endswith("+http") else "https"
        host = parts.hostname or "api.46elks.com"
        netloc = f"{host}:{parts.port}" if parts.port else host
        return FortySixElksBackend(
            f"{protocol}://{netloc}", unquote(parts.username or ""), unquote(parts.password or "")
        )
    raise ValueError(f"Unknown SMS_URL scheme {parts.scheme!r}")


def get_backend() -> SmsBackend:
    return _backend_for(settings.SMS_URL)


def is_enabled() -> bool:
    return bool(settings.SMS_URL)


# Three concatenated GSM segments; a notification that needs more belongs in an e-mail.
MAX_LENGTH = 459


def fit(message: str) -> str:
    message = message.strip()
    return message if len(message) <= MAX_LENGTH else message[: MAX_LENGTH - 1].rstrip() + "…"
