"""Answering a survey of every question kind on a 320 px phone: first in a browser without
JavaScript, then with it; every page checked by axe-core (WCAG 2.1 A/AA) and free of
sideways scrolling."""

from __future__ import annotations

import re

import pytest
from e2e_helpers import assert_accessible

from torget.surveys.models import Answer, Response, ResponseStatus
from torget.surveys.tests import factories

PHONE = {"locale": "sv-SE", "viewport": {"width": 320, "height": 640}}
PHONE_WITHOUT_JAVASCRIPT = {**PHONE, "java_script_enabled": False}


def _group(page, name: str):
    return page.get_by_role("group", name=re.compile("^" + re.escape(name)))


def _fits(page) -> None:
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{page.url} scrolls sideways at 320 px"


def _answer(page, check, place=None) -> None:
    """The journey through the pages; `check(page)` after each page has loaded, `place(page)`
    on the page with the place question."""
    page.get_by_role("heading", level=1, name="Vad tycker du om skolgården?").wait_for()
    assert "Alla kan svara" in page.content()
    check(page)
    page.get_by_role("button", name="Börja svara").click()

    # Page 1: sent empty first, the required question is named in the summary.
    page.get_by_role("heading", level=1, name="Skolgården i dag").wait_for()
    check(page)
    assert "Spara länken för att fortsätta senare" in page.content()
    page.get_by_role("button", name="Nästa sida").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Svara på frågan." in summary.inner_text()
    check(page, after_post=True)
    _group(page, "Hur ofta är du på skolgården?").get_by_label("Fotbollsplan").check()
    what = _group(page, "Vad gör du där?")
    what.get_by_label("Gungor").check()
    what.get_by_label("Odlingslådor").check()
    _group(page, "Hur trivs du på skolgården?").get_by_label("5 – Mycket bra").check()
    page.get_by_label("Hur många minuter går du dit?").fill("7")
    _group(page, "Känner du dig trygg där på kvällen?").get_by_label("Ja").check()
    page.get_by_role("button", name="Nästa sida").click()

    # Page 2: the long text shows, since the answer was "Ja".
    page.get_by_role("heading", level=1, name="Den nya skolgården").wait_for()
    check(page)
    page.get_by_label("Ett ord om skolgården").fill("Grönare")
    page.get_by_label("Vad gör att du känner dig trygg?").fill("Lampor vid gången.")
    ranking = _group(page, "Rangordna det du helst vill ha")
    for option, rank in (("Gungor", "3"), ("Klätterställning", "1"), ("Fotbollsplan", "2")):
        ranking.get_by_label(option).select_option(rank)
    page.get_by_label("Beskriv platsen eller skriv en adress").fill("Vid cykelstället")
    if place:
        place(page)
    page.get_by_role("button", name="Nästa sida").click()

    # The background questions, with why they are asked.
    page.get_by_role("heading", level=1, name="Om dig").wait_for()
    assert "inte kopplas till dig" in page.content()
    check(page)
    _group(page, "Hur gammal är du?").get_by_label("30–44 år").check()
    page.get_by_role("button", name="Granska svaren").click()

    page.get_by_role("heading", level=1, name="Granska dina svar").wait_for()
    check(page)
    assert "Gungor, Odlingslådor" in page.content()
    assert "1. Klätterställning" in page.content()
    page.get_by_role("button", name="Skicka in svaren").click()

    page.get_by_role("heading", level=1, name="Tack för dina svar").wait_for()
    check(page)
    receipt = page.locator("[data-receipt]").inner_text()
    assert Response.objects.filter(receipt=receipt, status=ResponseStatus.SUBMITTED).exists()


@pytest.mark.parametrize("browser_context_args", [PHONE_WITHOUT_JAVASCRIPT])
def test_every_kind_answered_at_320_px_without_javascript(page, new_page, base_url):
    survey = factories.survey_of_every_kind()
    # axe-core is JavaScript: each page is checked in a twin browser that refuses the site's
    # scripts (the same document); pages reached by a POST are checked as they come back.
    twin = new_page(without_site_scripts=True)

    def check(page, after_post: bool = False) -> None:
        if after_post:
            return  # the same address, already checked before the POST
        response = twin.goto(page.url)
        assert response is not None and response.ok, page.url
        assert_accessible(twin)
        _fits(twin)

    page.goto(f"{base_url}/enkater/{survey.pk}/")
    _answer(page, check)
    answers = Answer.objects.filter(response__survey=survey)
    assert answers.count() == 9
    place = answers.get(question__kind="plats")
    assert (place.text, place.lat) == ("Vid cykelstället", None)


@pytest.mark.parametrize("browser_context_args", [PHONE])
def test_every_kind_answered_at_320_px_with_javascript(page, base_url):
    survey = factories.survey_of_every_kind()

    def check(page, after_post: bool = False) -> None:
        assert_accessible(page)
        _fits(page)

    def place(page) -> None:
        # The pin map and the place search by name appear; a click on the map places the pin.
        page.get_by_label("Sök en plats på kartan").wait_for()
        page.locator("[data-pin-map]").click()
        assert page.get_by_label("Latitud").input_value()

    page.goto(f"{base_url}/enkater/{survey.pk}/")
    _answer(page, check, place)
    answers = Answer.objects.filter(response__survey=survey)
    assert answers.count() == 9
    assert answers.get(question__kind="plats").lat is not None
