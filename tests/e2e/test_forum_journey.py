"""The discussion forum in the browser: a citizen finds the school yard dialogue's forum and
starts a thread, another citizen replies to it, and a politician (a current seat in a
nämnd) answers with a visible role badge. Every page is checked by axe-core."""

from __future__ import annotations

import re

from e2e_helpers import DEMO_CITIZEN, assert_accessible, log_in

from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, CitizenFactory, UserFactory
from torget.forum.models import Forum, Post, Thread
from torget.organisation.models import Body
from torget.organisation.tests.factories import MembershipFactory

DIALOGUE = "Ny skolgård vid Bergaskolan"
FORUM = "Samtal om den nya skolgården"  # the demo's forum
TITLE = "Vattenlek på skolgården"
OPENING = "Kan det bli en vattenlek vid sandlådan? Barnen älskar vatten på sommaren."
REPLY = "Ja! Och gärna med en bänk i skuggan bredvid."
ANSWER = "Tack för förslaget. Vattenlek finns med i uppdraget till arkitekten."


def test_citizens_post_and_reply_and_a_politician_answers_with_a_badge(
    page, new_page, base_url, demo
):
    forum = Forum.objects.get(title=FORUM)

    # Maja, the demo citizen, finds the forum on the dialogue's page and starts a thread.
    log_in(page, base_url, DEMO_CITIZEN)
    page.goto(base_url + forum.dialogue.get_absolute_url())
    page.get_by_role("heading", level=1, name=DIALOGUE).wait_for()
    page.get_by_role("link", name=FORUM).click()
    page.get_by_role("heading", level=1, name=FORUM).wait_for()
    main = page.get_by_role("main").inner_text()
    assert "öppet till och med" in main
    assert page.get_by_role("link", name="Regler för forumet och hur det modereras").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Starta en tråd").click()
    page.get_by_role("heading", level=1, name="Starta en tråd").wait_for()
    assert_accessible(page)
    # Too short a title: the error is shown and the text kept.
    page.get_by_label("Rubrik").fill("Va")
    page.get_by_label("Det du vill ta upp").fill(OPENING)
    page.get_by_role("button", name="Starta tråden").click()
    page.get_by_role("heading", name="Det finns fel i formuläret").wait_for()
    assert page.get_by_label("Det du vill ta upp").input_value() == OPENING
    assert_accessible(page)
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_role("button", name="Starta tråden").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert "Din tråd är publicerad." in page.get_by_role("main").inner_text()
    assert_accessible(page)
    thread = Thread.objects.get(title=TITLE)
    opening = thread.posts.get(is_opening=True)

    # Lina, another citizen, replies to Maja's post.
    lina = CitizenFactory(full_name="Lina Svensson", display_name="Lina")
    other = new_page()
    log_in(other, base_url, lina.email, PASSWORD)
    other.goto(base_url + thread.get_absolute_url())
    other.get_by_role("heading", level=1, name=TITLE).wait_for()
    other.locator(f"#inlagg-{opening.pk}").get_by_role("link", name=re.compile("^Svara")).click()
    other.get_by_role("heading", level=2, name=re.compile("^Svara ")).wait_for()
    assert_accessible(other)
    other.get_by_label("Ditt inlägg").fill(REPLY)
    other.get_by_role("button", name="Skicka svaret").click()
    other.wait_for_url(re.compile(re.escape(thread.get_absolute_url())))
    assert "Ditt inlägg är publicerat." in other.get_by_role("main").inner_text()
    reply = Post.objects.get(text=REPLY)
    assert reply.parent_id == opening.pk
    assert other.locator(f"#inlagg-{reply.pk}").inner_text().startswith("Lina")
    assert_accessible(other)

    # Lina agrees with Maja's post, without JavaScript needed (a form).
    other.locator(f"#inlagg-{opening.pk}").get_by_role(
        "button", name=re.compile("^Håller med")
    ).click()
    other.get_by_text("Du håller med om inlägget.").wait_for()
    assert_accessible(other)

    # A politician with a current seat in a nämnd answers, showing the role badge.
    body = Body.objects.get(name="Barn- och ungdomsnämnden")
    politician = MembershipFactory(
        body=body,
        person=UserFactory(full_name="Pia Politiker", display_name="Pia", role=Role.ELECTED),
    ).person
    staff = new_page()
    log_in(staff, base_url, politician.email, PASSWORD)
    staff.goto(base_url + thread.get_absolute_url())
    staff.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert_accessible(staff)
    staff.get_by_label("Ditt inlägg").fill(ANSWER)
    staff.get_by_role("button", name="Skicka inlägget").click()
    staff.wait_for_url(re.compile(re.escape(thread.get_absolute_url())))
    answer = Post.objects.get(text=ANSWER)
    assert_accessible(staff)
    expected = f"Politiker, {body.name}"
    assert answer.badge == expected
    badge = staff.locator(f"#inlagg-{answer.pk} .badge")
    assert badge.inner_text() == expected
