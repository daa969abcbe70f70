"""Samråd om alternativ in the browser: a citizen finds the open consultation on the school
dialogue's page, identifies with the (demo) e-ID, chooses an alternative, sees it confirmed and
shown on return, with every page checked by axe-core."""

from __future__ import annotations

import re

from e2e_helpers import assert_accessible

from torget.consultations.models import Choice, Consultation
from torget.identity.tests.factories import make_pin

DIALOGUE = "Ny skolgård vid Bergaskolan"
TITLE = "Vilken lekplats ska byggas på skolgården?"  # the demo's open consultation
CHOSEN = "B: Vattenlek och sandlåda"


def test_a_citizen_chooses_an_alternative_with_e_id(page, base_url, demo):
    consultation = Consultation.objects.get(title=TITLE)
    page.goto(base_url + consultation.dialogue.get_absolute_url())
    page.get_by_role("heading", level=1, name=DIALOGUE).wait_for()
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(base_url + consultation.get_absolute_url())
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert "Du identifierar dig med e-legitimation." in page.get_by_role("main").inner_text()
    assert_accessible(page)

    # Through the e-ID stand-in and back to the consultation.
    page.get_by_role("link", name="Identifiera dig och välj").click()
    page.wait_for_url(re.compile(r"/legitimera/"))
    if not page.url.split("?", 1)[0].endswith("/legitimera/demo/"):
        page.get_by_role("link", name="Demo-legitimering").click()
    page.get_by_role("heading", level=1, name="Demo-legitimering").wait_for()
    page.get_by_label("Personnummer").fill(str(make_pin()))
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_role("button", name="Legitimera", exact=True).click()
    page.wait_for_url(re.compile(re.escape(consultation.get_absolute_url())))

    page.get_by_role("radio", name=CHOSEN).check()
    page.get_by_label("Din ålder (frivilligt)").select_option("30-44")
    page.get_by_label("Kommentar (frivilligt)").fill("Barnen älskar vatten.")
    assert_accessible(page)
    page.get_by_role("button", name="Registrera mitt val").click()

    page.wait_for_url(re.compile(re.escape(consultation.get_absolute_url())))
    main = page.get_by_role("main").inner_text()
    assert "Ditt val är registrerat. Du kan ändra det till och med" in page.content()
    assert "Ditt nuvarande val:" in main
    assert CHOSEN in main
    assert page.get_by_role("button", name="Ändra mitt val").is_visible()
    assert_accessible(page)
    choice = Choice.objects.get(consultation=consultation)
    assert choice.alternative.title == CHOSEN
    assert choice.age_band == "30-44"
