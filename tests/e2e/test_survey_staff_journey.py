"""A survey from the official's side in the browser: created from the dialogue's staff page,
given a section and two questions, published; then, once answers have come in and it is
closed, its results read (charts with their tables) and a summary written and published, which the survey's and
the dialogue's public pages show. Every page visited is checked by axe-core."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from e2e_helpers import assert_accessible, log_in

from torget.dialogues.models import Dialogue
from torget.surveys import answering
from torget.surveys.models import Status, Survey

OFFICIAL = "tjansteperson@demo.storeby.example"
DIALOGUE = "Ny skolgård vid Bergaskolan"  # the demo's dialogue with a survey in its plan
TITLE = "Hur använder du skolbiblioteket?"
SECTION = "Biblioteket"
CHOICE = "Hur ofta lånar du böcker?"
OPTIONS = ["Varje vecka", "Varje månad", "Sällan"]
TEXT = "Vad saknar du i biblioteket?"
SUMMARY = "De flesta lånar böcker varje vecka och önskar fler serier."


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _answer(survey: Survey, answers: list[tuple[str, str]]) -> None:
    """Responses sent in through the answering services, as the web pages send them."""
    section = survey.sections.get()
    choice = survey.questions.get(text=CHOICE)
    text = survey.questions.get(text=TEXT)
    for code, words in answers:
        response = answering.response_start(survey=survey)
        answering.response_save_page(
            response=response, section=section, answers={choice.pk: code, text.pk: words}
        )
        answering.response_save_background(response=response, background={"age_band": "30-44"})
        answering.response_submit(response=response)


def test_an_official_builds_publishes_and_summarises_a_survey(page, base_url, demo):
    dialogue = Dialogue.objects.get(title=DIALOGUE)
    log_in(page, base_url, OFFICIAL)

    # The dialogue's staff page: "Ny enkät".
    page.goto(base_url + dialogue.staff_url())
    page.get_by_role("heading", level=1, name=DIALOGUE).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Ny enkät").click()

    page.get_by_role("heading", level=1, name="Ny enkät").wait_for()
    assert_accessible(page)
    page.get_by_label("Rubrik", exact=True).fill(TITLE)
    now = timezone.now()
    page.get_by_label("Öppnar").fill(_local(now - datetime.timedelta(hours=1)))
    page.get_by_label("Stänger").fill(_local(now + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Skapa enkäten").click()

    # The survey's staff page: a section.
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert "Enkäten är skapad som utkast" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Lägg till avsnitt").click()
    page.get_by_role("heading", level=1, name="Nytt avsnitt").wait_for()
    assert_accessible(page)
    page.get_by_label("Rubrik", exact=True).fill(SECTION)
    page.get_by_role("button", name="Spara").click()

    # A single choice question with its options, one per line.
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    adding = page.get_by_role("group", name=f"Lägg till fråga i {SECTION}")
    adding.get_by_label("Frågetyp").select_option(label="Ett val")
    adding.get_by_role("button", name="Lägg till fråga").click()
    page.get_by_role("heading", level=1, name="Ny fråga").wait_for()
    assert_accessible(page)
    page.get_by_label("Fråga", exact=True).fill(CHOICE)
    page.get_by_label("Svarsalternativ").fill("\n".join(OPTIONS))
    page.get_by_role("button", name="Lägg till frågan").click()
    # The question's own page, with its options.
    page.get_by_role("heading", level=1, name="Ändra fråga").wait_for()
    options = page.get_by_role("table", name="Svarsalternativ")
    for option in OPTIONS:
        assert options.get_by_role("cell", name=option, exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tillbaka till enkäten").click()

    # A short text question.
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    adding = page.get_by_role("group", name=f"Lägg till fråga i {SECTION}")
    adding.get_by_label("Frågetyp").select_option(label="Kort fritext")
    adding.get_by_role("button", name="Lägg till fråga").click()
    page.get_by_role("heading", level=1, name="Ny fråga").wait_for()
    assert_accessible(page)
    page.get_by_label("Fråga", exact=True).fill(TEXT)
    page.get_by_role("button", name="Lägg till frågan").click()

    # Both questions listed; published.
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert page.get_by_role("link", name=CHOICE).is_visible()
    assert page.get_by_role("link", name=TEXT).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publicera enkäten").click()
    page.get_by_role("link", name="Enkätens publika sida").wait_for()
    assert_accessible(page)
    survey = Survey.objects.get(title=TITLE, dialogue=dialogue)
    assert survey.status == Status.PUBLISHED and survey.is_open()

    # Answers come in.
    _answer(
        survey,
        [("A", "Fler serier"), ("A", "Tysta platser"), ("B", "Fler serier"), ("C", "")],
    )

    # The official closes the survey: no more answers.
    page.goto(base_url + reverse("surveys:staff_detail", args=[survey.pk]))
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    page.get_by_role("button", name="Avsluta enkäten").click()
    page.get_by_text("Enkäten är avslutad. Inga fler svar tas emot.").wait_for()
    assert_accessible(page)

    # The results: a chart and its table for the choice question, the free text counted.
    page.goto(base_url + reverse("surveys:results_staff", args=[survey.pk]))
    page.get_by_role("heading", level=1).wait_for()
    choice = page.get_by_role("region", name=re.compile(re.escape(CHOICE)))
    assert choice.locator("figure svg").first.is_visible()
    table = choice.get_by_role("table", name=CHOICE)
    assert table.is_visible()
    assert table.get_by_role("row", name=re.compile(r"^Varje vecka 2 ")).is_visible()
    assert page.get_by_role("region", name=re.compile(re.escape(TEXT))).is_visible()
    assert_accessible(page)

    # The summary, written and published.
    page.get_by_role("navigation", name="Enkätens resultat").get_by_role(
        "link", name="Sammanfattning"
    ).click()
    page.get_by_role("heading", level=1, name="Sammanfattning av resultatet").wait_for()
    assert_accessible(page)
    page.get_by_label("Sammanfattning av resultatet").fill(SUMMARY)
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_text("Sammanfattningen är publicerad på enkätens och dialogens sidor.").wait_for()
    assert_accessible(page)

    # The public survey page, its public results and the dialogue's page show it.
    page.goto(base_url + reverse("surveys:public_detail", args=[survey.pk]))
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    assert SUMMARY in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.goto(base_url + reverse("surveys:results_public", args=[survey.pk]))
    assert SUMMARY in page.get_by_role("main").inner_text()
    assert page.get_by_role("table", name=CHOICE).is_visible()
    assert TEXT not in page.get_by_role("main").inner_text()  # free text is never public
    assert_accessible(page)
    page.goto(base_url + dialogue.get_absolute_url())
    page.get_by_role("heading", level=1, name=DIALOGUE).wait_for()
    assert SUMMARY in page.get_by_role("main").inner_text()
    assert_accessible(page)
