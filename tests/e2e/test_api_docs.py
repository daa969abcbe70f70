"""The open API's documentation in the browser: a visitor follows "Öppet API" in the footer,
reads the page (no JavaScript needed, nothing from outside), jumps to the proposals' list,
and opens its example, which answers JSON. The page checked by axe-core."""

from __future__ import annotations

import json

from e2e_helpers import assert_accessible


def test_a_developer_finds_and_reads_the_api_documentation(page, base_url, demo):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Öppet API").click()
    page.get_by_role("heading", level=1, name="Öppet API").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Medborgarförslag: lista").click()
    heading = page.get_by_role("heading", level=3, name="Medborgarförslag: lista")
    heading.wait_for()
    section = page.locator("section", has=heading)
    assert "ordering" in section.locator("table").inner_text()
    section.get_by_role(
        "link", name="/api/v1/forslag/?status=beslutat&ordering=-support_count"
    ).click()
    body = json.loads(page.locator("body").inner_text())
    assert "results" in body
    assert all(row["status"] == "beslutat" for row in body["results"])


def test_the_documentation_works_without_javascript(browser, base_url, demo):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(base_url + "/api/docs/")
        page.get_by_role("heading", level=1, name="Öppet API").wait_for()
        assert page.get_by_role("link", name="Områden: GeoJSON").count() == 1
    finally:
        context.close()
