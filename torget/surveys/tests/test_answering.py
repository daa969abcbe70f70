"""Answering a survey: the services, the pages a respondent goes through, who may answer,
the period, one answer per person, anonymity and paper entry."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.identity.selectors import COOKIE_NAME as EID_COOKIE
from torget.identity.selectors import verification_token
from torget.identity.tests.factories import VerificationFactory
from torget.surveys import answering
from torget.surveys.models import (
    Access,
    Answer,
    Kind,
    Participation,
    Response,
    ResponseStatus,
    Source,
    Status,
)
from torget.surveys.tests import factories

pytestmark = pytest.mark.django_db


def _q(survey):
    return {q.kind: q for q in survey.questions.all()}


def _first_page(survey):
    q = _q(survey)
    return {
        f"q{q[Kind.SINGLE].pk}": "A",
        f"q{q[Kind.MULTIPLE].pk}": ["A", "C"],
        f"q{q[Kind.SCALE].pk}": "4",
        f"q{q[Kind.NUMBER].pk}": "12",
        f"q{q[Kind.YES_NO].pk}": "ja",
    }


def _second_page(survey):
    q = _q(survey)
    ranking, place = q[Kind.RANKING].pk, q[Kind.PLACE].pk
    return {
        f"q{q[Kind.SHORT_TEXT].pk}": "Grönt",
        f"q{q[Kind.LONG_TEXT].pk}": "Belysningen vid gången.",
        f"q{ranking}_0": "2",
        f"q{ranking}_1": "1",
        f"q{ranking}_2": "3",
        f"q{ranking}_3": "4",
        f"q{place}_0": "Vid cykelstället",
        f"q{place}_1": "58.41",
        f"q{place}_2": "15.62",
    }


def _answer_all(client, survey):
    """Start, fill both pages and the background page; returns the confirm page's address."""
    started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
    assert started.status_code == 302, started.content
    page1 = started["Location"]
    response = client.post(page1, _first_page(survey))
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(response["Location"], _second_page(survey))
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(response["Location"], {"age_band": "30-44"})
    assert response.status_code == 302
    assert response["Location"].endswith("/granska/")
    return response["Location"]


class TestServices:
    def test_a_page_is_stored_with_the_version_seen_and_locks_the_survey(self):
        survey = factories.survey_of_every_kind()
        question = _q(survey)[Kind.SINGLE]
        question.version = 3
        question.save()
        response = answering.response_start(survey=survey)
        assert response.token and survey.locked_at is None
        answering.response_save_page(
            response=response, section=question.section, answers={question.pk: "B"}
        )
        answer = Answer.objects.get(response=response, question=question)
        assert (answer.value, answer.question_version) == ("B", 3)
        survey.refresh_from_db()
        assert survey.locked_at is not None

    def test_a_missing_required_answer_stops_the_submit(self):
        survey = factories.survey_of_every_kind()
        response = answering.response_start(survey=survey)
        with pytest.raises(ValidationError, match="Hur ofta"):
            answering.response_submit(response=response)
        response.refresh_from_db()
        assert response.status == ResponseStatus.STARTED

    def test_submit_gives_a_receipt_and_ends_the_link(self):
        survey = factories.survey_of_every_kind()
        single = _q(survey)[Kind.SINGLE]
        response = answering.response_start(survey=survey)
        answering.response_save_page(
            response=response, section=single.section, answers={single.pk: "A"}
        )
        response = answering.response_submit(response=response)
        assert response.status == ResponseStatus.SUBMITTED
        assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", response.receipt)
        assert response.token == ""
        assert response.submitted_on == timezone.localdate()

    def test_answers_to_questions_the_final_answers_hide_are_dropped(self):
        survey = factories.survey_of_every_kind()
        q = _q(survey)
        response = answering.response_start(survey=survey)
        answering.response_save_page(
            response=response,
            section=q[Kind.LONG_TEXT].section,
            answers={q[Kind.LONG_TEXT].pk: "Trygg för att det är ljust."},
        )
        answering.response_save_page(
            response=response,
            section=q[Kind.SINGLE].section,
            answers={q[Kind.SINGLE].pk: "A", q[Kind.YES_NO].pk: "nej"},
        )
        answering.response_submit(response=response)
        assert not Answer.objects.filter(question=q[Kind.LONG_TEXT]).exists()

    def test_one_answer_per_person(self):
        survey = factories.survey(access=Access.EID)
        for _attempt in range(2):
            response = answering.response_start(survey=survey)
            if _attempt == 0:
                answering.response_submit(response=response, key="person-1")
        with pytest.raises(ValidationError, match="redan svarat"):
            answering.response_submit(response=response, key="person-1")
        assert Participation.objects.filter(survey=survey).count() == 1
        assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 1

    def test_outside_the_period_nothing_starts(self):
        closed = factories.survey(
            opens_at=timezone.now() - datetime.timedelta(days=10),
            closes_at=timezone.now() - datetime.timedelta(days=1),
        )
        with pytest.raises(ValidationError):
            answering.response_start(survey=closed)


