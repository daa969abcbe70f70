"""Safety inspections in the browser: the coordinator sees the season warning on the start
page and the yearly plan, plans an inspection with its route drawn on the map, records a
finding with a photo placed by searching for the place, analyses it (problem, cause, action),
corrects it, turns it into a fault report, marks the protocol done and finds it on the
utskott's next agenda; the public reads a published protocol. Every page checked by axe-core."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from e2e_helpers import assert_accessible, log_in
from PIL import Image

from torget.inspections.models import Finding, Inspection, InspectionStatus
from torget.meetings.models import Meeting

COORDINATOR = "trygghet@demo.storeby.example"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 110, 130)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_coordinator_plans_records_a_finding_and_reads_the_protocol(
    page, new_page, base_url, demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    staff = new_page()
    log_in(staff, base_url, COORDINATOR)
    staff.goto(base_url + "/personal/")
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_role("link", name="Trygghetsbesiktningar", exact=True).first.click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_role("link", name="Planera en besiktning").first.click()
    staff.get_by_role("heading", level=1, name="Planera en besiktning").wait_for()
    assert_accessible(staff)
    # The route drawn on the map: each click a point, written into the textarea.
    staff.get_by_label("Trygghetsråd", exact=True).select_option(label="Trygghetsrådet Innerstaden")
    staff.get_by_label("Datum", exact=True).fill(f"{timezone.localdate().year + 1}-04-20")
    staff.get_by_label("Samlingsplats", exact=True).fill("Stora torget")
    route_map = staff.locator("[data-route-editor-map]")
    route_map.wait_for()
    route_map.click(position={"x": 100, "y": 100})
    route_map.click(position={"x": 160, "y": 120})
    route_map.click(position={"x": 220, "y": 90})
    staff.get_by_role("button", name="Ångra senaste punkten").click()
    assert len(staff.locator("textarea[name=route]").input_value().splitlines()) == 2
    staff.get_by_text("Punkter i sträckningen: 2").wait_for()
    assert_accessible(staff)
    staff.get_by_role("button", name="Spara").click()
    staff.get_by_role("status").first.wait_for()
    planned = Inspection.objects.order_by("-pk").first()
    assert len(planned.route["coordinates"]) == 2
    staff.locator("[data-route-map] path.leaflet-interactive").first.wait_for()
    assert_accessible(staff)

    held = (
        Inspection.objects.filter(
            council__name="Trygghetsrådet Innerstaden", status=InspectionStatus.HELD
        )
        .order_by("-date")
        .first()
    )
    staff.goto(base_url + held.get_absolute_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_role("link", name="Lägg till ett fynd").click()
    staff.get_by_role("heading", level=1, name="Nytt fynd").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Kategori").select_option(label="Belysning")
    staff.get_by_label("Vad såg ni?").fill("Släckt lykta vid lekplatsen")
    # Placed with the keyboard: the place searched for by name, the pin set in its middle.
    staff.get_by_label("Sök en plats på kartan").fill("Innerstaden")
    staff.get_by_label("Sök en plats på kartan").press("Enter")
    staff.get_by_text(re.compile(r"^Vald plats: 58\.\d+, 15\.\d+")).wait_for()
    assert staff.get_by_label("Latitud").input_value().startswith("58.")
    staff.get_by_label("Plats eller adress").fill("Lekplatsen vid Stora torget")
    staff.get_by_label("Foton").set_input_files(
        [{"name": "lykta.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    assert_accessible(staff)
    staff.get_by_role("button", name="Spara fyndet").click()
    staff.get_by_role("status").first.wait_for()
    assert_accessible(staff)
    finding = Finding.objects.get(description="Släckt lykta vid lekplatsen")
    assert finding.lat is not None and finding.photos.count() == 1

    problem = staff.locator("form", has=staff.get_by_role("button", name="Spara problemet"))
    problem.get_by_label("Observerat problem").fill("Lekplatsen är mörk på kvällen")
    problem.get_by_role("button", name="Spara problemet").click()
    staff.get_by_role("status").first.wait_for()

    cause = staff.locator("form", has=staff.get_by_role("button", name="Lägg till orsaken"))
    cause.get_by_label("Orsak").fill("Lampan är trasig")
    cause.get_by_label("Vem kan påverka den?").fill("Gatukontoret")
    cause.get_by_role("button", name="Lägg till orsaken").click()
    staff.get_by_role("status").first.wait_for()
    action = staff.locator("form", has=staff.get_by_role("button", name="Föreslå åtgärden"))
    action.get_by_label("Åtgärd", exact=True).fill("Byt lampan i lyktan")
    action.get_by_label("Ansvarig", exact=True).fill("Gatukontoret")
    action.get_by_label("Klart senast").fill(f"{timezone.localdate().year + 1}-01-31")
    action.get_by_role("button", name="Föreslå åtgärden").click()
    staff.get_by_role("status").first.wait_for()
    # Corrected after the walk, with a confirmation and the change on the page.
    staff.get_by_role("link", name="Ändra fyndet").click()
    staff.get_by_role("heading", level=1, name="Ändra fyndet").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Vad såg ni?").fill("Släckt lykta vid lekplatsen, trasig glaskupa")
    staff.get_by_role("button", name="Spara ändringarna").click()
    staff.get_by_text("Ändringarna av fyndet är sparade.").wait_for()
    staff.get_by_role("link", name=re.compile("^Ändra åtgärden")).click()
    staff.get_by_role("heading", level=1, name="Ändra åtgärden").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Ansvarig", exact=True).fill("Gatukontoret, belysningsgruppen")
    staff.get_by_role("button", name="Spara ändringarna").click()
    staff.get_by_text("Ändringarna av åtgärden är sparade.").wait_for()
    assert "belysningsgruppen" in staff.content()
    report = staff.locator("form", has=staff.get_by_role("button", name="Gör en felanmälan"))
    report.get_by_label("Kategori för felanmälan").select_option(index=1)
    report.get_by_role("button", name="Gör en felanmälan").click()
    staff.get_by_role("status").first.wait_for()
    assert "Felanmälan" in staff.content()
    assert_accessible(staff)

    # The protocol is done: it goes on the agenda of the utskott's next meeting.
    staff.goto(base_url + held.get_absolute_url())
    staff.get_by_role("button", name="Markera protokollet som klart").click()
    staff.get_by_text("Protokollet är markerat som klart.").wait_for()
    assert_accessible(staff)
    next_meeting = (
        Meeting.objects.filter(body=held.council.utskott, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    staff.goto(base_url + next_meeting.get_absolute_url())
    minutes = staff.get_by_role("region", name="Protokoll från trygghetsråd och besiktningar")
    minutes.get_by_text(f"protokoll från trygghetsbesiktningen {held.date.isoformat()}").wait_for()
    assert_accessible(staff)

    staff.goto(base_url + held.protocol_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert "trasig glaskupa" in staff.content()
    assert_accessible(staff)

    published = Inspection.objects.filter(published_at__isnull=False).order_by("pk").first()
    for path in ("/trygghet/", published.public_url()):
        page.goto(base_url + path)
        page.get_by_role("heading", level=1).wait_for()
        assert_accessible(page)
