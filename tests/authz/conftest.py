"""The authorisation matrix loads the demo once per module, as the fuzz tests do."""

from __future__ import annotations

from tests.fuzz.harness import demo_site  # noqa: F401 (the module's demo municipality)

# The closing line (`authz matrix: …`) is printed by the root conftest.py (tests/authz/tally.py).
