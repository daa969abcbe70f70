"""Under pytest-xdist every worker counts its own fuzz cases and matrix answers; the closing
lines add them up (tests/tally.py, conftest.py at the root)."""

from tests.tally import Counts


def _walk() -> type[Counts]:
    class Walk(Counts):
        same_in_every_worker = frozenset({"patterns"})

        patterns: int = 0
        cases: int = 0
        seconds: float = 0.0

        @classmethod
        def line(cls) -> str | None:
            return f"{cls.patterns} patterns, {cls.cases} cases, {cls.seconds:.0f} s"

    return Walk


def test_the_controller_adds_the_workers_counts_and_keeps_a_size_once():
    walk = _walk()
    walk.add({"patterns": 120, "cases": 300, "seconds": 10.5})
    walk.add({"patterns": 120, "cases": 200, "seconds": 4.5})
    assert walk.as_dict() == {"patterns": 120, "cases": 500, "seconds": 15.0}
    assert walk.line() == "120 patterns, 500 cases, 15 s"


def test_a_worker_that_never_reached_the_size_does_not_lower_it():
    walk = _walk()
    walk.add({"patterns": 0, "cases": 7, "seconds": 1.0})
    walk.add({"patterns": 98, "cases": 0, "seconds": 0.0})
    assert walk.as_dict() == {"patterns": 98, "cases": 7, "seconds": 1.0}
