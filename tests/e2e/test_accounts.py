"""Account journeys in the browser: sign up and confirm by e-mail, log in and out, a failed
log-in, and the signed-in pages — each step checked with axe-core."""

import pytest
from e2e_helpers import (
    DEMO_ADMIN,
    DEMO_CITIZEN,
    DEMO_PASSWORD,
    assert_accessible,
    links_in,
    log_in,
    wait_for_mail,
)


def test_sign_up_confirm_by_email_and_land_on_my_pages(
    page, base_url, live_server, settings, smtp_server, drain
):
    # A human needs a few seconds for the form; the browser does not.
    settings.ACCOUNT_SIGNUP_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    email = "ny.medborgare@example.se"

    page.goto(base_url + "/")
    page.get_by_role("link", name="Logga in").first.click()
    page.get_by_role("link", name="Skapa ett konto").click()
    page.wait_for_url(base_url + "/konto/registrera/")
    assert_accessible(page)

    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Visningsnamn").fill("Ny Medborgare")
    page.get_by_label("Lösenord", exact=True).fill("ett-långt-lösenord-42")
    page.get_by_label("Upprepa lösenordet").fill("ett-långt-lösenord-42")
    page.get_by_role("button", name="Skapa konto").click()

    page.get_by_role("heading", level=1, name="Titta i din inkorg").wait_for()
    assert email in page.get_by_role("main").inner_text()
    assert_accessible(page)

    [mail] = wait_for_mail(smtp_server, email, drain=drain)
    [link] = links_in(mail.text, containing="/konto/bekrafta/")
    assert link.startswith(base_url + "/konto/bekrafta/"), link

    page.goto(link)
    page.get_by_role("heading", level=1, name="Bekräfta e-postadress").wait_for()
    assert email in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Bekräfta", exact=True).click()
    page.wait_for_url(base_url + "/mina-sidor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mina sidor"
    assert "Tack! Din e-postadress är bekräftad och du är inloggad." in (
        page.get_by_role("status").inner_text()
    )
    assert page.get_by_role("button", name="Logga ut").is_visible()
    assert "(bekräftad)" in page.get_by_role("main").inner_text()
    assert_accessible(page)


def test_log_in_with_a_demo_account_and_log_out(page, base_url, demo):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Logga in").first.click()
    page.wait_for_url(base_url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(DEMO_CITIZEN)
    page.get_by_label("Lösenord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()

    page.wait_for_url(base_url + "/mina-sidor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mina sidor"
    assert DEMO_CITIZEN in page.get_by_role("main").inner_text()

    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("link", name="Logga in").first.wait_for()
    assert page.get_by_role("button", name="Logga ut").count() == 0

    # The session is gone: "Mina sidor" asks for a log-in again.
    page.goto(base_url + "/mina-sidor/")
    assert page.url.startswith(base_url + "/konto/logga-in/")


def test_wrong_password_shows_an_accessible_error_summary(page, base_url, demo):
    page.goto(base_url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(DEMO_CITIZEN)
    page.get_by_label("Lösenord", exact=True).fill("fel-lösenord")
    page.get_by_role("button", name="Logga in", exact=True).click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Det finns fel i formuläret" in summary.inner_text()
    assert page.url.startswith(base_url + "/konto/logga-in/")
    assert "fel i formuläret" in page.title()
    assert page.get_by_role("button", name="Logga ut").count() == 0
    assert_accessible(page)


SIGNED_IN_PAGES = [
    "/mina-sidor/",
    "/mina-sidor/uppgifter/",
    "/mina-sidor/losenord/",
    "/mina-sidor/bevakningar/",
    "/mina-sidor/avsluta-konto/",
]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_page_is_accessible(page, base_url, demo, path):
    log_in(page, base_url, DEMO_CITIZEN)
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    assert page.url == base_url + path, "the page must not send a signed-in citizen elsewhere"
    assert page.locator("h1").count() == 1, f"{path} should have exactly one h1"
    assert_accessible(page)


def test_password_change_form_with_errors_is_accessible(page, base_url, demo):
    log_in(page, base_url, DEMO_CITIZEN)
    page.goto(base_url + "/mina-sidor/losenord/")
    page.get_by_role("button", name="Byt lösenord").click()  # everything left empty
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Det finns fel i formuläret" in summary.inner_text()
    assert_accessible(page)


def test_staff_start_page_is_accessible(page, base_url, demo):
    log_in(page, base_url, DEMO_ADMIN)
    page.get_by_role("link", name="Personal", exact=True).click()
    page.wait_for_url(base_url + "/personal/")
    assert_accessible(page)
