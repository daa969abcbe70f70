"""The evaluation's pages: the survey behind a one-time link, the template page (administrators
only), the staff section with the results and the internal evaluation, and the public summary."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.evaluation import services
from torget.evaluation.models import (
    InternalEvaluation,
    Invitation,
    QuestionKind,
    Response,
    Survey,
    TemplateQuestion,
)
from torget.evaluation.tests.factories import compiling, likert_answers, register, sent_survey

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("evaluation:template")


def text(response) -> str:
    return response.content.decode()


def answer_url(token: str) -> str:
    return reverse("evaluation:answer", kwargs={"token": token})


def form_data(survey: Survey, value: str, free_text: str = "") -> dict[str, str]:
    return {
        f"q{q.pk}": (value if q.kind == QuestionKind.LIKERT else free_text)
        for q in survey.questions.all()
    }


class TestAnswerPage:
    def test_the_survey_page_is_accessible_private_and_not_indexed(self, client, people):
        survey, tokens = sent_survey(people)
        response = client.get(answer_url(tokens[0]))
        assert response.status_code == 200
        page = text(response)
        assert "<fieldset" in page and "<legend" in page
        assert "Instämmer inte alls" in page and "Instämmer helt" in page
        assert "Vet inte" in page
        assert survey.questions.first().text in page
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex' in page

    def test_answering_stores_the_answers_once(self, client, people):
        survey, tokens = sent_survey(people)
        url = answer_url(tokens[0])
        assert client.get(url).status_code == 200
        response = client.post(url, form_data(survey, "4", "Bra ordnat."))
        assert response.status_code == 302
        assert response["Location"] == reverse("evaluation:thanks")
        thanks = client.get(response["Location"])
        assert "Tack för dina svar" in text(thanks) and "no-store" in thanks["Cache-Control"]
        stored = Response.objects.get()
        assert (
            stored.answers.filter(value=4).count()
            == survey.questions.filter(kind=QuestionKind.LIKERT).count()
        )
        assert stored.answers.filter(text="Bra ordnat.").exists()
        # The same link again: the "already answered" page, nothing more stored.
        again = client.post(url, form_data(survey, "1"))
        assert again.status_code == 410 and "Du har redan svarat" in text(again)
        assert client.get(url).status_code == 410
        assert Response.objects.count() == 1

    def test_dont_know_is_not_an_answer(self, client, people):
        survey, tokens = sent_survey(people)
        client.post(answer_url(tokens[0]), form_data(survey, "vet-inte"))
        assert Response.objects.get().answers.count() == 0

    def test_missing_required_answers_are_shown_and_nothing_is_stored(self, client, people):
        services.template_ensure()
        TemplateQuestion.objects.filter(kind=QuestionKind.LIKERT).update(required=True)
        survey, tokens = sent_survey(people)
        response = client.post(answer_url(tokens[0]), {})
        assert response.status_code == 400
        page = text(response)
        assert "error-summary" in page and "Välj ett av alternativen 1–5." in page
        assert "Vet inte" not in page  # a required statement has no skip
        assert not Response.objects.exists()
        assert not Invitation.objects.filter(used=True).exists()

    def test_a_value_outside_the_scale_is_refused(self, client, people):
        survey, tokens = sent_survey(people)
        response = client.post(answer_url(tokens[0]), form_data(survey, "7"))
        assert response.status_code == 400 and "Välj ett av alternativen" in text(response)
        assert not Response.objects.exists()

    def test_an_unknown_link(self, client, people):
        sent_survey(people)
        response = client.get(answer_url("finns-inte"))
        assert response.status_code == 404 and "Länken fungerar inte" in text(response)
        assert "noindex" in response["X-Robots-Tag"]


class TestTemplatePage:
    def test_an_administrator_adds_edits_moves_and_removes_questions(self, client, administrator):
        client.force_login(administrator)
        page = client.get(TEMPLATE)
        assert page.status_code == 200 and "Jag kände mig lyssnad på." in text(page)
        response = client.post(
            reverse("evaluation:question_add"),
            {"new-text": "Var lokalen tillgänglig för dig?", "new-kind": "likert"},
            follow=True,
        )
        assert "Frågan är tillagd i mallen." in text(response)
        question = TemplateQuestion.objects.get(text="Var lokalen tillgänglig för dig?")
        response = client.post(
            reverse("evaluation:question_edit", args=[question.pk]),
            {"text": "Var lokalen tillgänglig?", "kind": "likert", "required": "on"},
            follow=True,
        )
        assert "Frågan är ändrad." in text(response)
        question.refresh_from_db()
        assert question.text == "Var lokalen tillgänglig?" and question.required
        order = question.order
        response = client.post(
            reverse("evaluation:question_move", args=[question.pk]),
            {"riktning": "upp"},
            follow=True,
        )
        assert "Frågan är flyttad uppåt." in text(response)
        question.refresh_from_db()
        assert question.order == order - 1
        response = client.post(
            reverse("evaluation:question_remove", args=[question.pk]), follow=True
        )
        assert "Frågan är borttagen ur mallen." in text(response)
        assert not TemplateQuestion.objects.filter(pk=question.pk).exists()
        response = client.post(TEMPLATE, {"intro": "Hej och tack!"}, follow=True)
        assert "Inledningen är sparad." in text(response)
        assert services.template_ensure().intro == "Hej och tack!"

    def test_an_empty_question_shows_the_error(self, client, administrator):
        client.force_login(administrator)
        response = client.post(
            reverse("evaluation:question_add"), {"new-text": "", "new-kind": "likert"}
        )
        assert response.status_code == 400 and "error-summary" in text(response)

    def test_others_are_refused(self, client, people):
        question = services.template_ensure().questions.first()
        urls = [
            ("get", TEMPLATE),
            ("post", TEMPLATE),
            ("post", reverse("evaluation:question_add")),
            ("get", reverse("evaluation:question_edit", args=[question.pk])),
            ("post", reverse("evaluation:question_remove", args=[question.pk])),
            ("post", reverse("evaluation:question_move", args=[question.pk])),
        ]
        for method, url in urls:
            response = getattr(client, method)(url)
            assert (
                response.status_code == 302
                and "/logga-in" in response["Location"]
                or (reverse("accounts:login") in response["Location"])
            ), url
        for user in (people.official, people.chair, CitizenFactory()):
            client.force_login(user)
            for method, url in urls:
                assert getattr(client, method)(url).status_code == 403, (user, url)
        assert TemplateQuestion.objects.filter(pk=question.pk).exists()


class TestStaffSection:
    def test_the_section_offers_to_send_and_sending_confirms(self, client, people, drain):
        dialogue = compiling(people)
        register(dialogue, "anna@example.se")
        client.force_login(people.official)
        page = text(client.get(dialogue.staff_url()))
        assert 'id="utvardering"' in page and "Skicka enkäten" in page
        assert "1 person är anmäld" in page
        response = client.post(
            reverse("evaluation:send", args=[dialogue.pk]),
            {"survey-extra_emails": "bo@example.se"},
            follow=True,
        )
        assert "Enkäten är skickad till 2 deltagare." in text(response)
        drain()
        assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bo@example.se"]
        # The link in the e-mail works.
        link = re.search(r"(/utvardering/\S+/)", mail.outbox[0].body).group(1)
        client.logout()
        assert client.get(link).status_code == 200

    def test_a_bad_address_is_shown_on_the_form(self, client, people):
        dialogue = compiling(people)
        client.force_login(people.official)
        response = client.post(
            reverse("evaluation:send", args=[dialogue.pk]),
            {"survey-extra_emails": "inte-en-adress"},
        )
        assert response.status_code == 400
        assert "inte-en-adress" in text(response) and "error-summary" in text(response)
        assert not Survey.objects.exists()

    def test_sending_before_participation_ended_says_why(self, client, people):
        from torget.dialogues.tests.factories import opened

        dialogue = opened(people)
        client.force_login(people.official)
        assert "deltagandet har avslutats" in text(client.get(dialogue.staff_url()))
        response = client.post(
            reverse("evaluation:send", args=[dialogue.pk]), {"survey-extra_emails": "a@example.se"}
        )
        assert response.status_code == 400 and not Survey.objects.exists()

    def test_counts_distribution_means_and_free_text(self, client, people):
        survey, tokens = sent_survey(people, invited=4)
        for token, value in zip(tokens[:3], (5, 4, 1), strict=True):
            services.response_submit(
                token=token, answers=likert_answers(survey, value, f"Kommentar {value}")
            )
        client.force_login(people.official)
        page = text(client.get(survey.dialogue.staff_url()))
        assert "Inbjudna</dt><dd>4" in page and "Svar</dt><dd>3" in page
        assert "Svarsfrekvens</dt><dd>75 %" in page
        assert "3,3" in page  # (5 + 4 + 1) / 3
        assert "67 %" in page  # two of three agree
        assert "Kommentar 5" in page and "Kommentar 1" in page

    def test_the_internal_evaluation_is_saved_from_the_page(self, client, people):
        dialogue = compiling(people)
        client.force_login(people.official)
        response = client.post(
            reverse("evaluation:internal", args=[dialogue.pk]),
            {
                "internal-goals_met": "ja",
                "internal-representativeness": "Många barn deltog.",
                "internal-summary": "Dialogen gick bra.",
                "internal-publish_summary": "on",
            },
            follow=True,
        )
        assert "Den interna utvärderingen är sparad." in text(response)
        evaluation = InternalEvaluation.objects.get(dialogue=dialogue)
        assert evaluation.publish_summary and evaluation.representativeness == "Många barn deltog."

    def test_publishing_without_a_summary_shows_the_error(self, client, people):
        dialogue = compiling(people)
        client.force_login(people.official)
        response = client.post(
            reverse("evaluation:internal", args=[dialogue.pk]), {"internal-publish_summary": "on"}
        )
        assert response.status_code == 400
        assert "Skriv sammanfattningen som ska publiceras." in text(response)

    def test_staff_who_do_not_work_with_the_dialogue_do_not_see_it(self, client, people):
        dialogue = compiling(people)
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        page = client.get(dialogue.staff_url())
        assert page.status_code == 200 and 'id="utvardering"' not in text(page)

    def test_anonymous_and_citizens_cannot_reach_the_staff_pages(self, client, people):
        dialogue = compiling(people)
        urls = [
            ("get", reverse("evaluation:staff", args=[dialogue.pk])),
            ("post", reverse("evaluation:send", args=[dialogue.pk])),
            ("post", reverse("evaluation:internal", args=[dialogue.pk])),
        ]
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 302, url
        for user in (CitizenFactory(), user_with_role(Role.CONTACT_CENTRE)):
            client.force_login(user)
            for method, url in urls:
                assert getattr(client, method)(url).status_code == 403, url
        assert not Survey.objects.exists() and not InternalEvaluation.objects.exists()
        client.force_login(people.official)
        assert client.get(urls[0][1]).status_code == 200


class TestPublicSummary:
    def _answer(self, survey, tokens, values):
        for token, value in zip(tokens, values, strict=False):
            services.response_submit(
                token=token, answers=likert_answers(survey, value, "Hemlig kommentar")
            )

    def test_hidden_below_five_responses(self, client, people):
        survey, tokens = sent_survey(people, invited=6)
        self._answer(survey, tokens, (5, 4, 4, 2))
        page = text(client.get(survey.dialogue.get_absolute_url()))
        assert "4 deltagare har svarat." in page
        assert "För få har svarat" in page
        assert "Medelvärde" not in page and "Hemlig kommentar" not in page

    def test_shown_at_five_responses_without_free_text(self, client, people):
        survey, tokens = sent_survey(people, invited=6)
        self._answer(survey, tokens, (5, 4, 4, 2, 1))
        page = text(client.get(survey.dialogue.get_absolute_url()))
        assert "5 deltagare har svarat." in page and "För få har svarat" not in page
        assert "3,2" in page and "60 %" in page
        assert survey.questions.filter(kind=QuestionKind.LIKERT).first().text in page
        assert "Hemlig kommentar" not in page
        assert survey.questions.filter(kind=QuestionKind.TEXT).first().text not in page

    def test_a_published_internal_summary_is_shown(self, client, people):
        dialogue = compiling(people)
        services.internal_evaluation_save(
            dialogue=dialogue,
            actor=people.official,
            summary="Vi nådde många föräldrar.",
            to_improve="Intern kritik.",
            publish_summary=False,
        )
        assert "Vi nådde många föräldrar." not in text(client.get(dialogue.get_absolute_url()))
        services.internal_evaluation_save(
            dialogue=dialogue, actor=people.official, publish_summary=True
        )
        page = text(client.get(dialogue.get_absolute_url()))
        assert "Vi nådde många föräldrar." in page and "Intern kritik." not in page

    def test_nothing_before_anything_exists(self, client, people):
        dialogue = compiling(people)
        assert 'id="evaluation-heading"' not in text(client.get(dialogue.get_absolute_url()))
