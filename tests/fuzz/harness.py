"""State shared by the fuzz tests and their conftest (imported under one name by both)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


class Tally:
    cases = 0
    failures = 0
    forms = 0


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
