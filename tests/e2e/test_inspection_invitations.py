"""The invitation to a safety inspection in the browser: the coordinator adds a contact to
an invited group of a planned inspection (a plain form), sends the invitation and sees it
recorded. Every page checked by axe-core."""

from __future__ import annotations

import datetime

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.accounts.models import User
from torget.councils.models import Council
from torget.inspections import services

COORDINATOR = "trygghet@demo.storeby.example"


def test_coordinator_adds_a_contact_and_sends_the_invitation(new_page, base_url, demo):
    # The demo's walks may all have been held: plan one a month ahead.
    planned = services.inspection_plan(
        actor=User.objects.get(email=COORDINATOR),
        council=Council.objects.get(name="Trygghetsrådet Innerstaden"),
        date=timezone.localdate() + datetime.timedelta(days=30),
        starts_at=datetime.time(18, 0),
        meeting_point="Vid biblioteket",
    )
    staff = new_page()
    log_in(staff, base_url, COORDINATOR)
    staff.goto(base_url + planned.get_absolute_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    form = staff.locator("form", has=staff.get_by_role("button", name="Lägg till kontakten"))
    form.get_by_label("Grupp").select_option(label="Skolor")
    form.get_by_label("Namn").fill("Rektorn")
    form.get_by_label("Mobilnummer").fill("070-174 06 99")
    form.get_by_role("button", name="Lägg till kontakten").click()
    staff.get_by_role("status").first.wait_for()
    assert "070-174 06 99" in staff.content()
    assert_accessible(staff)
    staff.get_by_role("button", name="Skicka inbjudan").click()
    staff.get_by_role("status").first.wait_for()
    assert "Inbjudan är skickad" in staff.content()
    assert staff.get_by_role("button", name="Skicka ändrad inbjudan").count() == 1
