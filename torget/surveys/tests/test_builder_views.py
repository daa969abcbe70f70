"""The builder's staff pages as officials use them: without JavaScript, with clear errors
(never a 500), and closed to everyone who does not work with the dialogue."""

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues.tests.factories import cast
from torget.surveys import builder
from torget.surveys.models import Kind, Question, Status, Survey
from torget.surveys.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    dialogue, people = factories.survey_dialogue()
    survey = factories.survey_of_every_kind(dialogue, status=Status.DRAFT)
    return dialogue, people, survey


def _signed_in(client, user):
    client.force_login(user)
    return client


def _url(name, *args):
    return reverse(f"surveys:{name}", args=args)


class TestPermissions:
    def test_a_citizen_is_refused_every_staff_page(self, client, world):
        dialogue, _people, survey = world
        _signed_in(client, user_with_role(Role.CITIZEN))
        question = survey.questions.first()
        for url in (
            _url("staff_list"),
            _url("staff_create", dialogue.pk),
            _url("staff_copy", dialogue.pk),
            _url("staff_detail", survey.pk),
            _url("staff_edit", survey.pk),
            _url("staff_preview", survey.pk),
            _url("staff_section_add", survey.pk),
            _url("staff_question", survey.pk, question.pk),
        ):
            assert client.get(url).status_code == 403, url
        response = client.post(_url("staff_question_action", survey.pk, question.pk, "ta-bort"))
        assert response.status_code == 403
        assert Question.objects.filter(pk=question.pk).exists()

    def test_the_presidium_of_another_body_is_refused(self, client, world):
        _dialogue, people, survey = world
        _signed_in(client, cast().chair)
        assert client.get(_url("staff_detail", survey.pk)).status_code == 403
        assert client.post(_url("staff_action", survey.pk, "publicera")).status_code == 403
        # ... while the dialogue's own presidium works with it.
        _signed_in(client, people.chair)
        assert client.get(_url("staff_detail", survey.pk)).status_code == 200

    def test_a_visitor_is_sent_to_log_in(self, client, world):
        response = client.get(_url("staff_list"))
        assert response.status_code == 302
        assert "login" in response["Location"] or "logga-in" in response["Location"]


