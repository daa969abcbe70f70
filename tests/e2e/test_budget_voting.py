"""Voting in a citizen budget in the browser: a citizen identifies with (demo) e-ID, ticks
projects while the budget meter says what is left (and when the choice is over the budget),
confirms on the page that shows the total, and sees that the vote is secret. Every page is
checked by axe-core, the meter included."""

from __future__ import annotations

import re

from django.urls import reverse
from e2e_helpers import assert_accessible, log_in

from torget.budget.models import Ballot, Phase, ResidenceRule, VoteMark
from torget.budget.tests.factories import budget_round, project
from torget.identity.tests.factories import make_pin


def _said(page) -> str:
    """The meter's live region, with the thousands' spaces made plain."""
    text = page.locator("[data-budget-left]").inner_text()
    return re.sub(r"\s", " ", text)


def test_a_citizen_votes_within_the_budget_with_the_meter(page, base_url, demo):
    round = budget_round(phase=Phase.VOTING, amount=1_000_000, residence=ResidenceRule.NONE)
    project(round, 400_000, title="Utegym i parken")
    project(round, 500_000, title="Belysning längs ån")
    project(round, 300_000, title="Lekplats vid skolan")
    ballot_url = base_url + reverse("budget:ballot", args=[round.pk])

    page.goto(ballot_url)
    page.get_by_role("heading", level=1, name="Rösta").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Legitimera dig för att rösta").click()
    page.wait_for_url(re.compile(r"/legitimera/"))
    if page.url.split("?", 1)[0] == base_url + "/legitimera/":
        page.get_by_role("link", name="Demo-legitimering").click()
    page.wait_for_url(re.compile(r"/legitimera/demo/"))
    page.get_by_label("Personnummer").fill(str(make_pin()))
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_role("button", name="Legitimera", exact=True).click()
    page.wait_for_url(ballot_url)

    page.get_by_role("heading", level=2, name="Din valsedel").wait_for()
    assert _said(page) == "Kvar av budgeten: 1 000 000 kr"
    page.get_by_label("Utegym i parken").check()
    assert _said(page) == "Kvar av budgeten: 600 000 kr"
    page.get_by_label("Belysning längs ån").check()
    page.get_by_label("Lekplats vid skolan").check()
    assert _said(page) == "Över budgeten med: 200 000 kr"
    assert page.locator("meter").evaluate("meter => meter.value") == 0
    assert_accessible(page)
    page.get_by_label("Belysning längs ån").uncheck()
    assert _said(page) == "Kvar av budgeten: 300 000 kr"

    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("heading", level=1, name="Bekräfta din röst").wait_for()
    main = re.sub(r"\s", " ", page.get_by_role("main").inner_text())
    assert "700 000 kr" in main and "Kvar: 300 000 kr" in main
    assert_accessible(page)
    page.get_by_role("button", name="Bekräfta min röst").click()
    page.get_by_role("heading", level=1, name="Tack för din röst").wait_for()
    assert "Tack! Din röst är registrerad." in page.get_by_role("main").inner_text()
    assert_accessible(page)
    assert Ballot.objects.get(round=round).choices == [1, 3]


def test_staff_register_a_vote_for_a_citizen_without_e_id(page, base_url, demo):
    round = budget_round(
        phase=Phase.VOTING, amount=1_000_000, residence=ResidenceRule.AREA, min_age=16
    )
    project(round, 400_000, title="Utegym i parken")
    project(round, 500_000, title="Belysning längs ån")
    log_in(page, base_url, "tjansteperson@demo.storeby.example")
    page.goto(base_url + reverse("budget:staff_assisted", args=[round.pk]))
    page.get_by_role("heading", level=1, name="Registrera en röst").wait_for()
    assert_accessible(page)
    # Nothing filled in: the error summary, and the page still passes axe.
    page.get_by_role("button", name="Registrera rösten").click()
    page.get_by_role("heading", name="Det finns fel i formuläret").wait_for()
    assert_accessible(page)
    page.get_by_label("Personnummer").fill(str(make_pin()))
    page.get_by_role("radio", name="ID-handling visad i servicedisk").check()
    page.get_by_label("Belysning längs ån").check()
    page.get_by_label("Invånaren intygar att hen bor i området").check()
    page.get_by_role("button", name="Registrera rösten").click()
    page.get_by_text("Rösten är registrerad. 1 person har röstat hittills.").wait_for()
    assert_accessible(page)
    ballot = Ballot.objects.get(round=round)
    assert ballot.choices == [2]
    assert VoteMark.objects.get(round=round).channel == "assisterad"