class TestAnonymity:
    def test_responses_and_answers_have_no_link_to_a_person(self):
        person_like = {"user", "person", "verification", "email", "ip", "ip_address", "phone"}
        person_models = {"accounts.user", "identity.verification"}
        for model in (Response, Answer):
            for field in model._meta.get_fields():
                assert field.name not in person_like, (model, field.name)
                related = getattr(field, "related_model", None)
                if related is not None and field.name != "entered_by":
                    assert related._meta.label_lower not in person_models, (model, field.name)
        # Staff who enter a paper answer are named; that is the only user on a response.
        assert Response._meta.get_field("entered_by").related_model._meta.label_lower == (
            "accounts.user"
        )

    def test_the_participation_mark_shares_only_the_survey_with_a_response(self):
        participation = {f.name for f in Participation._meta.concrete_fields}
        response = {f.name for f in Response._meta.concrete_fields}
        assert participation & response == {"id", "survey"}
        # Both primary keys are random UUIDs, and a participation has no time at all.
        assert Participation._meta.pk.get_internal_type() == "UUIDField"
        assert Response._meta.pk.get_internal_type() == "UUIDField"
        assert not [
            f
            for f in Participation._meta.concrete_fields
            if f.get_internal_type() in ("DateTimeField", "DateField")
        ]

    def test_answering_writes_nothing_to_the_audit_log(self, client):
        survey = factories.survey_of_every_kind()
        before = AuditEntry.objects.count()
        confirm = _answer_all(client, survey)
        client.post(confirm)
        assert AuditEntry.objects.count() == before


