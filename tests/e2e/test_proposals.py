"""Medborgarförslag in the browser: a citizen submits a proposal, an official publishes it,
three people support it through the (demo) e-ID step and the third support sends it to
kommunfullmäktige — with every page checked by axe-core. Also: the list and a proposal page
without JavaScript, and a supporter who is not a resident of the municipality."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from e2e_helpers import DEMO_CITIZEN, assert_accessible, log_in

from torget.identity.tests.factories import make_pin
from torget.organisation.models import Municipality
from torget.proposals.models import EventKind, Proposal, Status, Support

DEMO_OFFICIAL = "tjansteperson@demo.storeby.example"
TITLE = "Laddstolpar för elcyklar vid Berga centrum"
BODY = (
    "Många i Berga cyklar elcykel till jobbet men det finns ingenstans att ladda dem. "
    "Sätt upp några laddstolpar vid cykelställen i centrum."
)
# Demo proposals (torget/demo/management/commands/load_demo.py).
SIGNING_TITLE = "Cykelbana längs ån genom Innerstaden"  # collecting support: 31 of 50
COUNCIL_TITLE = "Utegym vid Berga idrottsplats"  # reached its threshold, with a KF number
DECIDED_TITLE = "Fler papperskorgar vid badplatsen i Malmslätt"
MEETING_TITLE = "Fler bänkar längs promenadstråket i Ryd"  # from a dialogue meeting
DIARY_NUMBER = re.compile(r"\bKF \d{4}/\d+\b")


# --- Helpers ---------------------------------------------------------------------------------


def _path_is(page, base_url: str, path: str) -> bool:
    return page.url.split("?", 1)[0] == base_url + path


def identify_with_demo_eid(
    page, base_url: str, *, resident: bool, check_a11y: bool = False, chooser: bool | None = None
):
    """From a page with "Legitimera dig": through /legitimera/ to the demo method and back.

    With one active method /legitimera/ goes straight to it; with more it lists them
    (`chooser` says which to expect; None accepts both)."""
    page.get_by_role("link", name="Legitimera dig").click()
    page.wait_for_url(re.compile(r"/legitimera/"))
    listed = _path_is(page, base_url, "/legitimera/")
    if chooser is not None:
        assert listed == chooser, page.url
    if listed:
        page.get_by_role("heading", level=1, name="Legitimera dig").wait_for()
        if check_a11y:
            assert_accessible(page)
        page.get_by_role("link", name="Demo-legitimering").click()
    page.wait_for_url(re.compile(r"/legitimera/demo/"))
    page.get_by_role("heading", level=1, name="Demo-legitimering").wait_for()
    if check_a11y:
        assert_accessible(page)
    page.get_by_label("Personnummer").fill(str(make_pin()))
    page.get_by_role("radio", name="Ja" if resident else "Nej", exact=True).check()
    page.get_by_role("button", name="Legitimera", exact=True).click()


def support_as_new_person(page, base_url: str, proposal_url: str, *, check_a11y: bool = False):
    """One resident supports the proposal: proposal page → Stöd förslaget → e-ID → confirm."""
    page.goto(proposal_url)
    page.get_by_role("link", name="Stöd förslaget").click()
    page.wait_for_url(proposal_url + "stod/")
    page.get_by_role("heading", level=1, name="Stöd förslaget").wait_for()
    if check_a11y:
        assert_accessible(page)

    identify_with_demo_eid(page, base_url, resident=True, check_a11y=check_a11y)
    page.wait_for_url(proposal_url + "stod/")
    confirm = page.get_by_role("button", name="Bekräfta mitt stöd")
    confirm.wait_for()
    assert "Du är legitimerad" in page.get_by_role("status").inner_text()
    if check_a11y:
        assert_accessible(page)

    confirm.click()
    page.wait_for_url(proposal_url)
    assert "Ditt stöd är registrerat" in page.get_by_role("status").inner_text()
    assert page.get_by_text("Du stödjer det här förslaget.").is_visible()


def wait_for_text_after_reload(page, locator, text: str, *, timeout: float = 10.0) -> None:
    """The support count on a proposal page may be a few seconds old (it is cached briefly,
    selectors.SUPPORT_COUNT_SECONDS): reload until it says `text`."""
    deadline = time.monotonic() + timeout
    while text not in locator.inner_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"Expected {text!r} in {locator.inner_text()!r} on {page.url}")
        time.sleep(0.5)
        page.reload()


def wait_for_mail_containing(smtp_server, address: str, needle: str, *, drain, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        drain()
        found = [m for m in smtp_server.to(address) if needle in m.text]
        if found:
            return found
        if time.monotonic() > deadline:
            got = [(m.subject, m.text[:200]) for m in smtp_server.to(address)]
            raise AssertionError(f"No message to {address} containing {needle!r}; got {got}")
        time.sleep(0.1)


# --- The whole journey -----------------------------------------------------------------------


def test_submit_moderate_support_with_eid_until_the_proposal_goes_to_the_council(
    page, new_page, base_url, live_server, settings, smtp_server, drain, demo
):
    settings.SITE_URL = live_server.url
    # Three supporters instead of fifty, and residents only (the live server shares the DB).
    Municipality.objects.update(
        proposal_support_threshold=3,
        proposal_threshold_per_mille=None,
        proposal_residence_required=True,
        proposal_min_age=0,
    )

    # The citizen writes a proposal.
    log_in(page, base_url, DEMO_CITIZEN)
    page.goto(base_url + "/forslag/")
    page.get_by_role("heading", level=1, name="Medborgarförslag").wait_for()
    assert "Får det stöd av 3 personer" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Lämna ett förslag").click()
    page.wait_for_url(base_url + "/forslag/nytt/")
    page.get_by_role("heading", level=1, name="Lämna ett medborgarförslag").wait_for()
    assert_accessible(page)

    # Sent empty first: an error summary that links to the fields.
    page.get_by_role("button", name="Förhandsgranska").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Det finns fel i formuläret" in summary.inner_text()
    assert summary.get_by_role("link", name=re.compile("^Rubrik")).count() == 1
    assert "fel i formuläret" in page.title()
    assert_accessible(page)

    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_role("textbox", name="Ditt förslag").fill(BODY)
    page.get_by_label("Kategori").select_option(label="Trafik och gator")
    page.get_by_label("Område").select_option(label="Berga")
    page.get_by_role("button", name="Förhandsgranska").click()

    page.get_by_role("heading", level=1, name="Förhandsgranska ditt förslag").wait_for()
    preview = page.get_by_role("main")
    assert page.get_by_role("heading", level=2, name=TITLE).is_visible()
    assert "Många i Berga cyklar elcykel" in preview.inner_text()
    author_name = get_user_model().objects.get(email=DEMO_CITIZEN).public_name
    assert f"med ditt visningsnamn, {author_name}," in preview.inner_text()
    assert not Proposal.objects.filter(title=TITLE).exists()  # nothing is stored yet
    assert_accessible(page)

    # Back to the form to change something: everything typed is still there.
    page.get_by_role("button", name="Ändra").click()
    page.get_by_role("heading", level=1, name="Lämna ett medborgarförslag").wait_for()
    assert page.get_by_label("Rubrik").input_value() == TITLE
    assert page.get_by_role("textbox", name="Ditt förslag").input_value() == BODY
    assert page.get_by_label("Område").locator("option:checked").inner_text() == "Berga"
    assert page.get_by_role("alert").count() == 0
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_role("heading", level=1, name="Förhandsgranska ditt förslag").wait_for()

    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    proposal = Proposal.objects.get(title=TITLE)
    proposal_url = f"{base_url}/forslag/{proposal.pk}/"
    assert page.url == proposal_url
    assert proposal.status == Status.SUBMITTED and proposal.area.name == "Berga"
    assert "Vi har tagit emot ditt förslag" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    assert "Förslaget granskas" in page.get_by_role("note").first.inner_text()
    assert_accessible(page)

    page.goto(base_url + "/mina-sidor/forslag/")
    own = page.get_by_role("region", name="Förslag du har lämnat")
    card = own.get_by_role("listitem").filter(has=page.get_by_role("link", name=TITLE))
    assert "Granskas" in card.inner_text()
    assert_accessible(page)

    # Not public while under review.
    visitor = new_page()
    response = visitor.goto(proposal_url)
    assert response is not None and response.status == 404

    # The official publishes it from "Att granska".
    staff = new_page()
    log_in(staff, base_url, DEMO_OFFICIAL)
    staff.goto(base_url + "/personal/forslag/")
    staff.get_by_role("heading", level=2, name="Att granska").wait_for()
    assert_accessible(staff)
    staff.get_by_role("table").get_by_role("link", name=TITLE).click()
    staff.wait_for_url(f"{base_url}/personal/forslag/{proposal.pk}/")
    staff.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert staff.get_by_role("heading", level=3, name="Publicera", exact=True).is_visible()
    assert staff.get_by_role("heading", level=3, name="Avvisa", exact=True).is_visible()
    assert_accessible(staff)

    staff.get_by_role("button", name="Publicera förslaget").click()
    staff.get_by_role("status").wait_for()
    assert "Förslaget är publicerat" in staff.get_by_role("status").inner_text()
    assert "Status: Samlar stöd" in staff.get_by_role("main").inner_text()
    assert_accessible(staff)
    proposal.refresh_from_db()
    assert proposal.status == Status.SIGNING and proposal.threshold == 3

    # Three residents support it, each in their own browser and with their own e-ID step.
    for number in range(1, 4):
        supporter = new_page()
        support_as_new_person(supporter, base_url, proposal_url, check_a11y=number == 1)
        if number == 1:
            assert_accessible(supporter)  # the proposal page with the supporter's view
        if number < 3:
            proposal.refresh_from_db()
            assert proposal.status == Status.SIGNING, f"after support {number}"

    # The third support crossed the threshold: the proposal goes to kommunfullmäktige.
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == 3
    assert proposal.status == Status.TO_COUNCIL
    assert DIARY_NUMBER.fullmatch(proposal.diary_number), proposal.diary_number

    # Anyone sees it on the page: status, progress and the timeline step with its reference.
    reader = new_page()
    reader.goto(proposal_url)
    header = reader.locator("header.proposal__header")
    assert header.get_by_text("Till kommunfullmäktige", exact=True).is_visible()
    wait_for_text_after_reload(reader, reader.locator(".support-box"), "3 av 3 stöd")
    assert "Förslaget har fått tillräckligt stöd" in reader.locator(".support-box").inner_text()
    progress = reader.get_by_role("progressbar", name="3 av 3 stöd")
    assert progress.get_attribute("value") == "3" and progress.get_attribute("max") == "3"

    timeline = reader.get_by_role("region", name="Så har förslaget hanterats")
    steps = timeline.get_by_role("listitem")
    step = steps.filter(has=reader.get_by_role("heading", name=str(EventKind.THRESHOLD.label)))
    assert step.count() == 1
    assert proposal.diary_number in step.inner_text()
    assert step.locator("time").get_attribute("datetime") == (
        timezone.localdate(proposal.threshold_reached_at).isoformat()
    )
    published = reader.get_by_role("heading", name=str(EventKind.PUBLISHED.label))
    assert steps.filter(has=published).count() == 1
    # Supports per day: the chart and, for those who can't see it, the same as a table.
    chart = reader.get_by_role("region", name="Stöd per dag")
    assert chart.locator("svg").count() == 1
    chart.get_by_text("Visa siffrorna som tabell").click()
    assert chart.get_by_role("table", name="Stöd per dag").is_visible()
    assert_accessible(reader)

    # The author hears about it by e-mail, with the diarienummer.
    [mail, *_] = wait_for_mail_containing(
        smtp_server, DEMO_CITIZEN, proposal.diary_number, drain=drain
    )
    assert TITLE in mail.subject or TITLE in mail.text
    assert proposal_url in mail.text

    # The staff list has moved it to "Till KF".
    staff.goto(base_url + "/personal/forslag/?visa=till-kf")
    row = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=TITLE))
    assert proposal.diary_number in row.inner_text()
    assert_accessible(staff)


# --- Without JavaScript ----------------------------------------------------------------------

NO_JAVASCRIPT = {
    "locale": "sv-SE",
    "viewport": {"width": 1280, "height": 800},
    "java_script_enabled": False,
}


def assert_accessible_without_js(page, twin) -> None:
    """axe-core on the page as a browser without JavaScript has it.

    axe-core is JavaScript and cannot run where JavaScript is off (its promise never settles),
    so the same address is opened in `twin`, a browser that refuses the site's script files.
    Without inline scripts (checked here) that is the same document, styles included.
    """
    response = twin.goto(page.url)
    assert response is not None and response.ok, page.url
    assert twin.locator("script:not([src])").count() == 0, "an inline script would run in twin"
    assert twin.locator("h1").inner_text() == page.locator("h1").inner_text()
    assert_accessible(twin)


@pytest.mark.parametrize("browser_context_args", [NO_JAVASCRIPT])
def test_list_filters_and_proposal_page_work_without_javascript(page, new_page, base_url, demo):
    twin = new_page(without_site_scripts=True)
    page.goto(base_url + "/forslag/")
    page.get_by_role("heading", level=1, name="Medborgarförslag").wait_for()
    assert_accessible_without_js(page, twin)
    results = page.get_by_role("region", name=re.compile(r"\d+ förslag$"))
    all_titles = results.get_by_role("heading", level=3).all_inner_texts()
    assert SIGNING_TITLE in all_titles and COUNCIL_TITLE in all_titles

    # A plain GET form: the choices end up in the address and filter the list.
    search = page.get_by_role("search", name="Sök och filtrera")
    search.get_by_label("Kategori").select_option(label="Kultur och fritid")
    search.get_by_role("button", name="Visa förslag").click()
    page.wait_for_url(re.compile(r"/forslag/\?.*kategori=kultur-och-fritid"))
    matches = page.get_by_role("region", name=re.compile(r"förslag matchar$"))
    titles = matches.get_by_role("heading", level=3).all_inner_texts()
    assert COUNCIL_TITLE in titles and SIGNING_TITLE not in titles
    assert page.get_by_label("Kategori").input_value() == "kultur-och-fritid"  # kept
    assert_accessible_without_js(page, twin)

    search = page.get_by_role("search", name="Sök och filtrera")
    search.get_by_label("Kategori").select_option(label="Alla kategorier")
    search.get_by_label("Sök bland förslagen").fill("cykelbana")
    search.get_by_label("Status").select_option(label="Samlar stöd")
    search.get_by_role("button", name="Visa förslag").click()
    page.wait_for_url(re.compile(r"/forslag/\?.*q=cykelbana"))
    matches = page.get_by_role("region", name=re.compile(r"förslag matchar$"))
    assert matches.get_by_role("heading", level=3).all_inner_texts() == [SIGNING_TITLE]
    assert matches.get_by_role("heading", level=2).inner_text() == "1 förslag matchar"

    # No match: said plainly, with a way back.
    search = page.get_by_role("search", name="Sök och filtrera")
    search.get_by_label("Sök bland förslagen").fill("zzzfinnsinte")
    search.get_by_role("button", name="Visa förslag").click()
    page.wait_for_url(re.compile(r"q=zzzfinnsinte"))
    assert page.get_by_text("Inga förslag matchar din sökning.").is_visible()
    assert_accessible_without_js(page, twin)
    page.get_by_role("link", name="Visa alla förslag").first.click()
    page.wait_for_url(base_url + "/forslag/")

    # A proposal that reached its threshold: count, timeline with the KF number, the chart's
    # table in a <details> that opens without script.
    page.get_by_role("link", name=COUNCIL_TITLE).click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    page.get_by_role("heading", level=1, name=COUNCIL_TITLE).wait_for()
    header = page.locator("header.proposal__header")
    assert header.get_by_text("Till kommunfullmäktige", exact=True).is_visible()
    assert re.search(r"\d+ av 50 stöd", page.locator(".support-box").inner_text())
    timeline = page.get_by_role("region", name="Så har förslaget hanterats")
    assert DIARY_NUMBER.search(timeline.inner_text())
    chart = page.get_by_role("region", name="Stöd per dag")
    table = chart.get_by_role("table", name="Stöd per dag")
    assert not table.is_visible()
    chart.get_by_text("Visa siffrorna som tabell").click()
    assert table.is_visible()
    assert_accessible_without_js(page, twin)

    # A decided proposal: the decision and the answer on its page.
    page.goto(base_url + "/forslag/?status=beslutat")
    page.get_by_role("link", name=DECIDED_TITLE).click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    decision = page.get_by_role("region", name="Beslut")
    assert "Bifallet" in decision.inner_text()
    assert_accessible_without_js(page, twin)

    # Proposals from dialogue meetings: their own list, and pages without a support box.
    page.goto(base_url + "/forslag/")
    page.get_by_role("link", name="Förslag från dialogmöten").click()
    page.wait_for_url(base_url + "/forslag/fran-dialoger/")
    assert_accessible_without_js(page, twin)
    page.get_by_role("link", name=MEETING_TITLE).click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    assert page.get_by_role("link", name="Stöd förslaget").count() == 0
    assert_accessible_without_js(page, twin)

    # A proposal collecting support: the support link leads to a page that works too.
    page.goto(base_url + "/forslag/")
    page.get_by_role("link", name=SIGNING_TITLE).click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    proposal_url = page.url
    assert_accessible_without_js(page, twin)
    page.get_by_role("link", name="Stöd förslaget").click()
    page.wait_for_url(proposal_url + "stod/")
    assert page.get_by_role("link", name="Legitimera dig").is_visible()
    assert_accessible_without_js(page, twin)

    # …and the support itself is plain links and forms.
    proposal = Proposal.objects.get(title=SIGNING_TITLE)
    before = Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count()
    identify_with_demo_eid(page, base_url, resident=True)
    page.wait_for_url(proposal_url + "stod/")
    page.get_by_role("button", name="Bekräfta mitt stöd").click()
    page.wait_for_url(proposal_url)
    assert "Ditt stöd är registrerat" in page.get_by_role("status").inner_text()
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == (
        before + 1
    )


def test_a_supporter_who_is_not_a_resident_is_told_why_and_is_not_counted(
    page, base_url, settings, demo
):
    Municipality.objects.update(proposal_residence_required=True)
    # A second method (OIDC, configured but never reached here): /legitimera/ lists both.
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = "torget-test"
    proposal = Proposal.objects.get(title=SIGNING_TITLE)
    before = Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count()
    proposal_url = f"{base_url}/forslag/{proposal.pk}/"

    page.goto(proposal_url)
    count_text = f"{before} av {proposal.threshold} stöd"
    assert count_text in page.locator(".support-box").inner_text()
    page.get_by_role("link", name="Stöd förslaget").click()
    page.wait_for_url(proposal_url + "stod/")
    assert "Du behöver vara folkbokförd i Storeby kommun." in page.get_by_role("main").inner_text()

    identify_with_demo_eid(page, base_url, resident=False, check_a11y=True, chooser=True)
    page.wait_for_url(proposal_url + "stod/")
    page.get_by_role("heading", level=1, name="Stöd förslaget").wait_for()
    main = page.get_by_role("main")
    assert "Bara den som är folkbokförd i Storeby kommun kan stödja förslag." in main.inner_text()
    assert page.get_by_role("button", name="Bekräfta mitt stöd").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till förslaget").click()
    page.wait_for_url(proposal_url)
    assert count_text in page.locator(".support-box").inner_text()
    assert page.get_by_text("Du stödjer det här förslaget.").count() == 0
    assert page.get_by_role("link", name="Stöd förslaget").is_visible()
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == before
    proposal.refresh_from_db()
    assert proposal.status == Status.SIGNING
