"""Feedback at the decision in the browser: the checklist asks for the decision proposal before
the decision is registered; the official records why it is skipped, and after the decision the
point shows as missed; a published summary is corrected, and the public page shows the
correction with its date, the earlier version, and the history dated as the steps happened —
every page checked by axe-core."""

from __future__ import annotations

import datetime

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.accounts.tests.factories import PASSWORD
from torget.dialogues import services as dialogues
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.tests.factories import cast
from torget.evaluation.tests.factories import compiling
from torget.results import services as results
from torget.results.models import Correction, PointSkip

REASON = "Nämnden tog upp ärendet på ett extra sammanträde med två dagars varsel."


def test_point_three_skipped_with_a_reason_and_a_corrected_summary(page, new_page, base_url):
    catalogue_ensure()
    people = cast()
    dialogue = compiling(people)

    staff = new_page()
    log_in(staff, base_url, people.official.email, PASSWORD)
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert "Detta saknas innan beslutet i frågan kan registreras:" in staff.content()
    assert_accessible(staff)

    staff.get_by_role("link", name="registrera varför det hoppas över").click()
    staff.get_by_role("heading", level=1, name="Hoppa över beslutsförslaget").wait_for()
    assert_accessible(staff)
    staff.get_by_role("button", name="Registrera skälet").click()
    staff.get_by_role("alert").first.wait_for()
    assert_accessible(staff)
    staff.get_by_label("Varför skickas beslutsförslaget inte ut före beslutet?").fill(REASON)
    staff.get_by_role("button", name="Registrera skälet").click()
    staff.get_by_role("status").wait_for()
    assert PointSkip.objects.filter(dialogue=dialogue).exists()

    decided_on = timezone.localdate() - datetime.timedelta(days=3)
    dialogues.dialogue_step(
        dialogue=dialogue,
        step="record_decision",
        actor=people.official,
        results_summary="120 deltagare.",
        outcome_decision="Nämnden beslutade om en ny skolgård.",
        outcome_decided_on=decided_on,
    )
    results.summary_publish(dialogue=dialogue, actor=people.official, text="Tack!")
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert "Missad" in staff.content()
    assert_accessible(staff)

    staff.get_by_role("link", name="Rätta sammanställningen").click()
    staff.get_by_role("heading", level=1, name="Rätta sammanställningen").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Sammanställning", exact=True).fill("Tack till alla 120 deltagare!")
    staff.get_by_label("Vad ändrades och varför?").fill("Antalet deltagare saknades.")
    staff.get_by_role("button", name="Spara rättelsen och skicka").click()
    staff.get_by_role("status").wait_for()
    assert Correction.objects.filter(dialogue=dialogue).count() == 1

    page.goto(base_url + dialogue.get_absolute_url())
    main = page.get_by_role("main")
    main.get_by_role("heading", name="Rättelser").wait_for()
    text = main.inner_text()
    assert "Tack till alla 120 deltagare!" in text and "Antalet deltagare saknades." in text
    assert page.locator(f'time[datetime="{decided_on.isoformat()}"]').count() >= 1
    assert_accessible(page)
