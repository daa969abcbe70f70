"""The dialogue's map in the browser, by keyboard only: a citizen finds the map on the school
dialogue's page, places a point by picking a place from the list of places (Tab, arrow keys,
typing, Enter; no mouse), sees it on the point's page and in the list; another citizen agrees
with it with the keyboard. Every page is checked by axe-core."""

from __future__ import annotations

import re

from e2e_helpers import DEMO_CITIZEN, DEMO_PASSWORD, assert_accessible

from torget.mapinput.demo import TITLE
from torget.mapinput.models import Map, Point
from torget.mapinput.tests.factories import citizen

COMMENT = "Här behövs ett övergångsställe, bilarna kör fort förbi skolan."


def _keyboard_log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(email)
    page.get_by_label("Lösenord", exact=True).focus()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/mina-sidor/")


def _press_on(page, locator, key: str = "Enter") -> None:
    """Move the keyboard focus to a control and press a key on it (no mouse)."""
    locator.focus()
    page.keyboard.press(key)


def test_a_citizen_places_a_point_by_keyboard_and_another_agrees(page, base_url, demo):
    map_ = Map.objects.get(title=TITLE)
    _keyboard_log_in(page, base_url, DEMO_CITIZEN)

    page.goto(base_url + map_.dialogue.get_absolute_url())
    _press_on(page, page.get_by_role("link", name=TITLE))
    page.wait_for_url(base_url + map_.get_absolute_url())
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert_accessible(page)

    _press_on(page, page.get_by_role("main").get_by_role("link", name="Markera en plats"))
    page.get_by_role("heading", level=1, name="Markera en plats").wait_for()
    assert_accessible(page)

    # The category: focus the radio group and choose with the arrow keys and space.
    _press_on(page, page.get_by_role("radio").first, " ")
    page.keyboard.press("ArrowDown")  # the second category, "Förslag"
    # The place: from the list of places, by typing its first letters.
    place = page.get_by_label("Plats i listan")
    place.focus()
    page.keyboard.type("Berga")
    assert place.evaluate("el => el.options[el.selectedIndex].text") == "Berga"
    page.get_by_label("Adress eller plats (valfritt)").focus()
    page.keyboard.type("Korsningen vid skolans entré")
    page.get_by_label("Kommentar").focus()
    page.keyboard.type(COMMENT)
    page.get_by_label("Namn som visas").focus()
    page.keyboard.press("Enter")  # submits the form

    page.wait_for_url(re.compile(r"/karta/punkt/\d+/$"))
    point = Point.objects.get(comment=COMMENT)
    assert point.category.name == "Förslag" and point.address == "Korsningen vid skolans entré"
    assert "Tack! Din markering visas nu på kartan." in page.content()
    page.get_by_role("heading", level=1, name=re.compile("Förslag")).wait_for()
    assert_accessible(page)

    # The same point in the accessible list.
    page.goto(base_url + f"/dialoger/{map_.dialogue_id}/karta/{map_.pk}/lista/")
    assert COMMENT in page.get_by_role("main").inner_text()
    assert_accessible(page)

    # Another citizen agrees, with the keyboard.
    page.context.clear_cookies()
    other = citizen(email="granne.karta@example.org")
    other.set_password(DEMO_PASSWORD)
    other.save()
    _keyboard_log_in(page, base_url, other.email)
    page.goto(base_url + point.get_absolute_url())
    _press_on(page, page.get_by_role("button", name="Jag håller med"))
    page.get_by_text("Du håller med om markeringen.").first.wait_for()
    assert_accessible(page)
    point.refresh_from_db()
    assert point.agree_count == 1


def test_a_point_in_the_maps_centre_by_keyboard(page, base_url, demo):
    """With JavaScript: the arrow keys move the map, and "Sätt markeringen i kartans mitt"
    puts the point where the map is (inside the map's area, which the map is fitted to)."""
    map_ = Map.objects.get(title=TITLE)
    _keyboard_log_in(page, base_url, DEMO_CITIZEN)
    page.goto(base_url + f"/dialoger/{map_.dialogue_id}/karta/{map_.pk}/ny/")
    page.locator("[data-mapinput-draw]").wait_for()
    _press_on(page, page.get_by_role("radio").first, " ")
    _press_on(page, page.get_by_role("button", name="Sätt markeringen i kartans mitt"))
    page.get_by_text("En punkt är markerad.").wait_for()
    geometry = page.locator("input[name=geometry]").input_value()
    assert '"type":"Point"' in geometry
    assert_accessible(page)
    page.get_by_label("Kommentar").focus()
    page.keyboard.type("Mitt på kartan.")
    page.get_by_label("Namn som visas").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/karta/punkt/\d+/$"))
    point = Point.objects.get(comment="Mitt på kartan.")
    assert point.geometry["type"] == "Point" and point.category.name == "Otryggt"