class TestAnsweringOnTheWeb:
    def test_page_by_page_with_the_resume_link_to_a_receipt(self, client):
        survey = factories.survey_of_every_kind(ask_gender=True)
        detail = client.get(reverse("surveys:public_detail", args=[survey.pk]))
        assert "Alla kan svara" in detail.content.decode()
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        page1 = client.get(started["Location"])
        html = page1.content.decode()
        assert "Spara länken för att fortsätta senare" in html
        response = Response.objects.get()
        resume = reverse("surveys:answer_resume", args=[survey.pk, response.token])
        assert resume in html
        assert "sida 1 av 3" in html
        client.post(started["Location"], _first_page(survey))
        # A new browser with the link continues where the answers stopped.
        client.cookies.clear()
        assert client.get(resume)["Location"].endswith("/sida/2/")
        page2 = client.get(client.get(resume)["Location"])
        assert "Vad gör att du känner dig trygg?" in page2.content.decode()
        confirm = _answer_all(client, survey)
        summary = client.get(confirm).content.decode()
        assert "Granska dina svar" in summary
        assert "Gungor, Fotbollsplan" in summary
        submitted = client.post(confirm)
        assert submitted.status_code == 302
        receipt = client.get(submitted["Location"]).content.decode()
        done = Response.objects.get(status=ResponseStatus.SUBMITTED)
        assert done.receipt in receipt
        assert done.age_band == "30-44"
        assert Answer.objects.filter(response=done).count() == 9

    def test_errors_are_summarised_and_what_was_typed_is_kept(self, client):
        survey = factories.survey_of_every_kind()
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        number = _q(survey)[Kind.NUMBER]
        page = client.post(started["Location"], {f"q{number.pk}": "999"})
        html = page.content.decode()
        assert page.status_code == 200
        assert "Det finns fel i formuläret" in html
        assert "Svara på frågan." in html
        assert "120 eller mindre" in html
        assert 'value="999"' in html

    def test_back_keeps_the_answers_without_requiring_them(self, client):
        survey = factories.survey_of_every_kind()
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        client.post(started["Location"], _first_page(survey))
        page2 = started["Location"].replace("/sida/1/", "/sida/2/")
        short = _q(survey)[Kind.SHORT_TEXT]
        back = client.post(page2, {f"q{short.pk}": "Grönt", "tillbaka": "1"})
        assert back["Location"].endswith("/sida/1/")
        assert Answer.objects.get(question=short).text == "Grönt"

    def test_the_link_can_be_sent_by_email_and_the_address_is_not_kept(self, client, drain):
        survey = factories.survey_of_every_kind()
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        response = Response.objects.get()
        sent = client.post(
            reverse("surveys:answer_send_link", args=[survey.pk, response.token]),
            {"email": "svarare@example.se"},
            follow=True,
        )
        assert "Länken är skickad" in sent.content.decode()
        drain()
        [message] = mail.outbox
        assert message.to == ["svarare@example.se"]
        assert f"/enkater/{survey.pk}/svar/{response.token}/" in message.body
        assert started.status_code == 302
        for field in Response._meta.concrete_fields:
            assert "svarare@example.se" not in str(getattr(response, field.attname))

    def test_the_receipt_can_be_sent_by_email(self, client, drain, smtp_server):
        survey = factories.survey_of_every_kind()
        confirm = _answer_all(client, survey)
        receipt_url = client.post(confirm)["Location"]
        client.post(receipt_url, {"email": "kvitto@example.se"})
        drain()
        [message] = smtp_server.to("kvitto@example.se")
        assert Response.objects.get().receipt in message.text

    def test_an_unknown_or_used_link_explains_itself(self, client):
        survey = factories.survey_of_every_kind()
        page = client.get(reverse("surveys:answer_page", args=[survey.pk, "x" * 32, 1]))
        assert page.status_code == 404
        assert "Länken fungerar inte" in page.content.decode()

    def test_a_draft_survey_does_not_exist_for_the_public(self, client):
        survey = factories.survey(status=Status.DRAFT)
        assert client.get(reverse("surveys:public_detail", args=[survey.pk])).status_code == 404

    def test_in_english(self, client):
        survey = factories.survey_of_every_kind()
        client.cookies["torget_language"] = "en"
        page = client.get(
            reverse("surveys:public_detail", args=[survey.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        html = page.content.decode()
        assert "What do you think of the school yard?" in html
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        assert Response.objects.get().language == "en"
        assert client.get(started["Location"]).status_code == 200


class TestPeriod:
    def test_before_opening_the_date_is_shown_and_nothing_starts(self, client):
        survey = factories.survey_of_every_kind(
            opens_at=timezone.now() + datetime.timedelta(days=2),
            closes_at=timezone.now() + datetime.timedelta(days=9),
        )
        page = client.get(reverse("surveys:public_detail", args=[survey.pk])).content.decode()
        assert "Enkäten har inte öppnat än" in page
        assert "Börja svara" not in page
        refused = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        assert refused.status_code == 200
        assert "Enkäten öppnar" in refused.content.decode()
        assert not Response.objects.exists()

    def test_after_closing_the_dates_and_published_summary_are_shown(self, client):
        survey = factories.survey_of_every_kind(
            opens_at=timezone.now() - datetime.timedelta(days=9),
            closes_at=timezone.now() - datetime.timedelta(days=2),
            summary="De flesta vill ha fler gungor.",
            summary_published_at=timezone.now(),
        )
        page = client.get(reverse("surveys:public_detail", args=[survey.pk])).content.decode()
        assert "Enkäten är stängd" in page
        assert "De flesta vill ha fler gungor." in page
        assert "Öppen för svar från" in page

    def test_a_page_after_closing_is_refused_clearly(self, client):
        survey = factories.survey_of_every_kind()
        started = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        survey.opens_at = timezone.now() - datetime.timedelta(days=1)
        survey.save()
        page = client.post(started["Location"], _first_page(survey))
        assert page.status_code == 200
        assert "Enkäten är stängd" in page.content.decode()


class TestWhoMayAnswer:
    def test_open_one_answer_per_device(self, client):
        survey = factories.survey_of_every_kind()
        client.post(_answer_all(client, survey))
        again = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        assert again.status_code == 403
        assert "från den här webbläsaren" in again.content.decode()

    def test_open_limit_per_ip_address(self, client, settings):
        settings.SURVEY_ANSWERS_PER_IP_PER_HOUR = 1
        survey = factories.survey_of_every_kind()
        client.post(_answer_all(client, survey))
        client.cookies.clear()  # another browser behind the same address
        confirm = _answer_all(client, survey)
        limited = client.post(confirm)
        assert limited.status_code == 429
        assert "För många svar" in limited.content.decode()

    def test_email_needs_a_log_in_with_a_verified_address(self, client):
        survey = factories.survey_of_every_kind(access=Access.EMAIL, access_reason="Bara boende.")
        page = client.get(reverse("surveys:public_detail", args=[survey.pk])).content.decode()
        assert "bekräftad e-postadress" in page
        assert "Bara boende." in page
        assert reverse("accounts:login") in page
        unverified = CitizenFactory(email_verified_at=None)
        client.force_login(unverified)
        refused = client.post(reverse("surveys:answer_start", args=[survey.pk]))
        assert "inte bekräftad" in refused.content.decode()
        client.force_login(CitizenFactory())
        client.post(_answer_all(client, survey))
        assert Participation.objects.filter(survey=survey).count() == 1
        again = client.get(reverse("surveys:public_detail", args=[survey.pk]))
        assert "Du har redan svarat" in again.content.decode()
        assert client.post(reverse("surveys:answer_start", args=[survey.pk])).status_code == 403

    def test_eid_needs_a_fresh_verification_and_counts_one_per_person(self, client):
        survey = factories.survey_of_every_kind(access=Access.EID)
        page = client.get(reverse("surveys:public_detail", args=[survey.pk])).content.decode()
        assert reverse("identity:choose") in page
        verification = VerificationFactory()
        client.cookies[EID_COOKIE] = verification_token(verification)
        confirm = _answer_all(client, survey)
        assert client.post(confirm).status_code == 302
        [mark] = Participation.objects.filter(survey=survey)
        assert verification.person_key not in mark.person_hash
        other_browser = client.__class__()
        other_browser.cookies[EID_COOKIE] = verification_token(verification)
        refused = other_browser.post(reverse("surveys:answer_start", args=[survey.pk]))
        assert refused.status_code == 403
        assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 1


class TestPaperEntry:
    @pytest.fixture
    def staffed(self):
        dialogue, people = factories.survey_dialogue()
        return factories.survey_of_every_kind(dialogue), people

    def test_staff_enter_a_paper_answer_on_one_page(self, client, staffed):
        survey, people = staffed
        client.force_login(people.official)
        url = reverse("surveys:answer_paper", args=[survey.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count("<h2") >= 3
        data = {**_first_page(survey), **_second_page(survey)}
        data.update({"bakgrund-age_band": "65-79", "note": "Biblioteket i Berga"})
        saved = client.post(url, data, follow=True)
        assert "Enkäten har nu 1 svar på papper" in saved.content.decode()
        response = Response.objects.get()
        assert response.source == Source.PAPER
        assert response.entered_by == people.official
        assert response.entered_note == "Biblioteket i Berga"
        assert response.age_band == "65-79"
        assert response.status == ResponseStatus.SUBMITTED
        assert AuditEntry.objects.filter(action="survey.paper_answer_entered").exists()

    def test_gaps_are_entered_as_written_but_an_empty_form_is_refused(self, client, staffed):
        survey, people = staffed
        client.force_login(people.official)
        url = reverse("surveys:answer_paper", args=[survey.pk])
        empty = client.post(url, {})
        assert "Skriv in minst ett svar" in empty.content.decode()
        assert not Response.objects.exists()
        short = _q(survey)[Kind.SHORT_TEXT]
        client.post(url, {f"q{short.pk}": "Grönt"})  # the required question left blank
        assert Response.objects.filter(source=Source.PAPER).count() == 1

    def test_others_may_not(self, client, staffed):
        survey, _people = staffed
        url = reverse("surveys:answer_paper", args=[survey.pk])
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_answer_per_person_also_at_the_same_moment(postgres_only):
    import threading

    from django.db import connection

    survey = factories.survey(access=Access.EID)
    parallel = 8
    responses = [answering.response_start(survey=survey) for _ in range(parallel)]
    barrier = threading.Barrier(parallel)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(response):
        barrier.wait()
        try:
            answering.response_submit(response=response, key="samma-person")
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=submit, args=(r,)) for r in responses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * (parallel - 1)
    assert Participation.objects.filter(survey=survey).count() == 1
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 1


class TestDemo:
    def test_the_demo_answers_each_published_survey_once_on_the_web_and_on_paper(self):
        from torget.accounts.roles import Role
        from torget.core.demo import DemoContext
        from torget.surveys.demo import DEMO_RESPONSES, load_answers

        dialogue, people = factories.survey_dialogue()
        survey = factories.survey_of_every_kind(dialogue)
        context = DemoContext(password="x", users={Role.OFFICIAL: people.official})
        load_answers(context)
        assert survey.responses.filter(status=ResponseStatus.SUBMITTED).count() == DEMO_RESPONSES
        assert survey.responses.filter(source=Source.PAPER).count() == 2
        again = DemoContext(password="x", users={Role.OFFICIAL: people.official})
        load_answers(again)
        assert again.changes == 0


class TestHostileInput:
    @pytest.fixture
    def started(self, client):
        survey = factories.survey_of_every_kind()
        location = client.post(reverse("surveys:answer_start", args=[survey.pk]))["Location"]
        return survey, location

    def test_random_posts_to_the_pages_never_break(self, client, started):
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        survey, location = started
        names = []
        for question in survey.questions.all():
            names += [f"q{question.pk}"] + [f"q{question.pk}_{i}" for i in range(4)]
        names += ["age_band", "area", "target_groups", "gender", "tillbaka", "email"]
        pages = [location, location.replace("/sida/1/", "/sida/2/")]
        pages.append(location.replace("/sida/1/", "/sida/3/"))

        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
        @given(
            page=st.sampled_from(pages),
            body=st.dictionaries(
                st.sampled_from(names),
                st.one_of(st.text(max_size=60), st.lists(st.text(max_size=10), max_size=4)),
                max_size=10,
            ),
        )
        def post(page, body):
            response = client.post(page, body)
            assert response.status_code in (200, 302), response.status_code

        post()
