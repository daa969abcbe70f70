"""Following an area in the browser: without an account (double opt-in by e-mail), with one,
and the staff's view of the outbox — each step checked with axe-core."""

import re

from e2e_helpers import DEMO_ADMIN, DEMO_CITIZEN, assert_accessible, links_in, log_in, wait_for_mail

from torget.notifications import sms
from torget.notifications.models import Subscription


def test_follow_an_area_without_an_account_and_confirm_by_email(
    page, base_url, live_server, settings, smtp_server, drain, demo
):
    settings.SITE_URL = live_server.url
    page.goto(base_url + "/omraden/berga/")
    page.get_by_role("link", name="Bevaka Berga").click()
    page.get_by_role("heading", level=1, name="Bevaka Berga").wait_for()
    assert_accessible(page)

    # A mistake first: the error summary names it and links to the field.
    page.get_by_label("E-postadress").fill("anna.example.se")
    page.get_by_role("button", name="Bevaka").click()
    summary = page.get_by_role("alert")
    assert "E-postadress" in summary.inner_text()
    assert_accessible(page)

    page.get_by_label("E-postadress").fill("anna@example.se")
    page.get_by_label("En gång i veckan").check()
    page.get_by_role("button", name="Bevaka").click()
    page.get_by_role("heading", level=1, name="Bekräfta din bevakning").wait_for()
    assert_accessible(page)

    [mail] = wait_for_mail(smtp_server, "anna@example.se", drain=drain)
    [link] = links_in(mail.text, containing="/bevakning/bekrafta/")
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Ja, bekräfta").click()
    page.get_by_role("heading", level=1, name="Din bevakning").wait_for()
    assert "Din bevakning av Berga är bekräftad" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    subscription = Subscription.objects.get(email="anna@example.se")
    assert subscription.is_confirmed and subscription.frequency == "weekly"

    page.get_by_role("link", name="Avsluta bevakningen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, avsluta").click()
    page.get_by_role("heading", level=1, name="Bevakningen är avslutad").wait_for()
    assert not Subscription.objects.filter(email="anna@example.se").exists()


def test_a_number_given_without_an_account_is_confirmed_by_a_code_sent_to_it(
    page, base_url, live_server, settings, smtp_server, drain, demo
):
    settings.SITE_URL = live_server.url
    page.goto(base_url + "/omraden/berga/")
    page.get_by_role("link", name="Bevaka Berga").click()
    page.get_by_label("E-postadress").fill("olle@example.se")
    page.get_by_role("checkbox", name="Sms").check()
    page.get_by_label("Mobilnummer").fill("070-174 06 07")
    page.get_by_role("button", name="Bevaka").click()
    page.get_by_role("heading", level=1, name="Bekräfta din bevakning").wait_for()
    assert "skickar vi en kod med sms" in page.content()

    [mail] = wait_for_mail(smtp_server, "olle@example.se", drain=drain)
    [link] = links_in(mail.text, containing="/bevakning/bekrafta/")
    page.goto(link)
    page.get_by_role("button", name="Ja, bekräfta").click()
    page.get_by_role("heading", level=1, name="Bekräfta ditt mobilnummer").wait_for()
    assert "Vi har skickat en kod med sms till 070-174 06 07" in page.content()
    assert_accessible(page)
    drain()
    [code_sms] = [m for m in sms.outbox if m.to == "+46701740607"]
    code = re.search(r"\b\d{6}\b", code_sms.message).group(0)

    # A wrong code first: the error summary names it, and the number stays unconfirmed.
    page.get_by_label("Kod från sms:et").fill("12345")
    page.get_by_role("button", name="Bekräfta numret").click()
    assert "Koden är sex siffror" in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    page.get_by_label("Kod från sms:et").fill(code)
    page.get_by_role("button", name="Bekräfta numret").click()
    page.get_by_role("heading", level=1, name="Din bevakning").wait_for()
    assert "Numret 070-174 06 07 är bekräftat" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    assert Subscription.objects.get(email="olle@example.se").is_phone_confirmed


def test_a_signed_in_citizen_follows_and_sees_it_on_my_pages(page, base_url, demo):
    log_in(page, base_url, DEMO_CITIZEN)
    page.goto(base_url + "/omraden/ryd/")
    page.get_by_role("link", name="Bevaka Ryd").click()
    assert page.get_by_label("E-postadress").count() == 0  # the account's address is used
    page.get_by_role("button", name="Bevaka").click()
    page.wait_for_url(base_url + "/mina-sidor/bevakningar/")
    assert "Du bevakar nu Ryd" in page.get_by_role("status").inner_text()
    assert "Ryd" in page.get_by_role("table").inner_text()
    assert_accessible(page)


def test_staff_see_the_outbox(page, base_url, demo):
    log_in(page, base_url, DEMO_ADMIN)
    page.goto(base_url + "/personal/")
    page.get_by_role("link", name="Utskick").click()
    page.get_by_role("heading", level=1, name="Utskick").wait_for()
    assert_accessible(page)
