"""The dashboards and the area report in the browser: a visitor reads the public statistics
(SVG charts with their tables, the activity map), picks a period and mistypes one; the utskott
coordinator finds the staff dashboard from the staff start page, opens the area report of
Utskottsområde Centrum, attaches it to the utskott's coming meeting and sends it on to KF.
Every page checked by axe-core."""

from __future__ import annotations

from e2e_helpers import assert_accessible, log_in

from torget.audit.models import AuditEntry
from torget.meetings.models import ForwardedDocument

COORDINATOR = "koordinator@demo.storeby.example"


def test_a_visitor_reads_the_public_statistics(new_page, base_url, demo):
    page = new_page()
    page.goto(base_url + "/statistik/")
    page.get_by_role("heading", level=1, name="Statistik").wait_for()
    assert page.locator("svg[role=img]").count() >= 10
    page.get_by_role("heading", name="Aktivitet per område").wait_for()
    assert page.locator("#aktivitet-per-omrade-title").count() == 1
    assert (
        "Utskottsområde Centrum"
        in page.locator("figure", has=page.locator("#aktivitet-per-omrade-title")).inner_text()
    )
    assert_accessible(page)

    page.get_by_label("Från och med").fill("2026-01-01")
    page.get_by_label("Till och med").fill("2026-12-31")
    page.get_by_role("button", name="Visa statistik").click()
    page.wait_for_url("**fran=2026-01-01**")
    page.get_by_text("Perioden").first.wait_for()

    page.goto(base_url + "/statistik/?fran=2026-06-01&till=2026-01-01")
    page.get_by_role("alert").wait_for()
    assert "Slutdatumet kan inte vara före startdatumet" in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Statistik för synpunkter och felanmälningar").click()
    page.wait_for_url("**/statistik/synpunkter/")


def test_the_coordinator_sends_an_area_report_on(new_page, base_url, demo):
    page = new_page()
    log_in(page, base_url, COORDINATOR)
    page.goto(base_url + "/personal/")
    page.get_by_role("link", name="Statistik och områdesrapporter").click()
    page.get_by_role("heading", level=1, name="Statistik för personal").wait_for()
    assert_accessible(page)

    reports = page.get_by_role("region", name="Områdesrapporter")
    reports.get_by_role("link", name="Utskottsområde Centrum", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    assert (
        "Områdesrapport för Utskottsområde Centrum"
        in page.get_by_role("heading", level=1).inner_text()
    )
    page.get_by_role("heading", name="Medborgardialoger och hur resultaten togs om hand").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Bifoga rapporten").click()
    page.get_by_role("status").wait_for()
    assert "Rapporten är bifogad till mötet" in page.get_by_role("status").inner_text()
    assert ForwardedDocument.objects.filter(content_type="application/pdf").exists()
    assert_accessible(page)

    page.get_by_label("Meddelande till kommunfullmäktige (frivilligt)").fill(
        "Inför septembermötet."
    )
    page.get_by_role("button", name="Skicka till kommunfullmäktige").click()
    page.get_by_role("status").wait_for()
    assert "Rapporten är skickad till kommunfullmäktige" in page.get_by_role("status").inner_text()
    assert AuditEntry.objects.filter(action="insight.area_report_forwarded").exists()
