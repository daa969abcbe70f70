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
import unicodedata
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


# One SMS: 160 characters of the GSM 03.38 alphabet. A text that keeps a character outside it
# (Sami ŋ, Arabic, an emoji) is sent as UCS-2 instead, 70 characters a segment; it is held to
# the same 160 characters and so costs three segments, never more.
MAX_LENGTH = 160
# A message of an SMS conversation (notices.register(bare=True)) may take up to three.
CONVERSATION_MAX_LENGTH = 3 * 153
UCS2_SEGMENT = 70
GSM_SEGMENT = 160

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: each costs two (an escape and itself).
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

# Typography that has a plain GSM twin: a title typed in a word processor must not turn a
# message into UCS-2 (70 characters a segment) for the sake of its quotation marks.
_TWINS = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛′‹›`´", "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\t", " "),
        "…": "...",
        "•": "-",
        "·": "-",
        "×": "x",
        "\u200b": "",
        "\u00ad": "",
    }
)


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENSION for c in text)


def to_gsm(text: str) -> str:
    """The text in the GSM alphabet where that is possible without losing its sense:
    typographic quotes and dashes become plain ones, and a letter outside the alphabet loses
    its accent (á → a; é, å, ä, ö are in it and stay). What has no twin is kept."""
    text = text.translate(_TWINS)
    if is_gsm(text):
        return text
    out = []
    for char in text:
        if char in GSM_BASIC or char in GSM_EXTENSION:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and is_gsm(base) else char)
    return "".join(out)


def length(text: str) -> int:
    """Characters as the network counts them: GSM septets, or UTF-16 units for UCS-2."""
    if is_gsm(text):
        return sum(2 if c in GSM_EXTENSION else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS the text is sent as (concatenated parts carry a 7-character header)."""
    single, part = (GSM_SEGMENT, 153) if is_gsm(text) else (UCS2_SEGMENT, 67)
    n = length(text)
    return 1 if n <= single else -(-n // part)


ELLIPSIS = "..."


def compose(message: str, tail: str = "", *, limit: int = MAX_LENGTH) -> str:
    """`message` shortened as needed so that it and `tail` (the links, never cut) fit in
    `limit` characters, in GSM 03.38 where possible."""
    lines = [" ".join(line.split()) for line in to_gsm(message).strip().splitlines()]
    message = "\n".join(line for line in lines if line)
    tail = to_gsm(tail)
    if length(message + tail) <= limit:
        return message + tail
    cut = message[:limit]
    while cut and length(cut.rstrip() + ELLIPSIS + tail) > limit:
        cut = cut[:-1]
    return (cut.rstrip() + ELLIPSIS if cut.strip() else "") + tail


def fit(message: str) -> str:
    return compose(message)
