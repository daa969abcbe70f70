"""Request ids in every log line, and log lines as JSON for a log collector.

A request id ties together everything one request logged, in Torget and in nginx: nginx sends
its `$request_id` as `X-Request-ID`, `RequestIdMiddleware` keeps it (or makes one) for the
length of the request, and `RequestIdFilter` stamps it on each log record. Kept in a context
variable, so threads and async code each see their own.
"""

import json
import logging
import re
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from the proxy: short, and nothing that could break a log line or a header
# (nginx's $request_id is 32 hex digits; a load balancer's may be a UUID).
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{8,64}")

request_id_var: ContextVar[str] = ContextVar("torget_request_id", default="-")


def valid_request_id(value: str | None) -> str | None:
    """The proxy's id when it is one we can log safely, else None."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return secrets.token_hex(16)


def forget_request_id(**kwargs: Any) -> None:
    """On `request_finished`: what the process logs between requests has no id."""
    request_id_var.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request: the worker, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class PlainFormatter(logging.Formatter):
    """One line of text with the request's id, also on a handler without RequestIdFilter
    (another handler added to LOGGING later), where `%(request_id)s` would otherwise fail."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return super().format(record)


# The attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    the exception's traceback when there is one, and whatever the call passed in `extra`.
    `request` (Django puts the HttpRequest there) is left out: it holds cookies."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key == "request" or key.startswith("_"):
                continue
            entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)
