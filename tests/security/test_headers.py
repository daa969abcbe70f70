"""Every page of Torget, asked by a visitor, a citizen and an administrator, carries the
security headers and nothing the Content-Security-Policy would block (page_checks.py).

The addresses are the authorisation matrix's (tests/authz/concrete.py: one concrete address
for every URL pattern, with the uploaded files the matrix adds), in the demo municipality; so
a new page is checked as soon as it has its row there. Each answer is checked whatever its
status: the 403, 404 and log-in redirect are pages too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.authz import matrix
from tests.authz.concrete import Target, targets
from tests.authz.test_matrix import (
    DEMO_EMAILS,
    SURVEY_TOKEN,
    _add_files,
    _add_photos,
    _add_survey_answers,
)
from tests.fuzz.harness import demo_site, rolled_back  # noqa: F401 (the module's demo)
from tests.security.page_checks import header_problems, html_problems, policy_of

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("security-headers")]

ROLES = (matrix.ANON, matrix.CITIZEN, matrix.ADMIN)


@pytest.fixture(scope="module")
def walk(
    demo_site: None,  # noqa: F811
    tmp_path_factory: Any,
    django_db_blocker: Any,
) -> Iterator[tuple[dict[str, Client], list[Target]]]:
    from torget.accounts.models import User
    from torget.geo.models import Area
    from torget.notifications.services import subscription_create

    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
    ):
        users = {role: User.objects.get(email=DEMO_EMAILS[role]) for role in ROLES[1:]}
        subscription = subscription_create(
            target=Area.objects.order_by("pk").first(), user=users[matrix.CITIZEN]
        )
        _add_photos()
        _add_files()
        _add_survey_answers()
        clients = {matrix.ANON: Client()}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        found = targets(
            citizen=users[matrix.CITIZEN], subscription=subscription, survey_token=SURVEY_TOKEN
        )
        yield clients, found


def _problems(response: Any) -> list[str]:
    return header_problems(response) + html_problems(response)


# Headers and markup are the same whatever the database: the walk runs in the SQLite run only.
@pytest.mark.database_independent
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_the_security_headers_and_nothing_the_policy_blocks(
    walk: tuple[dict[str, Client], list[Target]], role: str
) -> None:
    clients, found = walk
    client = clients[role]
    cookies = client.cookies
    wrong = []
    html_pages = 0
    for target in found:
        client.cookies = type(cookies)(cookies)  # a log-out in one request changes no other
        with rolled_back():
            response = client.get(target.url)
        if "html" in response.get("Content-Type", ""):
            html_pages += 1
        wrong += [f"GET {target.url} as {role}: {problem}" for problem in _problems(response)]
    assert wrong == [], "\n".join(wrong)
    # The walk saw the site's pages, not only refusals (the demo has some 300 patterns).
    assert html_pages > 100


def test_a_missing_page_has_the_headers_too(client: Client) -> None:
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert _problems(response) == []


def test_the_server_error_page_has_nothing_the_policy_blocks(rf: Any) -> None:
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    response["Content-Type"] = "text/html; charset=utf-8"
    assert html_problems(response) == []
    assert b"error.css" in response.content


def test_the_policy_allows_no_inline_code_and_no_framing(client: Client) -> None:
    policy = policy_of(client.get("/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"][:2] == ["'self'", "data:"]


def test_an_inline_script_style_or_handler_is_reported(rf: Any) -> None:
    """The checker itself: each thing the policy blocks is found, the allowed ones are not."""
    from django.http import HttpResponse

    page = HttpResponse(
        '<p style="color:red">x</p><a href="javascript:go()">y</a><button onclick="go()">z'
        "</button><script>go()</script><style>p{}</style>"
        '<script type="application/json">{"a": 1}</script><script src="/static/x.js"></script>'
        '<script nonce="abc">ok()</script>',
        content_type="text/html",
    )
    page["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    problems = html_problems(page)
    assert len(problems) == 5, problems
    assert any("style=" in problem for problem in problems)
    assert any("onclick" in problem for problem in problems)
    assert any("go()" in problem and "<script>" in problem for problem in problems)


def test_map_tiles_are_allowed_from_the_tile_servers_origin_only() -> None:
    from torget.settings import _tile_origin

    assert _tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert _tile_origin("https://karta.storeby.se/tiles/{z}/{x}/{y}.png") == (
        "https://karta.storeby.se"
    )
    assert _tile_origin("") == ""
