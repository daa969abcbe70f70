"""Safety surveys and the citizens' promise in the browser: the safety coordinator imports a
survey file (a bad one first, refused with its line and reason), records the police's
follow-up of a commitment, and the public reads the trend chart with its table and the
follow-up. Every page checked by axe-core."""

from __future__ import annotations

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.safety.models import CitizensPromise, tertial_of

COORDINATOR = "trygghet@demo.storeby.example"


def test_coordinator_imports_a_survey_and_follows_up_the_promise(
    page, new_page, base_url, demo, tmp_path
):
    staff = new_page()
    log_in(staff, base_url, COORDINATOR)
    staff.goto(base_url + "/personal/")
    staff.get_by_role("link", name="Trygghetsundersökningar och medborgarlöften").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)

    year = timezone.localdate().year
    staff.get_by_role("link", name="Importera resultat").click()
    assert_accessible(staff)
    bad = tmp_path / "fel.csv"
    bad.write_text(
        f"område;år;fråga;svarsalternativ;andel\nRyd;{year};Trygg i parken?;Ja;mycket\n",
        encoding="utf-8",
    )
    staff.get_by_label("Fil med resultat (CSV eller XLSX)").set_input_files(str(bad))
    staff.get_by_role("button", name="Importera").click()
    staff.get_by_text("Rad 2: andelen ”mycket” är inget tal.").wait_for()
    assert_accessible(staff)
    good = tmp_path / "ryd.csv"
    good.write_text(
        "område;år;fråga;svarsalternativ;andel\n"
        f"Ryd;{year - 1};Trygg i parken?;Ja;48\nRyd;{year - 1};Trygg i parken?;Nej;52\n"
        f"Ryd;{year};Trygg i parken?;Ja;57,5\nRyd;{year};Trygg i parken?;Nej;42,5\n",
        encoding="utf-8",
    )
    staff.get_by_label("Fil med resultat (CSV eller XLSX)").set_input_files(str(good))
    staff.get_by_role("button", name="Importera").click()
    staff.get_by_role("status").wait_for()
    assert f"Ryd {year}" in staff.get_by_role("status").inner_text()

    promise = CitizensPromise.objects.get()
    staff.goto(base_url + promise.staff_url())
    assert_accessible(staff)
    current = tertial_of(timezone.localdate())
    form = staff.locator("form", has=staff.get_by_role("button", name="Spara uppföljningen"))
    form.get_by_label("Åtagande").select_option(index=0)
    form.get_by_label("Tertial").select_option(label=current.label)
    form.get_by_label("Part").select_option(label="Polisen")
    form.get_by_label("Status").select_option(label="Genomfört")
    form.get_by_label("Vad har gjorts?").fill("Polisen har patrullerat vid Ryds centrum.")
    form.get_by_role("button", name="Spara uppföljningen").click()
    staff.get_by_role("status").wait_for()

    page.goto(base_url + "/omraden/ryd/")
    chart = page.get_by_role("img", name="Trygg i parken? – Ryd")
    chart.wait_for()
    assert "57,5 %" in page.locator("table", has_text="Trygg i parken?").inner_text()
    assert_accessible(page)
    page.goto(base_url + "/trygghet/medborgarlofte/")
    assert "Polisen har patrullerat vid Ryds centrum." in page.content()
    assert_accessible(page)
