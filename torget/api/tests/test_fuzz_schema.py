"""schemathesis against the API's own OpenAPI document, in this process (the WSGI app, the
test database with the demo loaded): every operation gets API_FUZZ_EXAMPLES generated
requests (default 5, so CI stays fast; raise it for a deeper run), and each response must be
no server error, a documented status code and content type, and match its schema.

The suite ends with one line, `schemathesis: N cases, F failures` (conftest.py)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from torget.api.tests.tally import Tally

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _fuzz(operation: Any, tally: dict[str, Any]) -> None:
    """EXAMPLES generated requests to one operation; failures counted, not raised (so that
    hypothesis does not stop at the first one or spend the time shrinking it)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        tally["cases"] += 1
        try:
            case.call_and_validate(checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # a check's failure (a group)
            tally["problems"].append(
                f"{operation.label} {case.path_parameters} {case.query}: {error}"
            )

    run()


def test_the_api_keeps_to_its_openapi_document(demo):
    from torget.wsgi import application

    # As Django's test client does: the test's database connection (and its transaction with
    # the demo) must outlive each request, which the WSGI handler would otherwise close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
        tally: dict[str, Any] = {"cases": 0, "problems": []}
        operations = 0
        for result in schema.get_all_operations():
            _fuzz(result.ok(), tally)
            operations += 1
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    problems = tally["problems"]
    # The suite's closing lines (conftest.py) print "schemathesis: N cases, F failures".
    Tally.add({"cases": tally["cases"], "failures": len(problems), "operations": operations})
    assert operations >= 2 * 10 + 2
    assert problems == [], "\n\n".join(problem[:1500] for problem in problems[:20])
