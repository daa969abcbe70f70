"""Felanmälan in the browser: a citizen reports a fault with a pin on the map and a photo,
follows it through the private link from the receipt, the contact centre answers in the
inbox, and the citizen sees the answer — every page checked by axe-core. Also: the same
report without JavaScript, describing the place in words."""

from __future__ import annotations

import io
import re

from e2e_helpers import assert_accessible, log_in
from PIL import Image

from torget.feedback.models import Case

DEMO_CONTACT_CENTRE = "kontaktcenter@demo.storeby.example"
REPORTER = "anna.andersson@example.se"
DESCRIPTION = "Lampan vid övergångsstället är trasig och det är mörkt på kvällen."
REPLY = "Tack! Vi byter lampan på torsdag."


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 140, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_report_a_fault_on_the_map_follow_it_and_see_the_answer(
    page, new_page, base_url, live_server, settings, smtp_server, drain, demo, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path

    page.goto(base_url + "/synpunkter/")
    page.get_by_role("heading", level=1, name="Synpunkter och felanmälan").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Anmäla ett fel").click()
    page.wait_for_url(base_url + "/felanmalan/")
    page.get_by_role("heading", level=1, name="Anmäl ett fel").wait_for()
    assert_accessible(page)

    page.get_by_label("Vad är det för fel?").select_option(label="Gatubelysning")
    # The pin: a click in the middle of the map (the municipality's centre).
    map_element = page.locator("[data-pin-map]")
    map_element.wait_for()
    map_element.click()
    page.get_by_text(re.compile(r"^Vald plats: 58\.\d+, 15\.\d+")).wait_for()
    page.get_by_role("textbox", name="Beskriv").fill(DESCRIPTION)
    page.get_by_label("Foton").set_input_files(
        [{"name": "lampa.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_label("E-postadress").fill(REPORTER)
    page.get_by_role("radio", name="E-post").check()
    page.get_by_role("button", name="Skicka felanmälan").click()

    page.get_by_role("heading", level=1, name="Tack! Vi har tagit emot ditt ärende").wait_for()
    assert_accessible(page)
    case = Case.objects.get(description=DESCRIPTION)
    assert case.category.name == "Gatubelysning" and case.lat and case.photos.count() == 1
    assert case.number in page.get_by_role("main").inner_text()
    follow_link = page.locator("[data-follow-link]").get_attribute("href")
    assert follow_link == f"/arende/{case.token}/"

    # The receipt also came by e-mail, with the same private link.
    drain()
    mails = smtp_server.to(REPORTER)
    assert any(case.token in m.text and case.number in m.subject for m in mails)

    # The public page shows the report, but not what the citizen wrote or who they are.
    page.goto(base_url + case.get_absolute_url())
    main = page.get_by_role("main").inner_text()
    assert "Gatubelysning" in main and DESCRIPTION not in main and REPORTER not in main
    assert_accessible(page)

    # The contact centre answers from the inbox.
    staff = new_page()
    log_in(staff, base_url, DEMO_CONTACT_CENTRE)
    staff.goto(base_url + "/personal/arenden/")
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_role("link", name=case.number).click()
    staff.wait_for_url(base_url + case.staff_url())
    assert DESCRIPTION in staff.get_by_role("main").inner_text()
    assert_accessible(staff)
    # The reply starts from the category's reply template, filled in for this case.
    staff.get_by_label("Svarsmall").select_option(label="Gatubelysning: lampbyte beställt")
    staff.get_by_role("button", name="Fyll i svaret från mallen").click()
    staff.get_by_role("status").filter(has_text="Svaret är ifyllt från mallen").wait_for()
    assert_accessible(staff)
    reply_form = staff.locator("form", has=staff.get_by_role("button", name="Skicka svaret"))
    answer = reply_form.get_by_label("Svar", exact=True)
    filled = answer.input_value()
    assert filled.startswith("Hej!") and case.number in filled and "Gata och park" in filled
    answer.fill(filled + "\n\n" + REPLY)
    reply_form.get_by_label("Publicera svaret på felanmälans sida").check()
    reply_form.get_by_role("button", name="Skicka svaret").click()
    staff.get_by_role("status").filter(has_text="Svaret").wait_for()
    assert_accessible(staff)

    # The citizen sees the answer through the link, and got it by e-mail.
    page.goto(base_url + follow_link)
    page.get_by_role("heading", level=1, name=f"Ditt ärende {case.number}").wait_for()
    assert REPLY in page.get_by_role("main").inner_text()
    assert_accessible(page)
    drain()
    assert any(REPLY in m.text for m in smtp_server.to(REPORTER))
    page.goto(base_url + case.get_absolute_url())
    assert REPLY in page.get_by_role("main").inner_text()


def test_a_fault_report_without_javascript(
    new_page, base_url, live_server, demo, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    page = new_page(without_site_scripts=True)
    page.goto(base_url + "/felanmalan/")
    assert page.locator("[data-pin-map]").is_hidden()  # the map is only an enhancement
    page.get_by_label("Vad är det för fel?").select_option(label="Klotter och skadegörelse")
    page.get_by_role("button", name="Skicka felanmälan").click()
    page.get_by_role("alert").wait_for()
    assert (
        "Markera platsen på kartan eller beskriv var felet finns."
        in page.get_by_role("alert").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Plats eller adress").fill("Tunneln under järnvägen vid stationen")
    page.get_by_role("textbox", name="Beskriv").fill("Nytt klotter på väggarna.")
    page.get_by_role("button", name="Skicka felanmälan").click()
    page.get_by_role("heading", level=1, name="Tack! Vi har tagit emot ditt ärende").wait_for()
    case = Case.objects.get(address="Tunneln under järnvägen vid stationen")
    assert case.is_anonymous and case.lat is None
    page.goto(base_url + "/felanmalan/karta/")
    assert case.number in page.get_by_role("main").inner_text()
    assert_accessible(page)


def test_map_without_tiles_draws_municipality_areas(page, base_url, settings, demo):
    # MAP_TILE_URL unset, as Torget ships: the map is the municipality's own areas, outlines
    # and names, and its centre, never an empty grey box; a click still places the pin.
    settings.MAP_TILE_URL = ""
    page.goto(base_url + "/felanmalan/")
    map_element = page.locator("[data-pin-map]")
    map_element.locator(".map-label", has_text="Linghem").wait_for()
    # Zoomed out: the centre and the localities by name, the town's districts as outlines.
    assert map_element.locator(".map-label", has_text="Storeby kommun").is_visible()
    assert map_element.locator(".map-label", has_text="Malmslätt").is_visible()
    assert not map_element.locator(".map-label", has_text="Innerstaden").is_visible()
    # Zoomed in on the town, the districts' names show too.
    zoom_in = map_element.locator(".leaflet-control-zoom-in")
    for _step in range(2):
        zoom_in.click()
        page.wait_for_timeout(400)  # Leaflet ignores a zoom while it animates the last one
    map_element.locator(".map-label", has_text="Innerstaden").wait_for()
    assert map_element.locator(".map-label", has_text="Berga").is_visible()
    assert "map--no-tiles" in (map_element.get_attribute("class") or "")
    assert int(map_element.get_attribute("data-base-map-drawn") or 0) >= 3
    assert map_element.locator("svg path").count() >= 3
    assert (
        "Områden: Storeby kommun"
        in map_element.locator(".leaflet-control-attribution").inner_text()
    )
    assert_accessible(page)
    map_element.click()
    page.get_by_text(re.compile(r"^Vald plats: 58\.\d+, 15\.\d+")).wait_for()
