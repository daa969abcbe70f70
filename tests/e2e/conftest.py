"""Browser journeys: Django's live server driven by headless Chromium through Playwright.

Every test here is marked `e2e` (run only them with ``-m e2e``, skip them with
``-m "not e2e"``). A journey asks for `page` (a fresh browser context in Swedish) and
`live_server`, and checks accessibility with `e2e_helpers.assert_accessible`.

Chromium is Debian's (``apt-get install chromium``), never one downloaded by Playwright.
TORGET_E2E_CHROMIUM points at another binary; TORGET_E2E_ARTIFACTS names a folder where a
failing journey leaves a screenshot and the page's HTML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("TORGET_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium calls Google's hosts, which a closed network refuses (slowly).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.path).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


CONSOLE_ERRORS = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    # When a journey fails, say where the browser was (and keep a screenshot if asked to).
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None:
        report.sections.append(("browser", _describe_failure(item, page)))
    return report


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the main thread; while it does, Django
    # refuses ORM calls from the test (fixtures, factories, the worker) as "async unsafe".
    # Set here, not at import, so that a run without browser tests keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    yield manager
    manager.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        # Fail, never skip: a missing browser must not turn the journeys silently green.
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, which is missing. Install it "
            "with `apt-get install -y chromium` (or set TORGET_E2E_CHROMIUM to a Chromium "
            "binary). Do not run `playwright install`. To run the rest of the suite without "
            'the browser tests: pytest -m "not e2e".',
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _keep_local(route) -> None:
    # The site must work without third parties (and the test network has none): requests
    # anywhere but the live server are refused at once instead of hanging until a timeout.
    host = urlsplit(route.request.url).hostname or ""
    if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def browser_context_args() -> dict:
    """Override in a module or test to change the context (viewport, locale, …)."""
    return {"locale": "sv-SE", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def context(browser, browser_context_args) -> Iterator:
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), _keep_local)
    yield context
    context.close()


# Every page tells the test what its Content-Security-Policy refused: Chromium writes each
# refusal to the console, and the page's securitypolicyviolation event is written there too
# (the init script comes through the DevTools protocol, which the policy does not govern).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""
CSP_MARKERS = ("Content Security Policy", "CSP violation")


@pytest.fixture
def page(context, request: pytest.FixtureRequest) -> Iterator:
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    console_errors = request.node.stash.setdefault(CONSOLE_ERRORS, [])
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    yield page
    page.close()
    # A journey that passes with something refused by the policy has a part that silently
    # does not work (a script, a style, a map tile): it fails here.
    violations = [text for text in console_errors if any(m in text for m in CSP_MARKERS)]
    if violations:
        pytest.fail(
            "The Content-Security-Policy refused something on a page:\n  "
            + "\n  ".join(dict.fromkeys(violations)),
            pytrace=False,
        )


def _describe_failure(item: pytest.Item, page) -> str:
    console_errors = item.stash.get(CONSOLE_ERRORS, [])
    details = [f"URL: {page.url}"]
    try:
        details.append(f"Title: {page.title()}")
    except Exception as error:  # noqa: BLE001 — a report must not hide the real failure
        details.append(f"Title: ({error})")
    if console_errors:
        details.append("Console errors:\n  " + "\n  ".join(console_errors))
    folder = os.environ.get("TORGET_E2E_ARTIFACTS")
    if folder:
        target = Path(folder) / re.sub(r"[^\w.-]+", "_", item.nodeid)
        target.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=target / "page.png", full_page=True)
            (target / "page.html").write_text(page.content(), encoding="utf-8")
            details.append(f"Screenshot and HTML: {target}")
        except Exception as error:  # noqa: BLE001
            details.append(f"Could not save artifacts: {error}")
    return "\n".join(details)


# --- Server ---------------------------------------------------------------------------------


@pytest.fixture
def base_url(live_server) -> str:
    """The live server's root, without a trailing slash (e.g. http://localhost:41234)."""
    return live_server.url.rstrip("/")


# --- The demo municipality, loaded once ---------------------------------------------------------

# Tables that are not empty in a fresh database: filled by migrations and post_migrate (the
# role groups and their permissions). If another such table appears, the copy is not used
# (the demo is loaded the slow way) until it is added here.
_BOOTSTRAP_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}
_demo_snapshot: list = []  # the database as load_demo left it: sqlite3.Connection or _PostgresSnapshot


def _is_fresh(connection) -> bool:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in _BOOTSTRAP_TABLES or table.startswith("sqlite_"):
                continue
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 — names from the schema
            if cursor.fetchone() is not None:
                return False
    return True


class _PostgresSnapshot:
    """The demo's rows on PostgreSQL, as binary COPY of every table and the sequences' values:
    restored into a flushed test database in about a second instead of load_demo's twelve.
    Needs a role that may set session_replication_role (a superuser, as in CI) so that the
    rows go back in any table order; without one the demo is loaded the slow way."""

    def __init__(self, connection) -> None:
        self.tables = [
            t for t in connection.introspection.table_names() if t != "django_migrations"
        ]
        self.rows: dict[str, bytes] = {}
        self.sequences: list[tuple[str, int, bool]] = []
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in self.tables:
                data = bytearray()
                with raw.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    for block in copy:
                        data += block
                self.rows[table] = bytes(data)
            cursor.execute(
                "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = current_schema()"
            )
            self.sequences = [(name, value, value is not None) for name, value in cursor.fetchall()]

    def restore(self, connection) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables))
                for table in self.tables:
                    with raw.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(self.rows[table])
                for name, value, called in self.sequences:
                    cursor.execute("SELECT setval(%s, %s, %s)", [name, value or 1, called])
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")


def _may_replicate(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.fixture
def demo(db):
    """The demo municipality, as the suite-wide `demo` fixture loads it, but fast.

    A live-server journey cannot share data with the next (each ends with a flush), so the
    demo would be loaded for every journey (about a second on SQLite, twelve on PostgreSQL).
    It is loaded once and copied back into a fresh database: on the in-memory SQLite test
    database with SQLite's backup API (milliseconds), on PostgreSQL with binary COPY (about a
    second). With data already present, or in a test inside a transaction, load_demo runs as
    usual.
    """
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    def load() -> None:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    if connection.in_atomic_block or not _is_fresh(connection):
        load()
        return
    if connection.vendor == "postgresql" and _may_replicate(connection):
        if not _demo_snapshot:
            load()
            _demo_snapshot.append(_PostgresSnapshot(connection))
        else:
            _demo_snapshot[0].restore(connection)
            ContentType.objects.clear_cache()
        return
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        load()
        return
    connection.ensure_connection()
    if not _demo_snapshot:
        load()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _demo_snapshot.append(snapshot)
    else:
        _demo_snapshot[0].backup(connection.connection)
        # Content type ids differ from those the flush recreated; forget the cached ones.
        ContentType.objects.clear_cache()


@pytest.fixture
def new_page(browser, browser_context_args) -> Iterator[Callable[..., object]]:
    """Another person's browser: a fresh context (no cookies), set up as conftest's `context`."""
    contexts = []

    def refuse_remote(route) -> None:
        if route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def make(*, without_site_scripts: bool = False):
        args = dict(browser_context_args)
        if without_site_scripts:
            # The site's own scripts are refused, but the browser runs JavaScript: axe-core
            # runs in the page (on a page with JavaScript switched off it would never finish).
            args["java_script_enabled"] = True
        context = browser.new_context(**args)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), refuse_remote)
        if without_site_scripts:
            context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
