"""The database out of reach (PostgreSQL restarting, failing over, refusing connections) is
answered 503 with Retry-After and a page that says so, not the bare server error; any other
failure is still the 500 page."""

from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.security.page_checks import html_problems

pytestmark = pytest.mark.django_db


def _get_with_the_database_raising(monkeypatch: Any, error: Exception, path: str) -> Any:
    def unreachable(self: Any) -> None:
        raise error

    client = Client(raise_request_exception=False)
    # Undone inside the test, so that the test's own transaction can still be rolled back.
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
        return client.get(path)


@pytest.mark.parametrize("path", ["/", "/forslag/", "/felanmalan/", "/api/v1/forslag/"])
def test_the_database_out_of_reach_is_a_503_with_a_page_that_says_so(monkeypatch, path):
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    response = _get_with_the_database_raising(monkeypatch, refused, path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Torget kan inte nå sin databas just nu" in page
    assert "Försök igen om en stund" in page
    response["Content-Type"] = "text/html; charset=utf-8"
    assert html_problems(response) == []


def test_any_other_failure_is_still_the_server_error_page(monkeypatch):
    response = _get_with_the_database_raising(monkeypatch, RuntimeError("ett fel"), "/forslag/")

    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
    assert "Retry-After" not in response
