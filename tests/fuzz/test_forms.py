"""Every form of the site, as each kind of visitor finds it, filled with hostile values.

For each role the crawler follows the links from the start pages and keeps every form; each
form is then sent FUZZ_EXAMPLES times with hypothesis' values. Whatever is sent:
- the answer is never a server error (5xx);
- nothing stored holds a control character, is longer than its column, or is an invalid
  e-mail address;
- a form that comes back with errors has stored nothing (no half-saved input).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.fuzz.crawler import Form, crawl
from tests.fuzz.harness import EXAMPLES, Tally, rolled_back
from tests.fuzz.invariants import problems, saved_instances
from tests.fuzz.strategies import form_data

ROLES = {
    "anonym": (None, ["/"]),
    "medborgare": ("medborgare@demo.storeby.example", ["/", "/mina-sidor/"]),
    "kontaktcenter": ("kontaktcenter@demo.storeby.example", ["/personal/"]),
    "administrator": ("admin@demo.storeby.example", ["/personal/"]),
}
NOT_FUZZED = {"set_language"}

# The demo is loaded once per module (demo_site); each test runs in its own savepoint.
pytestmark = pytest.mark.django_db


def _client(email: str | None) -> Client:
    from torget.accounts.models import User

    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def send(client: Client, form: Form, data: dict[str, Any]) -> Any:
    if form.method == "post":
        return client.post(form.action, data)
    query = {k: v for k, v in data.items() if isinstance(v, str | list)}
    return client.get(form.action.split("?")[0], query)


def describe(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return " | ".join(describe(e) for e in error.exceptions)
    return str(error).split("\nassert")[0]


def check_form(form: Form, email: str | None) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(form))
    def run(data: dict[str, Any]) -> None:
        Tally.cases += 1
        with rolled_back():
            client = _client(email)
            with saved_instances() as saved:
                response = send(client, form, data)
            assert response.status_code < 500, f"{response.status_code} for {data!r:.300}"
            bad = [p for instance in saved.stored() for p in problems(instance)]
            assert not bad, f"stored invalid input {bad} from {data!r:.300}"
            if response.status_code in (200, 400) and b"data-error-summary" in response.content:
                names = sorted({i._meta.label for i in saved.stored()})
                assert not names, f"the form showed errors but saved {names} from {data!r:.300}"

    run()


@pytest.mark.parametrize("role", ROLES)
def test_no_form_gives_a_server_error_or_stores_invalid_input(demo_site, role):
    email, starts = ROLES[role]
    with rolled_back():
        result = crawl(_client(email), starts)
    broken = {url: status for url, status in result.pages.items() if status >= 500}
    assert not broken, f"pages that answered with a server error: {broken}"
    failures = []
    for form in result.forms:
        if form.url_name in NOT_FUZZED or form.url_name == "?":
            continue
        Tally.forms += 1
        try:
            check_form(form, email)
        except Exception as error:  # noqa: BLE001 — every form's failure is reported together
            Tally.failures += 1
            failures.append(
                f"{form.method.upper()} {form.action} (from {form.page}): {describe(error)}"
            )
    assert not failures, "\n\n".join(failures)