class TestList:
    def test_the_list_shows_the_surveys_of_the_dialogues_worked_with(self, client, world):
        _dialogue, people, survey = world
        response = _signed_in(client, people.official).get(_url("staff_list"))
        assert response.status_code == 200
        assert survey.title in response.content.decode()

    def test_the_list_says_so_when_there_are_none(self, client):
        response = _signed_in(client, user_with_role(Role.OFFICIAL)).get(_url("staff_list"))
        assert "Det finns inga enkäter" in response.content.decode()

    def test_the_list_takes_the_same_queries_however_many_surveys(
        self, client, world, django_assert_max_num_queries
    ):
        dialogue, people, _survey = world
        client = _signed_in(client, people.official)
        client.get(_url("staff_list"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(_url("staff_list"))
        for _ in range(4):
            factories.survey_of_every_kind(dialogue)
        with CaptureQueriesContext(connection) as many:
            client.get(_url("staff_list"))
        assert len(many) == len(few)


class TestCreateAndSettings:
    def test_an_official_creates_a_survey_from_the_dialogue(self, client, world):
        dialogue, people, _survey = world
        client = _signed_in(client, people.official)
        page = client.get(dialogue.staff_url()).content.decode()
        assert _url("staff_create", dialogue.pk) in page
        assert "Ny enkät" in page
        method = builder.survey_methods(dialogue)[0]
        response = client.post(
            _url("staff_create", dialogue.pk),
            {
                "method": method.pk,
                "title": "Lekplatsen",
                "access": "oppen",
                "channel": "webb",
                "ask_age_band": "on",
            },
        )
        survey = Survey.objects.get(title="Lekplatsen")
        assert response.status_code == 302
        assert response["Location"] == _url("staff_detail", survey.pk)
        assert survey.status == Status.DRAFT and survey.ask_age_band and not survey.ask_gender

    def test_a_period_that_ends_before_it_starts_is_shown_as_an_error(self, client, world):
        dialogue, people, _survey = world
        response = _signed_in(client, people.official).post(
            _url("staff_create", dialogue.pk),
            {
                "method": builder.survey_methods(dialogue)[0].pk,
                "title": "Lekplatsen",
                "access": "oppen",
                "channel": "webb",
                "opens_at": "2026-05-10T10:00",
                "closes_at": "2026-05-01T10:00",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "stänga efter att den öppnar" in page
        assert 'value="Lekplatsen"' in page

    def test_e_id_without_a_reason_is_shown_as_an_error(self, client, world):
        _dialogue, people, survey = world
        response = _signed_in(client, people.official).post(
            _url("staff_edit", survey.pk),
            {"title": survey.title, "access": "e-legitimation", "channel": "webb"},
        )
        assert response.status_code == 400
        assert "Skriv varför" in response.content.decode()

    def test_a_dialogue_without_a_survey_method_explains_what_to_do(self, client):
        from torget.dialogues.tests.factories import decide, initiative, plan

        people = cast()
        dialogue = plan(decide(initiative(people), people), people)
        page = _signed_in(client, people.official).get(_url("staff_create", dialogue.pk))
        assert "Lägg till metoden Enkät" in page.content.decode()


class TestQuestionPages:
    def test_add_question_asks_for_the_kind_first(self, client, world):
        _dialogue, people, survey = world
        section = survey.sections.first()
        client = _signed_in(client, people.official)
        page = client.get(_url("staff_question_add", survey.pk, section.pk)).content.decode()
        assert "Frågetyp" in page
        page = client.get(_url("staff_question_add", survey.pk, section.pk) + "?typ=ett-val")
        assert "Svarsalternativ" in page.content.decode()
        bad = client.get(_url("staff_question_add", survey.pk, section.pk) + "?typ=nonsens")
        assert bad.status_code == 400

    def test_a_choice_question_with_one_option_is_refused_with_the_text_kept(self, client, world):
        _dialogue, people, survey = world
        section = survey.sections.first()
        url = _url("staff_question_add", survey.pk, section.pk) + "?typ=flera-val"
        response = _signed_in(client, people.official).post(
            url, {"text": "Vad vill du ha?", "options": "Gungor"}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "minst två" in page
        assert "Vad vill du ha?" in page

    def test_a_question_is_added_with_its_options(self, client, world):
        _dialogue, people, survey = world
        section = survey.sections.first()
        url = _url("staff_question_add", survey.pk, section.pk) + "?typ=flera-val"
        response = _signed_in(client, people.official).post(
            url,
            {
                "text": "Vad vill du ha?",
                "options": "Gungor\nRutschkana\n\nSandlåda",
                "max_choices": "2",
            },
        )
        question = survey.questions.get(text="Vad vill du ha?")
        assert response.status_code == 302
        assert list(question.options.values_list("code", "text")) == [
            ("A", "Gungor"),
            ("B", "Rutschkana"),
            ("C", "Sandlåda"),
        ]

    @pytest.mark.parametrize(
        "data",
        [
            {"text": "x", "condition_question": "abc", "condition_value": "A"},
            {"text": "x", "condition_question": "999999999", "condition_value": "A"},
            {"text": "x", "kind": "nonsens"},
            {"text": "\x00"},
            {"text": "x" * 600},
            {"text": "x", "condition_value": "ja"},
        ],
    )
    def test_bad_input_is_an_error_never_a_500(self, client, world, data):
        _dialogue, people, survey = world
        question = survey.questions.get(kind=Kind.LONG_TEXT)
        response = _signed_in(client, people.official).post(
            _url("staff_question", survey.pk, question.pk), {"kind": question.kind} | data
        )
        assert response.status_code == 400

    @pytest.mark.parametrize(
        "data",
        [{"number_min": "9" * 40}, {"number_min": "5", "number_max": "1"}, {"number_min": "²"}],
    )
    def test_a_bad_number_range_is_an_error_never_a_500(self, client, world, data):
        _dialogue, people, survey = world
        question = survey.questions.get(kind=Kind.NUMBER)
        response = _signed_in(client, people.official).post(
            _url("staff_question", survey.pk, question.pk),
            {"kind": question.kind, "text": question.text} | data,
        )
        assert response.status_code == 400

    def test_a_condition_on_a_later_question_is_shown_as_an_error(self, client, world):
        _dialogue, people, survey = world
        first = survey.questions.get(kind=Kind.SINGLE)
        later = survey.questions.get(kind=Kind.YES_NO)
        response = _signed_in(client, people.official).post(
            _url("staff_question", survey.pk, first.pk),
            {
                "kind": first.kind,
                "text": first.text,
                "required": "on",
                "condition_question": later.pk,
                "condition_value": "ja",
            },
        )
        assert response.status_code == 400
        assert "kommer före" in response.content.decode()

    def test_locked_wording_change_shows_the_version_history(self, client, world):
        _dialogue, people, survey = world
        Survey.objects.filter(pk=survey.pk).update(locked_at=timezone.now())
        question = survey.questions.get(kind=Kind.SINGLE)
        client = _signed_in(client, people.official)
        response = client.post(
            _url("staff_question", survey.pk, question.pk),
            {"text": "Hur ofta är du där?", "kind": "tal", "required": ""},
        )
        assert response.status_code == 302
        question.refresh_from_db()
        assert question.kind == Kind.SINGLE and question.required  # disabled fields kept
        assert question.version == 2
        page = client.get(_url("staff_question", survey.pk, question.pk)).content.decode()
        assert "Version 1" in page
        assert "Hur ofta är du på skolgården?" in page

    def test_removing_a_question_after_answers_is_refused_with_a_message(self, client, world):
        _dialogue, people, survey = world
        Survey.objects.filter(pk=survey.pk).update(locked_at=timezone.now())
        question = survey.questions.get(kind=Kind.NUMBER)
        response = _signed_in(client, people.official).post(
            _url("staff_question_action", survey.pk, question.pk, "ta-bort"), follow=True
        )
        assert "formuleringarna" in response.content.decode()
        assert Question.objects.filter(pk=question.pk).exists()

    def test_options_are_edited_on_their_own_page(self, client, world):
        _dialogue, people, survey = world
        option = survey.questions.get(kind=Kind.SINGLE).options.get(code="B")
        client = _signed_in(client, people.official)
        assert (
            client.post(_url("staff_option", survey.pk, option.pk), {"text": ""}).status_code == 400
        )
        response = client.post(_url("staff_option", survey.pk, option.pk), {"text": "Klätterträd"})
        assert response.status_code == 302
        option.refresh_from_db()
        assert option.text == "Klätterträd"


class TestSurveyPage:
    def test_the_preview_shows_every_question(self, client, world):
        _dialogue, people, survey = world
        page = _signed_in(client, people.official).get(_url("staff_preview", survey.pk))
        assert page.status_code == 200
        content = page.content.decode()
        for question in survey.questions.all():
            assert question.text in content

    def test_publishing_without_a_period_says_why(self, client, world):
        _dialogue, people, survey = world
        Survey.objects.filter(pk=survey.pk).update(opens_at=None, closes_at=None)
        client = _signed_in(client, people.official)
        assert (
            "Ange när enkäten öppnar"
            in client.get(_url("staff_detail", survey.pk)).content.decode()
        )
        response = client.post(_url("staff_action", survey.pk, "publicera"))
        assert response.status_code == 400
        survey.refresh_from_db()
        assert survey.status == Status.DRAFT

    def test_publishing_and_closing_with_confirmations(self, client, world):
        dialogue, people, survey = world
        client = _signed_in(client, people.official)
        response = client.post(_url("staff_action", survey.pk, "publicera"), follow=True)
        assert "Enkäten är publicerad" in response.content.decode()
        survey.refresh_from_db()
        assert survey.status == Status.PUBLISHED
        public = client.get(dialogue.get_absolute_url()).content.decode()
        assert _url("public_detail", survey.pk) in public
        response = client.post(_url("staff_action", survey.pk, "avsluta"), follow=True)
        assert "Enkäten är avslutad" in response.content.decode()
        assert client.post(_url("staff_action", survey.pk, "okand")).status_code == 404

    def test_a_draft_is_not_on_the_public_page(self, client, world):
        dialogue, _people, survey = world
        assert (
            _url("public_detail", survey.pk)
            not in client.get(dialogue.get_absolute_url()).content.decode()
        )

    def test_a_survey_is_copied_into_the_dialogue(self, client, world):
        dialogue, people, survey = world
        client = _signed_in(client, people.official)
        assert client.get(_url("staff_copy", dialogue.pk)).status_code == 200
        response = client.post(
            _url("staff_copy", dialogue.pk),
            {"source": survey.pk, "method": builder.survey_methods(dialogue)[0].pk},
        )
        copy = Survey.objects.get(copied_from=survey)
        assert response["Location"] == _url("staff_detail", copy.pk)
        assert copy.questions.count() == 9

    def test_sections_are_added_moved_and_removed(self, client, world):
        _dialogue, people, survey = world
        client = _signed_in(client, people.official)
        assert client.post(_url("staff_section_add", survey.pk), {"title": ""}).status_code == 400
        client.post(_url("staff_section_add", survey.pk), {"title": "Sist"})
        last = survey.sections.get(title="Sist")
        assert last.order == 3
        client.post(_url("staff_section_action", survey.pk, last.pk, "upp"))
        last.refresh_from_db()
        assert last.order == 2
        client.post(_url("staff_section_action", survey.pk, last.pk, "ta-bort"))
        assert not survey.sections.filter(title="Sist").exists()
