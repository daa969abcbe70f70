"""The coordinators in the browser: the utskott coordinator goes from the staff start page to an
utskott's meeting, where the members were called with the agenda, and forwards a document to
them; the safety coordinator reads the cases in its areas and the utskott's meetings — every
page checked by axe-core."""

from __future__ import annotations

from e2e_helpers import assert_accessible, log_in

from torget.meetings.models import ForwardedDocument

COORDINATOR = "koordinator@demo.storeby.example"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_coordinator_forwards_a_document_to_an_utskott(
    page, base_url, settings, tmp_path, demo
):
    settings.MEDIA_ROOT = tmp_path
    log_in(page, base_url, COORDINATOR)
    page.goto(base_url + "/personal/")
    page.get_by_role("link", name="Utskottens möten").click()
    page.get_by_role("heading", level=1, name="Utskottens möten").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Utskott Centrum, decembermötet").click()
    page.get_by_role("heading", level=1, name="Utskott Centrum, decembermötet").wait_for()
    assert "Ledamöterna kallades" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Handlingar till utskottet").click()
    page.get_by_role("heading", level=2, name="Skicka en handling till utskottet").wait_for()
    assert_accessible(page)
    page.get_by_label("Rubrik").fill("Trygghetsrådets rapport")
    page.get_by_label("Handling", exact=True).set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Skicka till ledamöterna").click()
    page.get_by_text("Handlingen är skickad till ledamöterna").wait_for()
    assert_accessible(page)
    assert ForwardedDocument.objects.filter(title="Trygghetsrådets rapport").exists()


def test_the_safety_coordinator_reads_the_cases_in_its_areas(page, base_url, demo):
    log_in(page, base_url, "trygghet@demo.storeby.example")
    page.goto(base_url + "/personal/")
    assert_accessible(page)
    page.get_by_role("link", name="Ärenden i mina områden").click()
    page.get_by_role("heading", level=1, name="Ärenden i mina områden").wait_for()
    assert_accessible(page)
    page.goto(base_url + "/personal/moten/")
    page.get_by_role("heading", level=1, name="Utskottens möten").wait_for()
    assert_accessible(page)
