"""The map's staff side in the browser: an official opens the school yard map from the
dialogue's staff page, reads the cluster and density tables, filters by age group, finds the
pending point in the moderators' queue and hides it with a reason; every page checked by
axe-core."""

from __future__ import annotations

import re

from e2e_helpers import assert_accessible, log_in

from torget.mapinput.demo import TITLE
from torget.mapinput.models import Map, Point, Status
from torget.mapinput.staff_demo import PENDING_TEXT
from torget.notifications.models import Notification

OFFICIAL = "tjansteperson@demo.storeby.example"


def test_an_official_reads_the_map_and_hides_a_pending_point(page, base_url, demo):
    map_ = Map.objects.get(title=TITLE)
    log_in(page, base_url, OFFICIAL)
    page.goto(f"{base_url}/personal/dialoger/{map_.dialogue_id}/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base_url}/personal/karta/{map_.pk}/")
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    page.get_by_role("heading", level=2, name="Klustervy").wait_for()
    assert page.get_by_test_id("clusters").is_visible()
    assert page.get_by_test_id("density").is_visible()
    assert_accessible(page)

    page.get_by_role("checkbox", name="30–44 år").check()
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url(re.compile(r"alder=30-44"))
    assert "2 markeringar med filtret" in page.get_by_test_id("map-total").inner_text()
    assert_accessible(page)

    page.goto(f"{base_url}/personal/karta/moderering/")
    page.get_by_role("heading", level=1, name="Granskningskö för kartorna").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Markering: ")).first.click()
    page.get_by_role("heading", level=1, name=re.compile("Markering: ")).wait_for()
    assert PENDING_TEXT in page.get_by_test_id("point-comment").inner_text()
    assert_accessible(page)

    page.get_by_role("radio", name="reklam eller spam").check()
    page.get_by_role("button", name="Dölj markeringen").click()
    page.get_by_text("Markeringen är dold. Originalet sparas").wait_for()
    assert "Dold av moderator" in page.get_by_test_id("point-status").inner_text()
    assert_accessible(page)
    point = Point.objects.get(comment=PENDING_TEXT)
    assert point.status == Status.HIDDEN and point.hidden_reason == "reklam"
    assert Notification.objects.filter(template="mapinput.hidden").exists()
