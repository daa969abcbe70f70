"""The evaluation's services: sending the survey once and only after participation, answering
once per link and anonymously, the template, and the internal evaluation."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues import services as dialogue_services
from torget.dialogues.tests.factories import opened
from torget.evaluation import services
from torget.evaluation.models import (
    Answer,
    InternalEvaluation,
    Invitation,
    QuestionKind,
    Response,
    Survey,
    TemplateQuestion,
    token_hash,
)
from torget.evaluation.tests.factories import (
    compiling,
    likert_answers,
    register,
    sent_survey,
    tokens_sent,
)
from torget.meetings.models import RegistrationStatus
from torget.notifications.models import SECRET_CONTEXT, Notification

pytestmark = pytest.mark.django_db


class TestSurveySend:
    def test_refused_while_the_dialogue_is_still_open(self, people):
        dialogue = opened(people)
        with pytest.raises(services.EvaluationError) as refused:
            services.survey_send(
                dialogue=dialogue, actor=people.official, extra_emails="a@example.se"
            )
        assert "deltagandet har avslutats" in str(refused.value)
        assert not Survey.objects.exists() and not Invitation.objects.exists()

    def test_refused_for_a_cancelled_dialogue(self, people):
        dialogue = opened(people)
        dialogue_services.dialogue_step(
            dialogue=dialogue, step="cancel", actor=people.leader, end_reason="Ingen lokal."
        )
        with pytest.raises(services.EvaluationError) as refused:
            services.survey_send(
                dialogue=dialogue, actor=people.official, extra_emails="a@example.se"
            )
        assert "inställd" in str(refused.value)

    def test_sent_once_only(self, people):
        survey, _tokens = sent_survey(people, invited=2)
        with pytest.raises(services.EvaluationError) as refused:
            services.survey_send(
                dialogue=survey.dialogue, actor=people.official, extra_emails="ny@example.se"
            )
        assert "redan skickad" in str(refused.value)
        assert Survey.objects.count() == 1 and Invitation.objects.count() == 2

    def test_registered_participants_and_extra_addresses_get_one_invitation_each(
        self, people, drain
    ):
        dialogue = compiling(people)
        register(dialogue, "anna@example.se", "bo@example.se")
        register(
            dialogue, "Anna@Example.se", "waiting@example.se", status=RegistrationStatus.WAITING
        )
        register(dialogue, "gone@example.se", status=RegistrationStatus.CANCELLED)
        survey = services.survey_send(
            dialogue=dialogue,
            actor=people.official,
            extra_emails="bo@example.se, cilla@example.se\nbo@example.se",
        )
        assert survey.invitations.count() == 3
        drain()
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == ["anna@example.se", "bo@example.se", "cilla@example.se"]
        # Each e-mail has its own link.
        links = {
            re.search(r"https?://\S+/utvardering/(\S+)/", m.body).group(1) for m in mail.outbox
        }
        assert {token_hash(link) for link in links} == set(
            survey.invitations.values_list("token_hash", flat=True)
        )
        # Once sent, the links are gone from the outbox: nothing ties an address to a link.
        assert tokens_sent(survey) == []
        contexts = Notification.objects.filter(template="evaluation.survey").values_list(
            "context", flat=True
        )
        assert list(contexts) == [{SECRET_CONTEXT: True}] * 3

    def test_no_address_is_kept_with_the_survey(self, people):
        survey, tokens = sent_survey(people, invited=2)
        assert {f.name for f in Invitation._meta.get_fields()} == {
            "id",
            "survey",
            "token_hash",
            "used",
        }
        for invitation in survey.invitations.all():
            assert "@" not in invitation.token_hash
            assert invitation.token_hash not in tokens  # only the hash is stored
        entry = AuditEntry.objects.get(action="evaluation.survey_sent")
        assert "@" not in str(entry.changes) and entry.changes["invited"] == 2

    def test_tokens_carry_256_bits(self, people):
        _survey, tokens = sent_survey(people, invited=1)
        assert len(tokens[0]) >= 43  # 32 bytes in URL-safe base64

    def test_invalid_extra_addresses_are_named(self, people):
        dialogue = compiling(people)
        with pytest.raises(services.EvaluationError) as refused:
            services.survey_send(
                dialogue=dialogue,
                actor=people.official,
                extra_emails="ok@example.se inte-en-adress",
            )
        assert "inte-en-adress" in str(refused.value.message_dict["extra_emails"])
        assert not Survey.objects.exists()

    def test_nobody_to_send_to_is_refused(self, people):
        dialogue = compiling(people)
        with pytest.raises(services.EvaluationError) as refused:
            services.survey_send(dialogue=dialogue, actor=people.official)
        assert "extra_emails" in refused.value.message_dict

    def test_only_those_who_work_with_the_dialogue_may_send(self, people):
        dialogue = compiling(people)
        for outsider in (CitizenFactory(), user_with_role(Role.CONTACT_CENTRE)):
            with pytest.raises(PermissionDenied):
                services.survey_send(dialogue=dialogue, actor=outsider, extra_emails="a@example.se")

    def test_later_template_edits_leave_a_sent_survey_alone(self, people, administrator):
        survey, _tokens = sent_survey(people)
        before = list(survey.questions.values_list("text", flat=True))
        services.question_add(actor=administrator, text="Ny fråga?", kind=QuestionKind.TEXT)
        assert list(survey.questions.values_list("text", flat=True)) == before


class TestResponseSubmit:
    def test_answers_are_stored_and_the_link_is_used_up(self, people):
        survey, tokens = sent_survey(people)
        response = services.response_submit(
            token=tokens[0], answers=likert_answers(survey, 4, "Bra möte.")
        )
        assert (
            response.answers.filter(value=4).count()
            == survey.questions.filter(kind=QuestionKind.LIKERT).count()
        )
        assert response.answers.filter(text="Bra möte.").exists()
        assert survey.invitations.filter(used=True).count() == 1
        with pytest.raises(services.InvitationUsed):
            services.response_submit(token=tokens[0], answers=likert_answers(survey, 2))
        assert Response.objects.count() == 1

    def test_a_response_cannot_be_tied_to_an_invitation_or_a_person(self, people):
        survey, tokens = sent_survey(people)
        services.response_submit(token=tokens[0], answers=likert_answers(survey, 3))
        assert {f.name for f in Response._meta.get_fields()} == {
            "id",
            "survey",
            "submitted_on",
            "answers",
        }
        assert {f.name for f in Answer._meta.get_fields()} == {
            "id",
            "response",
            "question",
            "value",
            "text",
        }

    def test_unknown_token(self, people):
        sent_survey(people)
        with pytest.raises(services.InvitationUnknown):
            services.response_submit(token="x" * 43, answers={})

    def test_likert_values_outside_1_to_5_are_refused(self, people):
        survey, tokens = sent_survey(people)
        question = survey.questions.filter(kind=QuestionKind.LIKERT).first()
        for bad in (0, 6, "abc"):
            with pytest.raises(services.EvaluationError) as refused:
                services.response_submit(token=tokens[0], answers={question.pk: bad})
            assert f"q{question.pk}" in refused.value.message_dict
        assert not Response.objects.exists()
        assert not survey.invitations.filter(used=True).exists()

    def test_required_questions_must_be_answered(self, people, administrator):
        services.template_ensure()
        TemplateQuestion.objects.update(required=True)
        survey, tokens = sent_survey(people)
        with pytest.raises(services.EvaluationError) as refused:
            services.response_submit(token=tokens[0], answers={})
        assert len(refused.value.message_dict) == survey.questions.count()
        assert not Response.objects.exists()

    def test_optional_questions_may_be_skipped(self, people):
        survey, tokens = sent_survey(people)
        response = services.response_submit(token=tokens[0], answers={})
        assert response.answers.count() == 0

    def test_a_closed_survey_takes_no_answers(self, people):
        survey, tokens = sent_survey(people)
        Survey.objects.filter(pk=survey.pk).update(closes_on=datetime.date(2000, 1, 1))
        with pytest.raises(services.SurveyClosed):
            services.response_submit(token=tokens[0], answers={})


class TestTemplate:
    def test_the_default_swedish_template_is_made_on_first_use(self):
        template = services.template_ensure()
        assert template.questions.filter(kind=QuestionKind.LIKERT).count() >= 5
        assert template.questions.filter(kind=QuestionKind.TEXT).exists()
        assert services.template_ensure() == template

    def test_only_an_administrator_edits_the_template(self, people, administrator):
        question = services.template_ensure().questions.first()
        for outsider in (people.official, people.chair, CitizenFactory()):
            with pytest.raises(PermissionDenied):
                services.question_add(actor=outsider, text="X?", kind=QuestionKind.TEXT)
            with pytest.raises(PermissionDenied):
                services.question_remove(actor=outsider, question=question)
        services.question_add(
            actor=administrator, text="Hittade du lätt till mötet?", kind="likert"
        )
        assert AuditEntry.objects.filter(action="evaluation.question_added").exists()

    def test_move_and_remove(self, administrator):
        template = services.template_ensure()
        first, second = template.questions.order_by("order")[:2]
        services.question_move(actor=administrator, question=second, up=True)
        assert list(template.questions.order_by("order")[:2]) == [second, first]
        services.question_remove(actor=administrator, question=first)
        assert not TemplateQuestion.objects.filter(pk=first.pk).exists()

    def test_an_empty_question_is_refused(self, administrator):
        with pytest.raises(services.EvaluationError) as refused:
            services.question_add(actor=administrator, text="  ", kind=QuestionKind.TEXT)
        assert "text" in refused.value.message_dict


class TestInternalEvaluation:
    def test_saved_and_audited(self, people):
        dialogue = compiling(people)
        services.internal_evaluation_save(
            dialogue=dialogue,
            actor=people.official,
            goals_met="delvis",
            representativeness="Få unga deltog, trots planen.",
            summary="Dialogen nådde många föräldrar men få barn.",
            publish_summary=True,
        )
        evaluation = InternalEvaluation.objects.get(dialogue=dialogue)
        assert evaluation.goals_met == "delvis" and evaluation.updated_by == people.official
        entry = AuditEntry.objects.get(action="evaluation.internal_saved")
        assert "representativeness" in entry.changes["fields"]

    def test_publishing_needs_a_summary(self, people):
        dialogue = compiling(people)
        with pytest.raises(services.EvaluationError) as refused:
            services.internal_evaluation_save(
                dialogue=dialogue, actor=people.official, publish_summary=True
            )
        assert "summary" in refused.value.message_dict

    def test_outsiders_are_refused(self, people):
        dialogue = compiling(people)
        with pytest.raises(PermissionDenied):
            services.internal_evaluation_save(
                dialogue=dialogue, actor=CitizenFactory(), summary="x"
            )
