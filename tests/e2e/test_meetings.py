"""A dialogue meeting in the browser: the official plans a meeting with an agenda (a third of
the time for the citizens' questions), a citizen sends a question to the agenda and registers,
the question is accepted, the meeting is held and its minutes are published on the dialogue's
page, and a simple question from it goes to the contact centre as a case whose answer shows
on the result — every page checked by axe-core."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.dialogues.models import Dialogue
from torget.feedback.models import Case, Source
from torget.meetings.models import Meeting, Registration, RegistrationStatus
from torget.results.models import ResultItem

OFFICIAL = "tjansteperson@demo.storeby.example"
CONTACT_CENTRE = "kontaktcenter@demo.storeby.example"
CITIZEN = "lina.berg@example.se"
MEETING = "Öppet möte om lekplatsen"
QUESTION = "Kan det finnas en gungställning för barn som använder rullstol?"
MINUTES = "Ett trettiotal kom. Gungställningen och belysningen togs upp."
RESULT = "Trasig belysning vid gångvägen till skolan"
REPLY = "Tack! Belysningen lagas nästa vecka."


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_plan_a_meeting_register_ask_document_and_follow_a_simple_result(
    page, new_page, base_url, live_server, settings, smtp_server, drain, demo
):
    settings.SITE_URL = live_server.url
    dialogue = Dialogue.objects.get(title="Ny skolgård vid Bergaskolan")
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=10)

    # The official plans the meeting from the dialogue's staff page.
    staff = new_page()
    log_in(staff, base_url, OFFICIAL)
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("heading", level=1).wait_for()
    staff.get_by_role("link", name="Planera ett möte").click()
    staff.get_by_role("heading", level=1, name="Planera ett möte").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Metod").select_option(label="Dialogmöte")
    staff.get_by_label("Rubrik").fill(MEETING)
    staff.get_by_label("Syfte").fill("Att samtala om vad lekplatsen behöver.")
    staff.get_by_label("Börjar").fill(local(starts))
    staff.get_by_label("Slutar").fill(local(starts + datetime.timedelta(minutes=90)))
    staff.get_by_label("Plats och adress").fill("Bergaskolans matsal, Bergavägen 10")
    staff.get_by_label("Tillgänglighet").fill("Entré utan trappsteg och hörslinga.")
    staff.get_by_label("Anmälan krävs").check()
    staff.get_by_label("Max antal deltagare").fill("40")
    staff.get_by_role("button", name="Spara mötet").click()
    staff.get_by_role("heading", level=1, name=MEETING).wait_for()
    meeting = Meeting.objects.get(title=MEETING)

    # The agenda: publishing is refused until a third of the time is the citizens'.
    def add_item(title: str, minutes: int, citizens: bool = False) -> None:
        form = staff.locator("form", has=staff.get_by_role("button", name="Lägg till punkten"))
        form.get_by_label("Punkt").fill(title)
        form.get_by_label("Minuter").fill(str(minutes))
        if citizens:
            form.get_by_label("Tid för invånarnas frågor").check()
        form.get_by_role("button", name="Lägg till punkten").click()
        staff.locator("table.agenda td").filter(has_text=re.compile("^" + title)).wait_for()

    add_item("Välkomna", 20)
    add_item("Skisserna", 40)
    staff.get_by_role("button", name="Publicera agendan och mötet").click()
    staff.get_by_role("alert").wait_for()
    assert "tredjedel" in staff.get_by_role("alert").inner_text()
    assert_accessible(staff)
    add_item("Era frågor", 30, citizens=True)
    staff.get_by_role("button", name="Publicera agendan och mötet").click()
    staff.get_by_role("status").wait_for()
    assert_accessible(staff)

    # A citizen finds the meeting on the dialogue's page, sends a question and registers.
    page.goto(base_url + dialogue.get_absolute_url())
    page.get_by_role("link", name=MEETING).click()
    page.get_by_role("heading", level=1, name=MEETING).wait_for()
    main = page.get_by_role("main").inner_text()
    assert "30 av 90 minuter (33 %)" in main
    assert_accessible(page)
    page.get_by_label("Din fråga").fill(QUESTION)
    page.get_by_role("button", name="Skicka frågan").click()
    page.get_by_role("status").wait_for()
    assert QUESTION not in page.locator("#fragor").inner_text()  # not before it is accepted
    assert_accessible(page)
    register = page.locator("form", has=page.get_by_role("button", name="Anmäl mig"))
    register.get_by_label("Namn").fill("Lina Berg")
    register.get_by_label("E-post").fill(CITIZEN)
    register.get_by_role("button", name="Anmäl mig").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "Lina Berg" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    registration = Registration.objects.get(meeting=meeting, email=CITIZEN)
    assert registration.status == RegistrationStatus.REGISTERED
    drain()
    assert any(registration.token in m.text for m in smtp_server.to(CITIZEN))

    # The official accepts the question; it shows on the meeting page.
    staff.goto(base_url + meeting.staff_url())
    assert QUESTION in staff.locator("#fragor").inner_text()
    staff.get_by_role("button", name="Godkänn och visa").click()
    staff.get_by_role("status").wait_for()
    page.goto(base_url + meeting.get_absolute_url())
    assert QUESTION in page.locator("#fragor").inner_text()

    # The meeting takes place (time passes), is marked as held and documented.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1, minutes=30),
    )
    staff.goto(base_url + meeting.staff_url())
    staff.get_by_role("button", name="Markera mötet som genomfört").click()
    staff.get_by_role("status").wait_for()
    staff.get_by_role("heading", level=1, name="Dokumentation och återkoppling").wait_for()
    assert_accessible(staff)
    # Feedback at the end of the meeting goes to those registered.
    staff.get_by_label("Vilka frågor går vidare och hur?").fill(
        "Gungställningen tas med i ritningarna. Belysningen går till kontaktcenter."
    )
    staff.get_by_label("Var publiceras anteckningarna?").fill("På dialogens sida.")
    staff.get_by_label("När får deltagarna veta mer?").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    )
    staff.get_by_role("button", name="Spara och skicka återkopplingen").click()
    staff.get_by_role("status").wait_for()
    drain()
    assert any("Gungställningen tas med" in m.text for m in smtp_server.to(CITIZEN))
    staff.get_by_label("Anteckningar från mötet").fill(MINUTES)
    staff.get_by_label("Antal deltagare totalt").fill("31")
    staff.get_by_label("Varav Barn").fill("12")
    staff.get_by_role("button", name="Spara dokumentationen").click()
    staff.get_by_role("status").wait_for()
    page.goto(base_url + dialogue.get_absolute_url())
    assert MINUTES not in page.get_by_role("main").inner_text()  # not before it is approved
    staff.get_by_role("button", name="Godkänn dokumentationen").click()
    staff.get_by_role("status").wait_for()
    assert_accessible(staff)
    page.goto(base_url + dialogue.get_absolute_url())
    assert MINUTES in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.goto(base_url + meeting.get_absolute_url())
    assert "31" in page.locator("#dokumentation").inner_text()

    # A simple question from the meeting goes to the contact centre.
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("link", name="Registrera en fråga eller ett resultat").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_label("Rubrik").fill(RESULT)
    staff.get_by_label("Beskrivning").fill("Lampan vid gångvägen mot skolan lyser inte.")
    staff.get_by_label("Möte").select_option(value=str(meeting.pk))
    staff.get_by_role("radio", name="Enkel fråga").check()
    staff.get_by_role("button", name=re.compile("Registrera|Spara")).click()
    staff.get_by_role("heading", level=1, name=RESULT).wait_for()
    item = ResultItem.objects.get(title=RESULT)
    assert item.meeting_id == meeting.pk
    staff.get_by_role("button", name="Skicka till kontaktcenter").click()
    staff.get_by_role("status").wait_for()
    assert_accessible(staff)
    item.refresh_from_db()
    case = Case.objects.get(pk=item.case_id)
    assert case.source == Source.DIALOGUE
    assert case.number in staff.get_by_role("main").inner_text()

    # The contact centre answers the case in its inbox …
    centre = new_page()
    log_in(centre, base_url, CONTACT_CENTRE)
    centre.goto(base_url + case.staff_url())
    reply_form = centre.locator("form", has=centre.get_by_role("button", name="Spara svaret"))
    reply_form.get_by_label("Svar", exact=True).fill(REPLY)
    reply_form.get_by_role("button", name="Spara svaret").click()
    centre.get_by_role("status").filter(has_text="Svaret").wait_for()

    # … and the answer and the case's status show on the result.
    staff.goto(base_url + f"/personal/resultat/{item.pk}/")
    main = staff.get_by_role("main").inner_text()
    case.refresh_from_db()
    assert REPLY in main and case.status.name in main
    assert_accessible(staff)
