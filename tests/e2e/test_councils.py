"""Councils in the browser: the safety coordinator adds a member to a safety council, is
refused as chair without a recorded reason and then chairs it with one, plans a council
meeting (the invitation goes to the utskott), and the public reads the council's page without
anyone's contact details; the utskott member of the area reads the council's unpublished
material. Every page checked by axe-core."""

from __future__ import annotations

import datetime

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.councils.models import Council, CouncilMeeting

COORDINATOR = "trygghet@demo.storeby.example"
ELECTED = "fortroendevald@demo.storeby.example"  # chairs Utskott Centrum


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_coordinator_runs_a_council_and_the_utskott_reads_it(page, new_page, base_url, demo):
    council = Council.objects.get(name="Trygghetsrådet Tallboda")

    staff = new_page()
    log_in(staff, base_url, COORDINATOR)
    staff.goto(base_url + "/personal/")
    staff.get_by_role("link", name="Råd", exact=True).click()
    staff.get_by_role("heading", level=1, name="Råd").wait_for()
    assert_accessible(staff)
    staff.get_by_role("link", name=council.name).click()
    staff.get_by_role("heading", level=1, name=council.name).wait_for()
    assert_accessible(staff)

    # A new member who represents the residents.
    form = staff.locator("form", has=staff.get_by_role("button", name="Lägg till ledamot"))
    form.get_by_label("Namn").fill("Mira Holm")
    form.get_by_label("Organisation").fill("Tallboda hyresgästförening")
    form.get_by_label("Roll").fill("Boenderepresentant")
    form.get_by_label("Företräder").select_option(label="Boende")
    form.get_by_label("Uppdraget från").fill("2025-01-01")
    form.get_by_label("E-post").fill("mira.holm@example.se")
    form.get_by_role("button", name="Lägg till ledamot").click()
    staff.get_by_role("status").wait_for()
    assert "Mira Holm" in staff.content()

    # The coordinator as chair: refused without a reason, recorded with one.
    chair = staff.locator("form", has=staff.get_by_role("button", name="Spara ordförande"))
    chair.get_by_label("Eller: samordnaren är ordförande").select_option(index=1)
    chair.get_by_role("button", name="Spara ordförande").click()
    staff.get_by_text("ingen av rådets ledamöter vill ta uppdraget").first.wait_for()
    assert_accessible(staff)
    chair = staff.locator("form", has=staff.get_by_role("button", name="Spara ordförande"))
    chair.get_by_label("Eller: samordnaren är ordförande").select_option(index=1)
    chair.get_by_label("Varför är samordnaren ordförande?").fill("Ingen ville ta uppdraget.")
    chair.get_by_role("button", name="Spara ordförande").click()
    staff.get_by_role("status").wait_for()
    assert "(undantag)" in staff.content()

    # A council meeting, planned through the meetings part.
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    staff.get_by_role("link", name="Planera ett möte").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_label("Rubrik").fill("Trygghetsrådets möte i januari")
    staff.get_by_label("Syfte").fill("Lägesbild och åtgärder.")
    staff.get_by_label("Börjar").fill(local(starts))
    staff.get_by_label("Slutar").fill(local(starts + datetime.timedelta(hours=2)))
    staff.get_by_label("Plats och adress").fill("Tallboda bibliotek")
    staff.get_by_role("button", name="Planera mötet").click()
    staff.get_by_role("heading", level=1, name="Trygghetsrådets möte i januari").wait_for()
    assert_accessible(staff)
    council_meeting = CouncilMeeting.objects.get(meeting__title="Trygghetsrådets möte i januari")
    assert council_meeting.invited_at is not None

    # The public: /trygghet/, the list and the council's page, without contact details.
    for path in ("/trygghet/", "/trygghet/rad/", council.get_absolute_url()):
        page.goto(base_url + path)
        page.get_by_role("heading", level=1).wait_for()
        assert_accessible(page)
    assert "Tallboda hyresgästförening" in page.content()
    assert "mira.holm@example.se" not in page.content() and "Mira Holm" not in page.content()

    # The utskott member of the area reads everything of the council.
    member = new_page()
    log_in(member, base_url, ELECTED)
    member.goto(base_url + council.staff_url())
    member.get_by_role("heading", level=1, name=council.name).wait_for()
    assert "mira.holm@example.se" in member.content()
    assert_accessible(member)
    innerstaden = Council.objects.get(name="Trygghetsrådet Innerstaden")
    held = CouncilMeeting.objects.filter(council=innerstaden).first()
    member.goto(base_url + f"{innerstaden.staff_url()}moten/{held.pk}/")
    member.get_by_role("heading", level=1).wait_for()
    assert_accessible(member)
