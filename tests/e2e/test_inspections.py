"""Safety inspections in the browser: the coordinator sees the season warning on the start
page and the yearly plan, records a finding on an inspection without JavaScript-only steps,
adds a cause and an action, turns the finding into a fault report, and reads the protocol;
the public reads a published protocol. Every page checked by axe-core."""

from __future__ import annotations

from e2e_helpers import assert_accessible, log_in

from torget.inspections.models import Inspection, InspectionStatus

COORDINATOR = "trygghet@demo.storeby.example"


def test_coordinator_plans_records_a_finding_and_reads_the_protocol(page, new_page, base_url, demo):
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
    staff.get_by_label("Plats eller adress").fill("Lekplatsen vid Stora torget")
    staff.get_by_role("button", name="Spara fyndet").click()
    staff.get_by_role("status").first.wait_for()
    assert_accessible(staff)

    cause = staff.locator("form", has=staff.get_by_role("button", name="Lägg till orsaken"))
    cause.get_by_label("Orsak").fill("Lampan är trasig")
    cause.get_by_label("Vem kan påverka den?").fill("Gatukontoret")
    cause.get_by_role("button", name="Lägg till orsaken").click()
    staff.get_by_role("status").first.wait_for()
    report = staff.locator("form", has=staff.get_by_role("button", name="Gör en felanmälan"))
    report.get_by_label("Kategori för felanmälan").select_option(index=1)
    report.get_by_role("button", name="Gör en felanmälan").click()
    staff.get_by_role("status").first.wait_for()
    assert "Felanmälan" in staff.content()
    assert_accessible(staff)

    staff.goto(base_url + held.protocol_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert "Släckt lykta vid lekplatsen" in staff.content()
    assert_accessible(staff)

    published = Inspection.objects.filter(published_at__isnull=False).order_by("pk").first()
    for path in ("/trygghet/", published.public_url()):
        page.goto(base_url + path)
        page.get_by_role("heading", level=1).wait_for()
        assert_accessible(page)
