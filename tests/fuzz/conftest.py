"""Property-based tests over every form and parameter the site offers (hypothesis).

The demo municipality is loaded once per module inside a transaction that is rolled back at
the end; every example runs in a savepoint of its own, so one example's writes never reach
the next. The number of examples per form is FUZZ_EXAMPLES (default 12), so CI's time stays
bounded; the session ends by printing how many cases ran and how many failed (the root
conftest.py prints the line).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fuzz.harness import demo_site  # noqa: F401 (the module's demo)

# The closing line (`fuzz: N cases …`) is printed by the root conftest.py, which also adds up
# the workers' counts under pytest-xdist.


@pytest.fixture
def unblocked(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield
