"""Counts for the line schemathesis' run against the API prints at the end of the suite."""

from __future__ import annotations

from tests.tally import Counts


class Tally(Counts):
    cases: int = 0
    failures: int = 0
    operations: int = 0

    @classmethod
    def line(cls) -> str | None:
        if not cls.cases:
            return None
        return (
            f"schemathesis: {cls.cases} cases, {cls.failures} failures "
            f"({cls.operations} API operations)"
        )
