"""The population figures in the browser: an administrator finds the page from the staff start
page, reads the demo's figures, uploads a bad file (refused whole, with its lines in the error
summary) and then a good one. Every page checked by axe-core."""

from __future__ import annotations

from e2e_helpers import assert_accessible, log_in

from torget.geo.models import PopulationImport

ADMIN = "admin@demo.storeby.example"


def test_an_administrator_replaces_the_population_figures(new_page, base_url, demo, tmp_path):
    staff = new_page()
    log_in(staff, base_url, ADMIN)
    staff.goto(base_url + "/personal/")
    staff.get_by_role("link", name="Befolkningsstatistik").click()
    staff.get_by_role("heading", level=1, name="Befolkningsstatistik").wait_for()
    assert "Skäggetorp" in staff.locator("table").first.inner_text()
    assert_accessible(staff)

    bad = tmp_path / "fel.csv"
    bad.write_text("område;åldersgrupp;antal\nRyd;16-19;400\nRydd;16-19;x\n", encoding="utf-8")
    staff.get_by_label("Fil med befolkningsstatistik (CSV)").set_input_files(str(bad))
    staff.get_by_role("button", name="Läs in statistiken").click()
    staff.get_by_text("Rad 3: okänt område ”Rydd”.").first.wait_for()
    assert_accessible(staff)
    demo_import = PopulationImport.objects.get(is_current=True)

    good = tmp_path / "befolkning.csv"
    good.write_text("område;åldersgrupp;antal\nRyd;16-19;400\nBerga;80+;120\n", encoding="utf-8")
    staff.get_by_label("Fil med befolkningsstatistik (CSV)").set_input_files(str(good))
    staff.get_by_role("button", name="Läs in statistiken").click()
    staff.get_by_role("status").wait_for()
    assert "2 rader" in staff.get_by_role("status").inner_text()
    assert "befolkning.csv" in staff.content()
    assert PopulationImport.objects.get(is_current=True) != demo_import
    assert_accessible(staff)
