"""Counts for the summary line the matrix prints at the end of the run."""

from __future__ import annotations

from tests.authz.matrix import ROLES
from tests.tally import Counts


class Tally(Counts):
    same_in_every_worker = frozenset({"patterns"})

    patterns: int = 0
    cells: int = 0
    posts: int = 0
    links: int = 0
    requests: int = 0
    seconds: float = 0.0

    @classmethod
    def line(cls) -> str | None:
        if not cls.cells:
            return None
        return (
            f"authz matrix: {cls.patterns} URL patterns x {len(ROLES)} roles, "
            f"{cls.cells} GET answers, {cls.posts} POSTs, {cls.links} links followed; "
            f"{cls.requests} requests taking {cls.seconds:.0f} s"
        )
