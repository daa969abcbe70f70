"""Representativeness in the browser: a visitor goes from the school yard dialogue's public
page to who took part, reads the chart and the tables (small numbers suppressed, the
under-reached group named), and an official opens the staff version with the planned effort.
Every page checked by axe-core."""

from __future__ import annotations

import re

from e2e_helpers import assert_accessible, log_in

from torget.dialogues.models import Dialogue
from torget.insight.representation import representation_for_dialogue

OFFICIAL = "tjansteperson@demo.storeby.example"


def test_a_visitor_sees_who_took_part_in_a_dialogue(new_page, base_url, demo):
    dialogue = Dialogue.objects.get(title="Ny skolgård vid Bergaskolan")
    page = new_page()
    page.goto(f"{base_url}/dialoger/{dialogue.pk}/")
    page.get_by_role("link", name=re.compile("Se vilka som deltog")).click()
    page.get_by_role("heading", level=1, name=re.compile("Vilka deltog")).wait_for()
    chart = page.get_by_role("img", name=re.compile("per åldersgrupp"))
    assert chart.count() == 1
    ages = page.locator("table", has=page.locator("caption", has_text="per åldersgrupp"))
    assert "45–64 år" in ages.inner_text()
    # The groups the page names as reached too little are those the rule finds (the demo's
    # 45–64 år, unless an earlier journey in this run has answered for that age band).
    text = " ".join(page.locator("main").inner_text().split())
    result = representation_for_dialogue(dialogue)
    flagged = [row.label for breakdown in result.breakdowns for row in breakdown.under_reached]
    for label in flagged:
        assert re.search(r"Nåddes för lite: [^.]*" + re.escape(label), text), label
    assert ("Nåddes för lite:" in text) == bool(flagged)
    # Counts below 5 never show; the forum's few writers are "färre än 5".
    cells = page.locator("td").all_inner_texts()
    assert not [c for c in cells if c.strip().isdigit() and 0 < int(c) < 5]
    assert "färre än 5" in cells
    page.get_by_text("Så räknar vi").click()
    page.get_by_text("visas antal under 5").wait_for()
    assert_accessible(page)

    page.goto(f"{base_url}/statistik/representativitet/")
    page.get_by_role("heading", level=1, name="Vilka deltar?").wait_for()
    assert_accessible(page)


def test_an_official_sees_the_planned_effort(new_page, base_url, demo):
    dialogue = Dialogue.objects.get(title="Ny skolgård vid Bergaskolan")
    staff = new_page()
    log_in(staff, base_url, OFFICIAL)
    staff.goto(f"{base_url}/personal/dialoger/{dialogue.pk}/")
    staff.get_by_role("link", name=re.compile("Representativitet")).click()
    targets = staff.locator("table", has=staff.locator("caption", has_text="planerad målgrupp"))
    assert "Planerad insats" in targets.inner_text() and "Barn" in targets.inner_text()
    assert_accessible(staff)
