"""Open data in the browser: a visitor finds "Öppna data" in the footer, sees the empty state
before the first build, then the datasets with their files, the catalogue and the feeds, and
opens a dataset's README. Every page checked by axe-core."""

from __future__ import annotations

from e2e_helpers import assert_accessible

from torget.opendata import exports
from torget.opendata.tests.datasets import proposals_dataset, registered


def test_a_visitor_finds_the_open_data(new_page, base_url, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = new_page()
    with registered(proposals_dataset()):
        page.goto(base_url + "/")
        page.get_by_role("contentinfo").get_by_role("link", name="Öppna data").click()
        page.get_by_role("heading", level=1, name="Öppna data").wait_for()
        assert "Inga exporter byggda ännu" in page.content()
        assert_accessible(page)

        exports.build_all()
        page.reload()
        page.get_by_role("heading", level=3, name="Medborgarförslag (test)").wait_for()
        assert page.get_by_role("link", name="Medborgarförslag (test) som CSV").count() == 1
        assert page.get_by_role("link", name="Katalogen i Turtle").count() == 1
        assert page.get_by_role("link", name="Nya beslut som Atom").count() == 1
        assert_accessible(page)

        page.get_by_role("link", name="Fälten i Medborgarförslag (test) (README)").click()
        page.get_by_text("# Medborgarförslag (test)").wait_for()
