"""Medborgardialog in the browser: a citizen requests a dialogue; the official records the
kommundirektör's proposal and the consultation with the presidium concerned, and KS
presidium's decision is registered; the official plans it with target groups and methods
(information first) and a meeting date; the process leader approves the plan; it opens,
appears in the calendar, and a subscriber of its area gets a message — every page checked by
axe-core."""

from __future__ import annotations

import datetime
import re

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from e2e_helpers import DEMO_ADMIN, assert_accessible, log_in

from torget.accounts.models import User
from torget.dialogues import services
from torget.dialogues.models import Dialogue, Status
from torget.geo.models import Area
from torget.notifications.models import Subscription
from torget.organisation.models import Body, BodyKind

TITLE = "Trygga gångvägar i Tallboda"
SUMMARY = (
    "Många går hem genom mörka gångtunnlar. Vi som bor här vill vara med och ta fram åtgärder."
)
SUBSCRIBER = "granne.tallboda@example.se"
DEMO_OFFICIAL = "tjansteperson@demo.storeby.example"


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
    # What KS presidium decides on (the citizen-initiative journey below does it in the pages).
    admin_user = User.objects.get(email=DEMO_ADMIN)
    services.director_proposal_record(
        dialogue=dialogue,
        actor=admin_user,
        proposed_on=timezone.localdate(),
        reference="KS 2026/87",
    )
    services.consultation_add(
        dialogue=dialogue,
        actor=admin_user,
        body=Body.objects.get(abbreviation="SBN"),
        held_on=timezone.localdate(),
        outcome="Samhällsbyggnadsnämndens presidium stöder en dialog.",
    )

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


