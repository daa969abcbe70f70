"""A staff member's two-factor journey in the browser: the first log-in sets up an
authenticator app from the QR page (the code computed from the key shown in text), the
recovery codes are shown once, and the next log-in asks for a code from the app. Each page
is checked with axe-core."""

import re
from base64 import b32decode

from django_otp.oath import totp
from e2e_helpers import assert_accessible

from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, user_with_role


def fill_log_in(page, base_url, email):
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()


def test_staff_member_sets_up_an_app_and_logs_in_with_its_code(page, base_url, db, settings):
    settings.STAFF_REQUIRE_2FA = True
    official = user_with_role(Role.OFFICIAL, email="handlaggare@example.se")

    # The first log-in: the password alone does not open the back office.
    fill_log_in(page, base_url, official.email)
    page.get_by_role("heading", level=1, name="Slå på tvåstegsverifiering").wait_for()
    assert page.url.startswith(f"{base_url}/konto/tvastegsverifiering/")
    assert page.locator("main svg").count() == 1  # the QR code, drawn by the server
    assert_accessible(page)

    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    # A wrong code first: a clear error, and still the same page.
    page.get_by_label("Engångskod").fill(f"{(totp(key) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Slå på", exact=True).click()
    page.get_by_role("heading", name="Det finns fel i formuläret").wait_for()
    assert "Koden stämmer inte" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_label("Engångskod").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Slå på", exact=True).click()
    page.get_by_role("heading", level=1, name="Dina reservkoder").wait_for()
    assert "Tvåstegsverifiering är nu på för ditt konto." in page.get_by_role("status").inner_text()
    codes = page.locator("ol.recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]+", code) for code in codes)
    assert_accessible(page)
    page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()
    page.wait_for_url(f"{base_url}/mina-sidor/")
    assert "På. Du loggar in med lösenordet" in page.get_by_role("main").inner_text()

    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("link", name="Logga in").first.wait_for()

    # The next log-in asks for the app's code. The code just used is spent, so the app's
    # next one is typed (the app shows it half a minute later; one step ahead is accepted).
    fill_log_in(page, base_url, official.email)
    page.get_by_role("heading", level=1, name="Skriv din engångskod").wait_for()
    assert_accessible(page)
    page.goto(f"{base_url}/admin/")
    page.get_by_role("heading", level=1, name="Skriv din engångskod").wait_for()
    page.get_by_label("Engångskod").fill(f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url(f"{base_url}/admin/")
    page.get_by_role("heading", name="Personalens administration").wait_for()
