"""Medborgardialog in the browser: a citizen requests a dialogue; KS presidium's decision is
registered; the official plans it with target groups and methods (information first) and a
meeting date; the process leader approves the plan; it opens, appears in the calendar, and a
subscriber of its area gets a message — every page checked by axe-core."""

from __future__ import annotations

import datetime
import re

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from e2e_helpers import DEMO_ADMIN, assert_accessible, log_in

from torget.dialogues.models import Dialogue, Status
from torget.geo.models import Area
from torget.notifications.models import Subscription

TITLE = "Trygga gångvägar i Tallboda"
SUMMARY = (
    "Många går hem genom mörka gångtunnlar. Vi som bor här vill vara med och ta fram åtgärder."
)
SUBSCRIBER = "granne.tallboda@example.se"


def starts(label: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(label))


def section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def test_request_decide_plan_open_and_the_area_hears_of_it(
    page, new_page, base_url, live_server, settings, smtp_server, drain, demo
):
    settings.SITE_URL = live_server.url
    area = Area.objects.get(name="Tallboda")
    Subscription.objects.create(
        email=SUBSCRIBER,
        target_type=ContentType.objects.get_for_model(Area),
        target_id=area.pk,
        confirmed_at=timezone.now(),
    )

    # A citizen asks for a dialogue.
    page.goto(base_url + "/dialoger/")
    page.get_by_role("heading", level=1, name="Medborgardialoger").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Föreslå en medborgardialog").first.click()
    page.get_by_role("heading", level=1, name="Föreslå en medborgardialog").wait_for()
    assert_accessible(page)
    page.get_by_label("Vad ska dialogen handla om?").fill(TITLE)
    page.get_by_label("Beskriv frågan").fill(SUMMARY)
    page.get_by_role("checkbox", name="Tallboda", exact=True).check()
    page.get_by_label("Ditt namn").fill("Sara Lind")
    page.get_by_label("Din e-postadress").fill("sara@example.se")
    page.get_by_role("button", name="Skicka förslaget").click()
    page.get_by_role("heading", level=1, name="Tack för ditt förslag").wait_for()
    assert_accessible(page)
    dialogue = Dialogue.objects.get(title=TITLE)
    assert dialogue.status == Status.INITIATIVE
    # Not public until decided on.
    assert page.goto(base_url + dialogue.get_absolute_url()).status == 404

    # KS presidium's decision is registered (the demo's administrator does it here).
    staff = new_page()
    log_in(staff, base_url, DEMO_ADMIN)
    staff.goto(base_url + "/personal/dialoger/")
    staff.get_by_role("link", name=TITLE).click()
    staff.wait_for_url(base_url + dialogue.staff_url())
    assert_accessible(staff)
    decide = section(staff, "Besluta om dialog")
    decide.get_by_label("Beslutande organ").select_option(label="Kommunstyrelsen")
    decide.get_by_label("Beslutsdatum").fill(timezone.localdate().isoformat())
    decide.get_by_label("Diarienummer").fill("KS 2026/88")
    decide.get_by_label("Budget (kronor)").fill("40000")
    decide.get_by_label("Styrgrupp").fill("KS presidium och säkerhetschefen")
    for label, name in [
        ("Politisk processledare", "Filip Förtroendevald"),
        ("Ansvarig tjänsteperson", "Tove Tjänsteperson"),
    ]:
        select = decide.get_by_label(label)
        select.select_option(select.locator("option", has_text=name).get_attribute("value"))
    decide.get_by_role("button", name="Besluta om dialog").click()
    staff.get_by_role("status").filter(has_text="Beslutad").wait_for()
    assert_accessible(staff)

    # Planning: the plan's texts, a target group, methods (information first), a date.
    section(staff, "Börja planera").get_by_role("button", name="Börja planera").click()
    staff.get_by_role("status").filter(has_text="Planeras").wait_for()
    staff.get_by_role("link", name="Ändra uppgifterna").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_label(starts("Frågan")).fill("Vad skulle göra gångvägarna tryggare?")
    staff.get_by_label(starts("Det här går att påverka")).fill(
        "Belysning, växtlighet och vilka vägar som prioriteras."
    )
    staff.get_by_role("radio", name=re.compile(r"^3\. Dialog")).check()
    for label, text in [
        ("Kommunikationsplan", "Affischer i tunnlarna och brev till hushållen."),
        ("Dokumentationsplan", "Anteckningar publiceras inom en vecka."),
        ("Återkopplingsplan", "Sammanfattning efter sista mötet, beslutet i mars."),
        ("Utvärderingsplan", "Enkät till deltagarna."),
    ]:
        staff.get_by_label(starts(label)).fill(text)
    start = timezone.localdate() + datetime.timedelta(days=3)
    staff.get_by_label(starts("Dialogen börjar")).fill(start.isoformat())
    staff.get_by_label(starts("Beslut väntas")).fill(
        (start + datetime.timedelta(days=90)).isoformat()
    )
    staff.get_by_role("button", name="Spara ändringarna").click()
    staff.wait_for_url(base_url + dialogue.staff_url())

    groups = staff.locator("form", has=staff.get_by_role("button", name="Lägg till målgruppen"))
    groups.get_by_label("Målgrupp från checklistan").select_option(
        label="Boende i ett visst område"
    )
    groups.get_by_label("Insats").fill("Knacka dörr i Tallboda och möten i tunnlarna.")
    groups.get_by_role("button", name="Lägg till målgruppen").click()
    staff.get_by_role("status").first.wait_for()
    for method in ["Information på kommunens webbplats", "Lärande promenad"]:
        methods = staff.locator("form", has=staff.get_by_role("button", name="Lägg till metoden"))
        methods.get_by_label("Metod", exact=True).select_option(label=method)
        methods.get_by_role("button", name="Lägg till metoden").click()
        staff.get_by_role("button", name=f"Ta bort {method}").wait_for()
    dates = staff.locator("form", has=staff.get_by_role("button", name="Lägg till datumet"))
    dates.get_by_label("Rubrik").fill("Trygghetsvandring i Tallboda")
    walk = timezone.localtime() + datetime.timedelta(days=5)
    dates.get_by_label("Börjar").fill(walk.strftime("%Y-%m-%dT18:00"))
    dates.get_by_label("Plats").fill("Samling vid Tallboda torg")
    dates.get_by_role("button", name="Lägg till datumet").click()
    staff.get_by_role("button", name="Ta bort Trygghetsvandring i Tallboda").wait_for()
    assert_accessible(staff)

    section(staff, "Godkänn planen").get_by_role("button", name="Godkänn planen").click()
    staff.get_by_role("status").filter(has_text="Plan godkänd").wait_for()
    section(staff, "Öppna dialogen").get_by_role("button", name="Öppna dialogen").click()
    staff.get_by_role("status").filter(has_text="Pågår").wait_for()
    dialogue.refresh_from_db()
    assert dialogue.status == Status.OPEN

    # The public page and the calendar show it; the subscriber of Tallboda hears of it.
    page.goto(base_url + dialogue.get_absolute_url())
    main = page.get_by_role("main").inner_text()
    assert "Du kan: resonera" in main and "Vad skulle göra gångvägarna tryggare?" in main
    assert "sara@example.se" not in main
    assert_accessible(page)
    page.goto(base_url + f"/kalendarium/?visa=lista&omrade={area.slug}")
    page.get_by_text("Trygghetsvandring i Tallboda").first.wait_for()
    assert_accessible(page)
    drain()
    mails = smtp_server.to(SUBSCRIBER)
    assert any(TITLE in m.subject and dialogue.get_absolute_url() in m.text for m in mails)
    assert any(TITLE in m.text for m in smtp_server.to("sara@example.se"))