def test_a_citizen_initiative_from_request_to_ks_decision_on_the_directors_proposal(
    page, new_page, base_url, live_server, settings, demo
):
    """A citizen's initiative: KS presidium decides on the kommundirektör's proposal, after a
    dialogue with the presidium concerned; the decision cannot be registered before both."""
    settings.SITE_URL = live_server.url
    title = "Fler parkbänkar längs ån"
    page.goto(base_url + "/dialoger/foresla/")
    page.get_by_role("heading", level=1, name="Föreslå en medborgardialog").wait_for()
    assert_accessible(page)
    page.get_by_label("Vad ska dialogen handla om?").fill(title)
    page.get_by_label("Beskriv frågan").fill("Äldre behöver kunna vila på promenaden längs ån.")
    page.get_by_label("Ditt namn").fill("Gunnar Berg")
    page.get_by_label("Din e-postadress").fill("gunnar@example.se")
    page.get_by_role("button", name="Skicka förslaget").click()
    page.get_by_role("heading", level=1, name="Tack för ditt förslag").wait_for()
    assert_accessible(page)
    dialogue = Dialogue.objects.get(title=title)

    # The official (kommunkansliet) sees what is missing before KS presidium can decide.
    staff = new_page()
    log_in(staff, base_url, DEMO_OFFICIAL)
    staff.goto(base_url + "/personal/dialoger/")
    assert_accessible(staff)
    staff.get_by_role("link", name=title).click()
    staff.wait_for_url(base_url + dialogue.staff_url())
    missing = section(staff, "Det här saknas")
    missing.get_by_text("Detta saknas innan beslutet om dialogen kan registreras:").wait_for()
    assert "kommundirektörens förslag" in missing.inner_text()
    assert "Registrera samrådet" in missing.inner_text()
    assert_accessible(staff)

    # The director's proposal: a form left empty says what it needs.
    proposal = section(staff, "Registrera kommundirektörens förslag")
    proposal.get_by_role("button", name="Spara förslaget").click()
    staff.get_by_role("heading", name="Det finns fel i formuläret").first.wait_for()
    assert_accessible(staff)
    proposal = section(staff, "Registrera kommundirektörens förslag")
    proposal.get_by_label("Förslagets datum").fill(
        (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    )
    proposal.get_by_label(starts("Förslaget (")).fill(
        "Kommundirektören föreslår en dialog om parkbänkar, med pensionärsrådet."
    )
    proposal.get_by_label(starts("Dokument")).fill("KS 2026/91")
    proposal.get_by_role("button", name="Spara förslaget").click()
    staff.get_by_role("status").filter(
        has_text="Kommundirektörens förslag är registrerat."
    ).wait_for()
    assert_accessible(staff)

    # The consultation with the presidium concerned.
    consultation = section(staff, "Registrera ett samråd")
    consultation.get_by_label("Berört presidium").select_option(label="Samhällsbyggnadsnämnden")
    consultation.get_by_label("Datum för samrådet").fill(
        (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    )
    consultation.get_by_label("Utfall").fill("Presidiet stöder en dialog under våren.")
    consultation.get_by_role("button", name="Registrera samrådet").click()
    staff.get_by_role("status").filter(
        has_text="Samrådet med presidiet i Samhällsbyggnadsnämnden är registrerat."
    ).wait_for()
    assert (
        staff.get_by_text("Detta saknas innan beslutet om dialogen kan registreras:").count() == 0
    )
    assert_accessible(staff)

    # KS presidium's decision (the demo's administrator registers it).
    admin = new_page()
    log_in(admin, base_url, DEMO_ADMIN)
    admin.goto(base_url + dialogue.staff_url())
    decide = section(admin, "Besluta om dialog")
    assert decide.get_by_label("Beslutande organ").input_value() == str(
        Body.objects.get(kind=BodyKind.EXECUTIVE).pk
    )
    decide.get_by_label("Beslutsdatum").fill(timezone.localdate().isoformat())
    decide.get_by_label("Diarienummer").fill("KS 2026/92")
    decide.get_by_label("Budget (kronor)").fill("30000")
    decide.get_by_label("Styrgrupp").fill("KS presidium och pensionärsrådet")
    for label, name in [
        ("Politisk processledare", "Filip Förtroendevald"),
        ("Ansvarig tjänsteperson", "Tove Tjänsteperson"),
    ]:
        select = decide.get_by_label(label)
        select.select_option(select.locator("option", has_text=name).get_attribute("value"))
    decide.get_by_role("button", name="Besluta om dialog").click()
    admin.get_by_role("status").filter(has_text="Beslutad").wait_for()
    assert_accessible(admin)
    dialogue.refresh_from_db()
    assert dialogue.status == Status.DECIDED
    assert dialogue.deciding_body.kind == BodyKind.EXECUTIVE
    assert dialogue.process_leader.get_full_name() == "Filip Förtroendevald"

    # The public page tells how it was decided, with the dates as entered.
    page.goto(base_url + dialogue.get_absolute_url())
    history = section(page, "Så beslutades dialogen").inner_text()
    assert "Kommundirektörens förslag till kommunstyrelsens presidium" in history
    assert "KS 2026/91" in history
    assert "Samråd med presidiet i Samhällsbyggnadsnämnden" in history
    assert "Presidiet stöder en dialog under våren." in history
    assert "Beslut i presidiet i Kommunstyrelsen" in history
    assert "gunnar@example.se" not in page.get_by_role("main").inner_text()
    assert_accessible(page)


def test_method_decisions_and_a_brukardialog_on_their_pages(page, base_url, demo):
    """The planned focus group's and social lighthouses' decisions (the forms on the staff
    page, the record on both pages) and the demo's brukardialog, checked by axe."""
    library = Dialogue.objects.get(title="Framtidens bibliotek i Ryd")
    log_in(page, base_url, DEMO_OFFICIAL)
    page.goto(base_url + library.staff_url())
    page.get_by_role("heading", name="Beslut om Fokusgrupp").wait_for()
    page.get_by_role("heading", name="Beslut om Sociala fyrtorn").wait_for()
    main = page.get_by_role("main").inner_text()
    assert "Kommundirektören" in main and "Kultur- och fritidschefen" in main
    assert_accessible(page)
    service = Dialogue.objects.get(kind="brukardialog")
    page.goto(base_url + service.get_absolute_url())
    page.get_by_text("Det här är en brukar- eller kunddialog.").wait_for()
    assert "Du kan:" not in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.goto(base_url + service.staff_url())
    page.get_by_role("heading", name="Avsluta deltagandet och sammanställ resultat").wait_for()
    assert_accessible(page)
