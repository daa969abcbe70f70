"""Fixtures shared by the whole suite."""

import pytest

pytest_plugins = ["torget.testing.fixtures"]


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    # `database_independent` tests check what no database changes (the wheel's contents, the
    # deploy files, the headers of every page): CI runs the suite on SQLite and again on
    # PostgreSQL, and these run in the SQLite pass only.
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="database-independent: checked in the SQLite run")
    for item in items:
        if item.get_closest_marker("database_independent"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _swedish_by_default():
    # A request in English leaves English active in the thread; the next test starts Swedish.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; one test's attempts must not limit the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- The closing lines of the fuzz suites and the authorisation matrix --------------------------
# Counted in the processes that run the tests: under pytest-xdist each worker sends its counts
# to the controller when it finishes, which adds them up (tests/tally.py) and prints the lines.


def _tallies() -> dict:
    from tests.authz.tally import Tally as authz
    from tests.fuzz.harness import Tally as fuzz
    from torget.api.tests.tally import Tally as schemathesis

    return {"fuzz": fuzz, "authz": authz, "schemathesis": schemathesis}


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker
        output["tallies"] = {name: tally.as_dict() for name, tally in _tallies().items()}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    tallies = _tallies()
    for name, counts in getattr(node, "workeroutput", {}).get("tallies", {}).items():
        tallies[name].add(counts)


def pytest_terminal_summary(terminalreporter) -> None:
    if hasattr(terminalreporter.config, "workeroutput"):
        return
    for tally in _tallies().values():
        if line := tally.line():
            terminalreporter.write_line(line)
