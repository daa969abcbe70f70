"""Helpers for the browser journeys: accessibility checks, mail, log-in.

Import them in a journey with ``from e2e_helpers import assert_accessible`` (pytest puts
tests/e2e on sys.path, as for every test directory without an ``__init__.py``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from torget.testing.smtp import Received, SMTPServer

# The rules Torget promises: WCAG 2.1 level A and AA (EN 301 549, lagen om tillgänglighet
# till digital offentlig service).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DEMO_PASSWORD = "torget-demo"  # noqa: S105 — the demo's published password
DEMO_CITIZEN = "medborgare@demo.storeby.example"
DEMO_ADMIN = "admin@demo.storeby.example"


# --- Accessibility --------------------------------------------------------------------------


def axe_violations(
    page: Page, *, context: str | dict | None = None, disable_rules: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page as it is now; return the violations."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    disabled = list(disable_rules)
    if disabled:
        options["rules"] = {rule: {"enabled": False} for rule in disabled}
    results = Axe().run(page, context=context, options=options)
    return list(results.response["violations"])


def format_violations(violations: list[dict[str, Any]], *, url: str = "") -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA) on {url}:"]
    for violation in violations:
        tags = ", ".join(t for t in violation.get("tags", []) if t.startswith("wcag"))
        lines.append(
            f"\n- {violation['id']} [{violation.get('impact')}] {violation['help']} ({tags})"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"    * {target}\n      {html}")
            summary = node.get("failureSummary")
            if summary:
                for line in summary.splitlines():
                    lines.append(f"        {line.strip()}")
    return "\n".join(lines)


def assert_accessible(
    page: Page, *, context: str | dict | None = None, disable_rules: Iterable[str] = ()
) -> None:
    """Fail with a readable list if axe-core finds WCAG 2.1 A/AA violations on the page.

    `context` limits the check to part of the page (an axe context, e.g. "main");
    `disable_rules` switches off rules by id — use it only with a comment saying why.
    """
    violations = axe_violations(page, context=context, disable_rules=disable_rules)
    if violations:
        raise AssertionError(format_violations(violations, url=page.url))


# --- Mail -----------------------------------------------------------------------------------

URL_RE = re.compile(r"https?://[^\s<>\"]+")


def wait_for_mail(
    smtp_server: SMTPServer,
    address: str,
    *,
    drain: Callable[[], None] | None = None,
    count: int = 1,
    timeout: float = 10.0,
) -> list[Received]:
    """Wait until `count` messages to `address` have reached the test SMTP server.

    Mail goes through the notification outbox and the task queue; `drain` (the fixture of
    the same name) runs the worker in the test process, which is what makes it arrive.
    """
    deadline = time.monotonic() + timeout
    while True:
        if drain is not None:
            drain()
        received = smtp_server.to(address)
        if len(received) >= count:
            return received
        if time.monotonic() > deadline:
            others = [(m.envelope_to, m.subject) for m in smtp_server.messages]
            raise AssertionError(
                f"Expected {count} message(s) to {address} within {timeout} s, got "
                f"{len(received)}. All messages received: {others}"
            )
        time.sleep(0.1)


def links_in(text: str, *, containing: str = "") -> list[str]:
    return [url.rstrip(".,)") for url in URL_RE.findall(text) if containing in url]


# --- Journeys' common steps ------------------------------------------------------------------


def log_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form and wait for "Mina sidor"."""
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{base_url}/mina-sidor/")
