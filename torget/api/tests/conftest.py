"""The demo municipality for the API's tests, loaded once per test module (as tests/fuzz does)
in a transaction rolled back at the module's end; each test runs in a savepoint inside it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
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
