"""The end of a dialogue in the browser: the official publishes the summary of results
(feedback point 2), which a participant gets by e-mail; the step "feedback given" is refused
before it; the survey goes out, the participant answers through the one-time link (after an
error), the link can't be used twice, and the staff page shows the answer — every page
checked by axe-core."""

from __future__ import annotations

import re

from e2e_helpers import assert_accessible, links_in, log_in

from torget.accounts.tests.factories import PASSWORD
from torget.dialogues import workflow
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.tests.factories import cast
from torget.evaluation.models import Response, TemplateQuestion
from torget.evaluation.services import template_ensure
from torget.evaluation.tests.factories import compiling, register
from torget.results.models import FeedbackPoint

PARTICIPANT = "deltagare@example.se"
SUMMARY = "Barnen vill ha mer skugga och en säkrare väg till cykelstället."


def test_summary_survey_and_answer(
    page, new_page, base_url, live_server, settings, smtp_server, drain
):
    settings.SITE_URL = live_server.url
    catalogue_ensure()
    people = cast()
    dialogue = compiling(people)
    register(dialogue, PARTICIPANT)
    template_ensure()
    TemplateQuestion.objects.filter(order=1).update(required=True)

    staff = new_page()
    log_in(staff, base_url, people.official.email, PASSWORD)
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    # Feedback point 2 is a precondition of the step "feedback given".
    problems = workflow.broken_rules(workflow.STEPS["give_feedback"], dialogue)
    assert any("ammanställning" in problem for problem in problems)

    staff.get_by_role("link", name="Publicera och skicka sammanställningen").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert_accessible(staff)
    staff.get_by_label("Sammanställning").fill(SUMMARY)
    staff.get_by_role("button", name="Publicera och skicka").click()
    staff.get_by_role("status").wait_for()
    assert FeedbackPoint.objects.filter(dialogue=dialogue).count() == 1
    assert not [
        p
        for p in workflow.broken_rules(workflow.STEPS["give_feedback"], dialogue)
        if "ammanställning" in p
    ]
    drain()
    assert any(SUMMARY in m.text for m in smtp_server.to(PARTICIPANT))
    page.goto(base_url + dialogue.get_absolute_url())
    assert SUMMARY in page.get_by_role("main").inner_text()
    assert_accessible(page)

    # The survey goes out; the participant answers through the link in the e-mail.
    staff.goto(base_url + dialogue.staff_url())
    staff.get_by_role("button", name="Skicka enkäten").click()
    staff.get_by_role("status").wait_for()
    drain()
    mail = next(m for m in smtp_server.to(PARTICIPANT) if "/utvardering/" in m.text)
    link = links_in(mail.text, containing="/utvardering/")[0]
    page.goto(link)
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka svaren").click()
    page.get_by_role("alert").wait_for()  # the required statements
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_role("radio", name=re.compile("^4")).check()
    page.get_by_role("button", name="Skicka svaren").click()
    page.get_by_role("heading", level=1, name=re.compile("Tack")).wait_for()
    assert_accessible(page)
    assert Response.objects.filter(survey__dialogue=dialogue).count() == 1

    # The link is used up.
    page.goto(link)
    assert "redan" in page.get_by_role("main").inner_text()
    assert Response.objects.filter(survey__dialogue=dialogue).count() == 1

    # The staff page shows the answer.
    staff.goto(base_url + dialogue.staff_url())
    assert "Svarsfrekvens" in staff.locator("#utvardering").inner_text()
    assert_accessible(staff)
