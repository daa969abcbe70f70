"""State shared by the fuzz tests and their conftest (imported under one name by both), and
by the authorisation matrix (tests/authz), which walks the same demo."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.tally import Counts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


class Tally(Counts):
    cases: int = 0
    failures: int = 0
    forms: int = 0
    # Of the cases, those that called a service directly (test_services.py), and how many
    # service entry points they called.
    service_cases: int = 0
    services: int = 0

    @classmethod
    def line(cls) -> str | None:
        if not cls.cases:
            return None
        services = (
            f" and {cls.service_cases} cases over {cls.services} service entry points"
            if cls.service_cases
            else ""
        )
        return (
            f"fuzz: {cls.cases} cases ({cls.cases - cls.service_cases} over {cls.forms} forms "
            f"and parameter sets{services}), {cls.failures} failed"
        )


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example: its own savepoint, rolled back whatever happened, with empty rate
    limits so earlier examples don't turn this one into a 429."""
    from django.core.cache import cache
    from django.db import transaction

    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo municipality, loaded once for a test module in a transaction that is rolled
    back at its end (the module's tests run in savepoints inside it)."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with open(os.devnull, "w") as devnull:
                call_command("load_demo", stdout=devnull)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
