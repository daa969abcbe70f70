"""Counts that a part of the suite prints in one line at the end of the run.

Under pytest-xdist the counting happens in the workers; each sends its counts to the
controller when it finishes, and the controller adds them up (conftest.py) and prints the
line, as a run in one process does."""

from __future__ import annotations

from typing import Any, ClassVar


class Counts:
    """Subclass with annotated class attributes (``cases: int = 0``); tests add to them."""

    # Values that every worker that sets them sets alike (a size, not a count): kept, not added.
    same_in_every_worker: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def fields(cls) -> list[str]:
        return [name for name in cls.__annotations__ if name != "same_in_every_worker"]

    @classmethod
    def as_dict(cls) -> dict[str, Any]:
        return {name: getattr(cls, name) for name in cls.fields()}

    @classmethod
    def add(cls, counts: dict[str, Any]) -> None:
        for name in cls.fields():
            mine, theirs = getattr(cls, name), counts.get(name, 0)
            kept = name in cls.same_in_every_worker
            setattr(cls, name, max(mine, theirs) if kept else mine + theirs)

    @classmethod
    def line(cls) -> str | None:
        """The summary line, or None when this part of the suite did not run."""
        raise NotImplementedError
