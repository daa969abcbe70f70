"""The citizen budget's whole journey in the browser, every page checked by axe-core: an
official sets up a round in the demo dialogue "Medborgarbudget i Berga", records the
presidium's approval and opens ideas; a citizen submits an idea; the official reviews and
costs it and opens voting; one citizen votes with e-ID and the budget meter, another without
the site's scripts; the official closes voting, publishes the result, records the decision
and reports a funded project as done.

Only the passing of time is done with the ORM (the round's dates); every step of the workflow
goes through the staff pages' buttons."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.accounts.models import User
from torget.budget.models import Ballot, BudgetRound, Idea, IdeaStatus, Phase, Progress
from torget.dialogues.models import Dialogue
from torget.identity.tests.factories import make_pin
from torget.organisation.models import Body

OFFICIAL = "tjansteperson@demo.storeby.example"
CITIZEN = "medborgare@demo.storeby.example"
TITLE = "Berga bestämmer – omgång 3"


def _plain(text: str) -> str:
    return re.sub(r"\s", " ", text)


def _step(page, button: str, message: str) -> None:
    """Take a workflow step with its button on the staff round page."""
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_text(message).first.wait_for()
    assert_accessible(page)


def _identify(page, back_to: str) -> None:
    page.get_by_role("link", name="Legitimera dig för att rösta").click()
    page.wait_for_url(re.compile(r"/legitimera/"))
    if page.url.split("?", 1)[0].endswith("/legitimera/"):
        page.get_by_role("link", name="Demo-legitimering").click()
    page.wait_for_url(re.compile(r"/legitimera/demo/"))
    page.get_by_label("Personnummer").fill(str(make_pin()))
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_role("button", name="Legitimera", exact=True).click()
    page.wait_for_url(back_to)


def test_a_round_from_set_up_to_a_finished_project(page, new_page, base_url, demo):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    dialogue = Dialogue.objects.get(title="Medborgarbudget i Berga")
    sbn = Body.objects.get(abbreviation="SBN")

    # The official sets the round up from the dialogue.
    log_in(page, base_url, OFFICIAL)
    page.goto(base_url + reverse("budget:staff_new") + f"?dialog={dialogue.pk}")
    assert_accessible(page)
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Belopp (kronor)").fill("600000")
    page.get_by_label("Kriterier för idéer").fill("Idén ska göra Berga bättre för många.")
    page.get_by_label("Lägsta ålder för att rösta").fill("13")
    page.get_by_role("radio", name=re.compile("^Ingen|^Inget")).first.check()
    page.get_by_label("Idéer tas emot från").fill(today.isoformat())
    page.get_by_label("Idéer tas emot till och med").fill((today + 20 * day).isoformat())
    page.get_by_label("Granskningen klar").fill((today + 30 * day).isoformat())
    page.get_by_label("Omröstningen öppnar").fill((today + 40 * day).isoformat())
    page.get_by_label("Omröstningen stänger (sista dagen)").fill((today + 50 * day).isoformat())
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    page.get_by_text(re.compile("^Medborgarbudgeten är skapad som utkast")).wait_for()
    assert_accessible(page)
    round = BudgetRound.objects.get(title=TITLE)
    assert round.dialogue == dialogue and round.phase == Phase.DRAFT
    staff_url = base_url + reverse("budget:staff_round", args=[round.pk])

    # The presidium's approval, on its own page.
    page.get_by_role("link", name="Registrera presidiets godkännande").click()
    page.get_by_role("heading", level=1, name="Presidiets godkännande").wait_for()
    assert_accessible(page)
    page.get_by_label("Organ vars presidium godkände upplägget").select_option(label=sbn.name)
    page.get_by_label("Politiker som godkände").fill("Ordförande och vice ordförande")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_role("button", name="Registrera godkännandet").click()
    page.get_by_text(re.compile("^Presidiets godkännande är registrerat")).wait_for()
    assert_accessible(page)
    round.refresh_from_db()
    assert round.phase == Phase.APPROVED
    page.get_by_role("button", name="Börja ta emot idéer", exact=True).click()
    page.wait_for_url(staff_url)
    assert_accessible(page)
    round.refresh_from_db()
    assert round.phase == Phase.IDEAS

    # A citizen with a confirmed e-mail address submits an idea.
    citizen = new_page()
    assert User.objects.get(email=CITIZEN).email_verified_at
    log_in(citizen, base_url, CITIZEN)
    citizen.goto(base_url + reverse("budget:idea_new", args=[round.pk]))
    assert_accessible(citizen)
    citizen.get_by_label("Rubrik").fill("Bänkar längs Bergaån")
    citizen.get_by_label("Beskriv idén").fill("Fem bänkar att vila på under promenaden.")
    citizen.get_by_label("Plats (frivilligt)").fill("Gångvägen längs Bergaån")
    citizen.get_by_role("button", name="Lämna idén").click()
    citizen.get_by_role("heading", level=1, name=re.compile("Bänkar längs Bergaån")).wait_for()
    assert_accessible(citizen)
    idea = Idea.objects.get(round=round, title="Bänkar längs Bergaån")
    assert idea.status == IdeaStatus.SUBMITTED
    # A second idea, so that the voters have something to choose between.
    second = Idea.objects.create(
        round=round,
        number=idea.number + 1,
        author=idea.author,
        title="Blommor på Bergatorget",
        description="Planteringar i krukor.",
        place="Bergatorget",
        shown_name="Sara, Berga",
    )

    # The ideas close (time passes); the official reviews and costs both ideas.
    page.goto(staff_url)
    page.get_by_role("button", name="Sluta ta emot idéer och börja granska", exact=True).click()
    page.wait_for_url(staff_url)
    assert_accessible(page)
    for each, cost in ((idea, "300000"), (second, "250000")):
        page.goto(base_url + reverse("budget:staff_idea", args=[round.pk, each.number]))
        assert_accessible(page)
        page.get_by_role("radio", name="Genomförbar: med på röstsedeln").check()
        page.get_by_label("Kostnad i kronor").fill(cost)
        page.get_by_label("Motivering (visas för alla)").fill("Ryms i budgeten och på vår mark.")
        page.get_by_role("button", name="Spara bedömningen").click()
        page.get_by_text("Idén är bedömd som genomförbar och kommer med på röstsedeln.").wait_for()
        assert_accessible(page)
    assert set(round.ideas.values_list("status", flat=True)) == {IdeaStatus.FEASIBLE}
    BudgetRound.objects.filter(pk=round.pk).update(
        ideas_open_on=today - 4 * day,
        ideas_close_on=today - 3 * day,
        review_ends_on=today - 2 * day,
        voting_opens_on=today - day,
    )
    page.goto(staff_url)
    page.get_by_role("button", name="Öppna omröstningen", exact=True).click()
    page.wait_for_url(staff_url)
    assert_accessible(page)
    round.refresh_from_db()
    assert round.phase == Phase.VOTING

    # A citizen votes with e-ID and the budget meter.
    ballot_url = base_url + reverse("budget:ballot", args=[round.pk])
    voter = new_page()
    voter.goto(ballot_url)
    assert_accessible(voter)
    _identify(voter, ballot_url)
    meter = voter.locator("[data-budget-left]")
    assert _plain(meter.inner_text()) == "Kvar av budgeten: 600 000 kr"
    voter.get_by_label("Bänkar längs Bergaån").check()
    assert _plain(meter.inner_text()) == "Kvar av budgeten: 300 000 kr"
    voter.get_by_label("Blommor på Bergatorget").check()
    assert _plain(meter.inner_text()) == "Kvar av budgeten: 50 000 kr"
    assert_accessible(voter)
    voter.get_by_role("button", name="Fortsätt").click()
    voter.get_by_role("heading", level=1, name="Bekräfta din röst").wait_for()
    assert_accessible(voter)
    voter.get_by_role("button", name="Bekräfta min röst").click()
    voter.get_by_role("heading", level=1, name="Tack för din röst").wait_for()
    assert_accessible(voter)

    # Another person votes without the site's scripts: the confirmation page has the total.
    plain = new_page(without_site_scripts=True)
    plain.goto(ballot_url)
    _identify(plain, ballot_url)
    assert_accessible(plain)
    plain.get_by_label("Blommor på Bergatorget").check()
    plain.get_by_role("button", name="Fortsätt").click()
    plain.get_by_role("heading", level=1, name="Bekräfta din röst").wait_for()
    main = _plain(plain.get_by_role("main").inner_text())
    assert "250 000 kr" in main and "Kvar: 350 000 kr" in main
    assert_accessible(plain)
    plain.get_by_role("button", name="Bekräfta min röst").click()
    plain.get_by_role("heading", level=1, name="Tack för din röst").wait_for()
    assert_accessible(plain)
    assert sorted(b.choices for b in Ballot.objects.filter(round=round)) == [[1, 2], [2]]

    # The official closes voting, publishes the result and records the decision.
    BudgetRound.objects.filter(pk=round.pk).update(voting_closes_on=today)
    page.goto(staff_url)
    page.get_by_role("button", name="Stäng omröstningen", exact=True).click()
    page.wait_for_url(staff_url)
    assert_accessible(page)
    page.goto(base_url + reverse("budget:staff_count", args=[round.pk]))
    assert_accessible(page)
    page.get_by_role("button", name="Publicera resultatet").click()
    page.get_by_text(re.compile("^Resultatet är publicerat på omgångens sida")).wait_for()
    assert_accessible(page)
    round.refresh_from_db()
    assert round.phase == Phase.RESULT
    page.goto(base_url + reverse("budget:staff_decision", args=[round.pk]))
    assert_accessible(page)
    page.get_by_label("Organ som fattade beslutet").select_option(label=sbn.name)
    page.get_by_label("Beslutsdatum").fill(today.isoformat())
    page.get_by_label("Beslutet", exact=True).fill("Nämnden beslutar att genomföra projekten.")
    page.get_by_role("button", name="Registrera beslutet").click()
    page.get_by_text(re.compile("^Beslutet är registrerat")).wait_for()
    assert_accessible(page)
    round.refresh_from_db()
    assert round.phase == Phase.DECIDED
    funded = round.ideas.filter(funded=True).order_by("number")
    assert [each.number for each in funded] == [1, 2]

    # The förvaltning reports the first project as done.
    page.goto(base_url + reverse("budget:staff_project", args=[round.pk, 1]))
    assert_accessible(page)
    page.get_by_role("radio", name="Klar", exact=True).check()
    page.get_by_label("Vad har hänt?").fill("Bänkarna står på plats.")
    page.get_by_label("Använt hittills (kronor)").fill("290000")
    page.get_by_label("Klart datum").fill(today.isoformat())
    page.get_by_role("button", name="Publicera lägesrapporten").click()
    page.wait_for_url(re.compile(r"/projekt/(#projekt-1)?$"))
    assert_accessible(page)
    assert round.ideas.get(number=1).progress == Progress.DONE
