"""The authorisation matrix loads the demo once per module, as the fuzz tests do."""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import ROLES
from tests.authz.tally import Tally
from tests.fuzz.harness import demo_site  # noqa: F401 (the module's demo municipality)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if Tally.cells:
        terminalreporter.write_line(
            f"authz matrix: {Tally.patterns} URL patterns x {len(ROLES)} roles, "
            f"{Tally.cells} GET answers, {Tally.posts} POSTs, {Tally.links} links followed; "
            f"{Tally.requests} requests taking {Tally.seconds:.0f} s"
        )
