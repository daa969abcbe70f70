import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest

from torget.core.logs import JsonFormatter, PlainFormatter, RequestIdFilter, request_id_var


def _console_handler() -> logging.Handler:
    """The handler settings.LOGGING puts on the root logger."""
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, RequestIdFilter) for f in handler.filters):
            return handler
    raise AssertionError("no handler with the request id filter on the root logger")


@pytest.fixture
def log_lines():
    """What the configured console handler writes, as lines, in JSON for the test."""
    handler = _console_handler()
    stream = io.StringIO()
    old_stream = handler.setStream(stream)  # type: ignore[attr-defined]
    old_formatter = handler.formatter
    handler.setFormatter(JsonFormatter())
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(old_stream)  # type: ignore[attr-defined]
    handler.setFormatter(old_formatter)


@pytest.mark.django_db
class TestRequestId:
    def test_a_request_without_one_gets_a_fresh_id_on_the_response(self, client):
        first = client.get("/om/")["X-Request-ID"]
        second = client.get("/om/")["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", first)
        assert first != second

    def test_the_proxys_id_is_kept(self, client):
        sent = "5f2b6c8a9d0e4f1a2b3c4d5e6f708192"  # nginx's $request_id
        response = client.get("/om/", HTTP_X_REQUEST_ID=sent)
        assert response["X-Request-ID"] == sent

    @pytest.mark.parametrize(
        "sent",
        [
            "x" * 65,
            "short",
            "id with spaces",
            "<script>alert(1)</script>",
            "abc\u00e5\u00e4\u00f6defgh",
        ],
    )
    def test_an_unsafe_or_odd_id_is_replaced(self, client, sent):
        returned = client.get("/om/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
        assert returned != sent
        assert re.fullmatch(r"[0-9a-f]{32}", returned)

    def test_every_log_line_of_the_request_carries_its_id(self, client, log_lines):
        sent = "req-1234567890abcdef"
        response = client.get("/ingen-sadan-sida/", HTTP_X_REQUEST_ID=sent)
        assert response.status_code == 404
        records = [r for r in log_lines() if r["logger"] == "django.request"]
        assert records, "Django logs a 404 as a warning"
        assert all(r["request_id"] == sent for r in records)
        assert "/ingen-sadan-sida/" in records[0]["message"]
        # Once the response is closed, lines logged between requests carry no stale id.
        assert request_id_var.get() == "-"

    def test_outside_a_request_the_id_is_a_dash(self, log_lines):
        logging.getLogger("torget.worker").warning("a line from the worker")
        (record,) = [r for r in log_lines() if r["logger"] == "torget.worker"]
        assert record["request_id"] == "-"
        assert request_id_var.get() == "-"


class TestJsonFormatter:
    def _format(self, record: logging.LogRecord) -> dict:
        RequestIdFilter().filter(record)
        return json.loads(JsonFormatter().format(record))

    def test_one_object_with_time_level_logger_message_and_extras(self):
        record = logging.makeLogRecord(
            {
                "name": "torget.test",
                "levelno": logging.ERROR,
                "levelname": "ERROR",
                "msg": "sent %d messages å ä ö",
                "args": (3,),
                "delivery_id": 42,
                "request": object(),  # Django's HttpRequest: cookies, never logged
            }
        )
        entry = self._format(record)
        assert entry["message"] == "sent 3 messages å ä ö"
        assert entry["level"] == "ERROR"
        assert entry["logger"] == "torget.test"
        assert entry["delivery_id"] == 42
        assert "request" not in entry
        assert entry["time"].endswith("+00:00")

    def test_an_exception_comes_with_its_traceback(self):
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
        entry = self._format(record)
        assert "ValueError: boom" in entry["exception"]
        assert "Traceback" in entry["exception"]


def test_the_plain_format_works_on_a_handler_without_the_filter():
    # Another handler added to LOGGING (a file, mail to the admins) may lack the filter.
    formatter = PlainFormatter("%(levelname)s [%(request_id)s]: %(message)s")
    token = request_id_var.set("abc12345")
    try:
        line = formatter.format(logging.makeLogRecord({"msg": "hej", "levelname": "INFO"}))
    finally:
        request_id_var.reset(token)
    assert line == "INFO [abc12345]: hej"


def test_an_unknown_log_format_stops_start_up_with_a_clear_message():
    env = os.environ | {"TORGET_ENV": "test", "LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
