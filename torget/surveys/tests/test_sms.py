"""SMS surveys: sending with the cost shown first, replies posted to the webhook exactly as
46elks posts them, STOPP, reminders and the erasure of the numbers at close."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.audit.models import AuditEntry
from torget.notifications import sms as sms_backend
from torget.notifications.models import Delivery, DeliveryStatus, SmsStop, Subscription
from torget.notifications.services import notify
from torget.notifications.tests.factories import SubscriptionFactory
from torget.surveys import sms
from torget.surveys.models import (
    Answer,
    ConversationStatus,
    Kind,
    Response,
    ResponseStatus,
    SmsConversation,
    SmsInbound,
    Source,
    Status,
)
from torget.surveys.tests.factories import question, section, sms_survey, survey, survey_dialogue
from torget.testing.elks import inbound_form, post_inbound

SECRET = "hemlig-webhook-nyckel-123"  # noqa: S105 — the test's own
PHONE = "+46701234567"
OTHER = "+46707654321"


@pytest.fixture
def webhook(settings):
    settings.ELKS_INBOUND_SECRET = SECRET
    settings.ELKS_INBOUND_IPS = []
    settings.SMS_PRICE_SEK = 0.52
    return reverse("surveys:sms_inbound", kwargs={"secret": SECRET})


@pytest.fixture
def people():
    _dialogue, cast = survey_dialogue()
    return cast


@pytest.fixture
def sent(db, people, drain):
    """An SMS survey sent to PHONE, with its first messages delivered."""
    dialogue = survey_dialogue(people)[0]
    result = sms_survey(dialogue)
    sms.survey_sms_send(survey=result, phones=[PHONE], actor=people.official)
    drain()
    return result


def texts_to(phone=PHONE):
    return [m.message for m in sms_backend.outbox if m.to == phone]


def reply(client, webhook, drain, message, phone=PHONE, **fields):
    response = post_inbound(client, webhook, sender=phone, message=message, **fields)
    drain()
    return response


def questions_of(result):
    return {q.text: q for q in result.questions.all()}


@pytest.mark.django_db
class TestParsing:
    def setup_survey(self):
        result = survey(channel="sms")
        part = section(result)
        return {
            "single": question(part, Kind.SINGLE, "Val?", options=["Buss", "Bil", "Cykel"]),
            "scale": question(part, Kind.SCALE, "Skala?"),
            "yes_no": question(part, Kind.YES_NO, "Ja eller nej?"),
            "text": question(part, Kind.SHORT_TEXT, "Varför?"),
        }

    @pytest.mark.parametrize(
        ("written", "code"),
        [
            ("2", "B"),
            ("B", "B"),
            ("b", "B"),
            (" B.", "B"),
            ("(c)", "C"),
            ("bil", "B"),
            ("CYKEL!", "C"),
            ("1", "A"),
        ],
    )
    def test_a_single_choice_is_read_by_code_number_or_text(self, written, code):
        questions = self.setup_survey()
        assert sms.parse_reply(questions["single"], written) == (code, "")

    @pytest.mark.parametrize("written", ["4", "D", "0", "tåg", "", "A B"])
    def test_a_single_choice_outside_the_options_gets_help(self, written):
        questions = self.setup_survey()
        with pytest.raises(sms.InvalidReply) as raised:
            sms.parse_reply(questions["single"], written)
        assert raised.value.help == "Svara med A, B eller C."

    @pytest.mark.parametrize(("written", "point"), [("1", 1), ("5", 5), (" 3 ", 3), ("4.", 4)])
    def test_a_scale_point_is_a_digit_from_one_to_five(self, written, point):
        questions = self.setup_survey()
        assert sms.parse_reply(questions["scale"], written) == (point, "")

    @pytest.mark.parametrize("written", ["0", "6", "tre", "10"])
    def test_a_scale_reply_outside_one_to_five_gets_help(self, written):
        questions = self.setup_survey()
        with pytest.raises(sms.InvalidReply) as raised:
            sms.parse_reply(questions["scale"], written)
        assert raised.value.help == "Svara med en siffra 1–5."

    @pytest.mark.parametrize(
        ("written", "value"),
        [
            ("ja", "ja"),
            ("Ja!", "ja"),
            ("j", "ja"),
            ("yes", "ja"),
            ("JA", "ja"),
            ("nej", "nej"),
            ("Nej.", "nej"),
            ("n", "nej"),
            ("no", "nej"),
            ("nä", "nej"),
        ],
    )
    def test_yes_and_no_are_read_with_their_usual_variants(self, written, value):
        questions = self.setup_survey()
        assert sms.parse_reply(questions["yes_no"], written) == (value, "")

    def test_a_yes_no_reply_that_is_neither_gets_help(self):
        questions = self.setup_survey()
        with pytest.raises(sms.InvalidReply) as raised:
            sms.parse_reply(questions["yes_no"], "kanske")
        assert raised.value.help == "Svara ja eller nej."

    def test_a_short_text_is_anything_up_to_160_characters(self):
        questions = self.setup_survey()
        assert sms.parse_reply(questions["text"], "  För  mörkt vid  tunneln ") == (
            None,
            "För mörkt vid tunneln",
        )
        with pytest.raises(sms.InvalidReply):
            sms.parse_reply(questions["text"], "x" * 161)
        with pytest.raises(sms.InvalidReply):
            sms.parse_reply(questions["text"], "   ")

    @pytest.mark.parametrize("written", ["STOPP", "stopp ", "Stop", "stopp."])
    def test_stop_is_recognised(self, written):
        assert sms.is_stop(written)
        assert not sms.is_stop("stoppa inte bussen")


@pytest.mark.django_db
class TestConversation:
    def test_sending_queues_the_introduction_and_the_first_question(self, sent):
        intro, first = texts_to()
        assert intro.startswith("Skolvägen\n")
        assert "STOPP" in intro
        assert (
            first
            == "Hur tar du dig till skolan?\nA) Buss\nB) Bil\nC) Cykel\nSvara med A, B eller C."
        )
        conversation = SmsConversation.objects.get(survey=sent)
        assert conversation.status == ConversationStatus.WAITING
        assert conversation.sent_count == 2
        assert conversation.response is None  # nothing answered, nothing counted
        assert AuditEntry.objects.filter(action="survey.sms_sent").exists()

    def test_a_valid_answer_is_saved_and_the_next_question_goes_out(
        self, client, webhook, sent, drain
    ):
        response = reply(client, webhook, drain, "2")
        assert response.status_code == 200
        assert response.content == b""  # text here would go back to the sender as an SMS
        answer = Answer.objects.get()
        assert answer.value == "B"
        assert answer.response.source == Source.SMS
        assert answer.response.status == ResponseStatus.STARTED
        assert texts_to()[-1] == "Känner du dig trygg på vägen?\nSvara ja eller nej."
        sent.refresh_from_db()
        assert sent.is_locked

    def test_an_invalid_reply_gets_help_and_the_question_waits(self, client, webhook, sent, drain):
        reply(client, webhook, drain, "kanske tåget")
        assert texts_to()[-1] == "Svara med A, B eller C."
        assert not Answer.objects.exists()
        conversation = SmsConversation.objects.get()
        assert conversation.question.text == "Hur tar du dig till skolan?"
        reply(client, webhook, drain, "b")
        assert Answer.objects.get().value == "B"

    def test_a_conditional_question_is_skipped_when_its_condition_is_not_met(
        self, client, webhook, sent, drain
    ):
        reply(client, webhook, drain, "A")
        reply(client, webhook, drain, "ja")
        assert texts_to()[-1].startswith("Hur nöjd är du med skolgården?")
        assert "1 = Mycket dåligt, 5 = Mycket bra" in texts_to()[-1]

    def test_a_conditional_question_is_asked_when_its_condition_is_met(
        self, client, webhook, sent, drain
    ):
        reply(client, webhook, drain, "A")
        reply(client, webhook, drain, "Nej!")
        assert texts_to()[-1].startswith("Vad gör vägen otrygg?")
        reply(client, webhook, drain, "Mörkt under viadukten")
        assert Answer.objects.get(question__kind=Kind.SHORT_TEXT).text == "Mörkt under viadukten"

    def test_the_last_answer_submits_the_response_and_thanks(self, client, webhook, sent, drain):
        for message in ["C", "ja", "4"]:
            reply(client, webhook, drain, message)
        response = Response.objects.get()
        assert response.status == ResponseStatus.SUBMITTED
        assert response.submitted_on == timezone.localdate()
        assert {a.question.text: a.value for a in response.answers.all()} == {
            "Hur tar du dig till skolan?": "C",
            "Känner du dig trygg på vägen?": "ja",
            "Hur nöjd är du med skolgården?": 4,
        }
        assert texts_to()[-1] == "Tack för dina svar!"
        conversation = SmsConversation.objects.get()
        assert conversation.status == ConversationStatus.DONE
        # The number no longer leads to the answers.
        assert conversation.response is None
        assert conversation.received_count == 3
        # A further message from the number gets nothing.
        count = len(texts_to())
        reply(client, webhook, drain, "5")
        assert len(texts_to()) == count

    def test_the_same_gateway_id_twice_is_handled_once(self, client, webhook, sent, drain):
        reply(client, webhook, drain, "A", message_id="sf1234")
        count = len(texts_to())
        again = reply(client, webhook, drain, "B", message_id="sf1234")
        assert again.status_code == 200
        assert Answer.objects.get().value == "A"
        assert len(texts_to()) == count
        assert SmsInbound.objects.count() == 1

    def test_a_number_that_is_asked_nothing_gets_no_reply(self, client, webhook, sent, drain):
        response = reply(client, webhook, drain, "Hej, vem är detta?", phone=OTHER)
        assert response.status_code == 200
        assert texts_to(OTHER) == []
        assert not Response.objects.exists()

    def test_a_reply_after_the_survey_closed_is_told_so(self, client, webhook, sent, drain):
        sent.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        sent.opens_at = timezone.now() - datetime.timedelta(days=2)
        sent.save()
        reply(client, webhook, drain, "A")
        assert "stängd" in texts_to()[-1]
        assert not Answer.objects.exists()

    def test_the_numbers_are_answered_through_the_local_46elks_stand_in(
        self, client, webhook, people, elks, drain
    ):
        result = sms_survey(survey_dialogue(people)[0])
        sms.survey_sms_send(survey=result, phones=[PHONE], actor=people.official)
        drain()
        assert [r["to"] for r in elks.requests] == [PHONE, PHONE]
        assert elks.requests[1]["from"] == "Storeby"
        reply(client, webhook, drain, "cykel")
        assert elks.requests[-1]["message"].startswith("Känner du dig trygg")


@pytest.mark.django_db
class TestStop:
    def test_stopp_ends_the_survey_and_every_sms_to_the_number(self, client, webhook, sent, drain):
        follows = SubscriptionFactory(by_sms=True, by_email=False, phone=PHONE)
        follows_both = SubscriptionFactory(by_sms=True, phone=PHONE)
        reply(client, webhook, drain, "STOPP ")
        assert texts_to()[-1] == "Du får inga fler SMS från kommunen."
        conversation = SmsConversation.objects.get()
        assert conversation.status == ConversationStatus.STOPPED
        assert SmsStop.objects.count() == 1
        assert PHONE not in SmsStop.objects.get().phone_hash  # a keyed hash, not the number
        # Its SMS subscriptions are over; one by e-mail too keeps the e-mail.
        assert not Subscription.objects.filter(pk=follows.pk).exists()
        follows_both.refresh_from_db()
        assert (follows_both.by_sms, follows_both.phone, follows_both.by_email) == (
            False,
            "",
            True,
        )
        count = len(texts_to())
        # Nothing more: not the survey, not a reminder, not a notice of another app.
        reply(client, webhook, drain, "A")
        sms.sms_reminders_send(survey=sent)
        notify(
            template="test.event",
            context={"title": "Vattenläcka"},
            phones=[PHONE],
            channels=["sms"],
        )
        drain()
        assert len(texts_to()) == count
        given_up = Delivery.objects.get(notification__template="test.event")
        assert given_up.status == DeliveryStatus.DEAD
        assert "STOPP" in given_up.last_error

    def test_a_second_stopp_is_not_confirmed_again(self, client, webhook, sent, drain):
        reply(client, webhook, drain, "stopp")
        reply(client, webhook, drain, "STOP")
        assert texts_to().count("Du får inga fler SMS från kommunen.") == 1

    def test_stopp_from_a_number_in_no_survey_still_stops_notifications(
        self, client, webhook, drain
    ):
        reply(client, webhook, drain, "Stopp", phone=OTHER)
        assert texts_to(OTHER) == ["Du får inga fler SMS från kommunen."]
        notify(template="test.event", context={"title": "X"}, phones=[OTHER], channels=["sms"])
        drain()
        assert len(texts_to(OTHER)) == 1

    def test_a_stopped_number_is_left_out_of_a_new_mailing(self, client, webhook, people, drain):
        reply(client, webhook, drain, "stopp")
        result = sms_survey(survey_dialogue(people)[0])
        recipients = sms.survey_sms_send(
            survey=result, phones=[PHONE, OTHER], actor=people.official
        )
        assert recipients.new == [OTHER]
        assert recipients.stopped == 1


@pytest.mark.django_db
class TestWebhookGuard:
    def test_a_wrong_secret_is_404(self, client, webhook, sent):
        url = reverse("surveys:sms_inbound", kwargs={"secret": "gissat"})
        assert post_inbound(client, url, sender=PHONE, message="A").status_code == 404
        assert not SmsInbound.objects.exists()

    def test_without_a_configured_secret_the_webhook_does_not_exist(self, client, settings, sent):
        settings.ELKS_INBOUND_SECRET = ""
        url = reverse("surveys:sms_inbound", kwargs={"secret": "x"})
        assert post_inbound(client, url, sender=PHONE, message="A").status_code == 404

    def test_the_sender_address_is_checked_when_configured(self, client, webhook, settings, sent):
        settings.ELKS_INBOUND_IPS = ["176.10.154.199"]
        settings.CLIENT_IP_HEADER = ""
        form = inbound_form(sender=PHONE, message="A")
        refused = client.post(webhook, form, REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 404
        accepted = client.post(webhook, form, REMOTE_ADDR="176.10.154.199")
        assert accepted.status_code == 200
        assert Answer.objects.get().value == "A"

    def test_behind_the_proxy_the_sender_is_read_from_the_proxys_header(
        self, client, webhook, settings, sent
    ):
        settings.ELKS_INBOUND_IPS = ["176.10.154.199"]
        settings.CLIENT_IP_HEADER = "X-Forwarded-For"
        settings.CLIENT_IP_TRUSTED_PROXIES = 1
        form = inbound_form(sender=PHONE, message="A")
        forged = client.post(
            webhook, form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="176.10.154.199, 6.6.6.6"
        )
        assert forged.status_code == 404
        real = client.post(
            webhook, form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="176.10.154.199"
        )
        assert real.status_code == 200

    def test_a_get_is_refused(self, client, webhook):
        assert client.get(webhook).status_code == 405


@pytest.mark.django_db
class TestReminders:
    def test_one_reminder_after_the_waiting_time_never_two(self, sent, drain, settings):
        settings.SMS_SURVEY_REMINDER_HOURS = 24
        assert sms.sms_reminders_send() == 0  # too soon
        later = timezone.now() + datetime.timedelta(hours=25)
        assert sms.sms_reminders_send(now=later) == 1
        drain()
        assert texts_to()[-1].startswith("Påminnelse: Hur tar du dig till skolan?")
        assert sms.sms_reminders_send(now=later + datetime.timedelta(days=3)) == 0
        assert sms.sms_reminders_send(survey=sent) == 0
        assert SmsConversation.objects.get().reminded

    def test_the_worker_sweep_sends_reminders(self, sent, drain, settings):
        from torget.surveys.apps import SurveysConfig

        SmsConversation.objects.update(last_sent_at=timezone.now() - datetime.timedelta(days=2))
        report = SurveysConfig.on_tick(None)  # type: ignore[arg-type]
        assert report["sms"]["reminded"] == 1

    def test_staff_send_the_reminder_from_the_page(self, client, sent, people, drain):
        client.force_login(people.official)
        response = client.post(reverse("surveys:sms_remind", args=[sent.pk]), follow=True)
        assert "En påminnelse skickas till 1 nummer" in response.content.decode()
        drain()
        assert texts_to()[-1].startswith("Påminnelse:")


@pytest.mark.django_db
class TestErasure:
    def test_closing_erases_the_numbers_and_keeps_the_answers(self, client, webhook, sent, drain):
        reply(client, webhook, drain, "A")
        sent.status = Status.CLOSED
        sent.save()
        report = sms.on_tick()
        assert report["erased"] == 1
        conversation = SmsConversation.objects.get()
        assert conversation.phone == ""
        assert conversation.response is None
        assert conversation.sent_count == 3
        assert Answer.objects.get().value == "A"
        assert AuditEntry.objects.filter(action="survey.sms_numbers_erased").exists()
        assert sms.on_tick()["erased"] == 0

    def test_a_survey_past_its_closing_time_is_erased_too(self, sent):
        sent.opens_at = timezone.now() - datetime.timedelta(days=3)
        sent.closes_at = timezone.now() - datetime.timedelta(seconds=1)
        sent.save()
        assert sms.closed_surveys_erase() == 1
        assert not SmsConversation.objects.exclude(phone="").exists()


@pytest.mark.django_db
class TestSendingPage:
    def url(self, result):
        return reverse("surveys:sms_send", args=[result.pk])

    def test_the_cost_is_shown_before_anything_is_sent(self, client, people, webhook, settings):
        result = sms_survey(survey_dialogue(people)[0])
        client.force_login(people.official)
        page = client.post(self.url(result), {"numbers": "070-123 45 67\n0707654321\n070-1234567"})
        html = page.content.decode()
        assert page.status_code == 200
        assert "Kostnad innan du skickar" in html
        cost = sms.cost(result, 2)
        # intro + four questions + thanks + one reminder, one SMS each
        assert cost.per_recipient == 7
        assert f"{cost.total:.2f}".replace(".", ",") in html or f"{cost.total:.2f}" in html
        assert "1 nummer fanns flera gånger" in html
        assert not SmsConversation.objects.exists()
        assert sms_backend.outbox == []

    def test_confirming_sends_through_the_outbox(self, client, people, drain):
        result = sms_survey(survey_dialogue(people)[0])
        client.force_login(people.official)
        response = client.post(
            self.url(result), {"numbers": "0701234567", "skicka": "1"}, follow=True
        )
        assert "Enkäten skickas till 1 nummer" in response.content.decode()
        assert sms_backend.outbox == []  # not inline: the worker sends
        drain()
        assert len(texts_to()) == 2

    def test_bad_lines_are_refused_with_their_line_numbers(self, client, people):
        result = sms_survey(survey_dialogue(people)[0])
        client.force_login(people.official)
        page = client.post(
            self.url(result), {"numbers": "0701234567\n\nhej\n08-123 456 78", "skicka": "1"}
        )
        html = page.content.decode()
        assert "Rad 3 (hej)" in html
        assert "Rad 4 (08-123 456 78)" in html
        assert "0701234567\n\nhej" in html  # what was typed is kept
        assert not SmsConversation.objects.exists()

    def test_an_areas_sms_followers_can_be_chosen(self, client, people):
        result = sms_survey(survey_dialogue(people)[0])
        follower = SubscriptionFactory(by_sms=True, phone=PHONE)
        SubscriptionFactory(target=follower.target)  # by e-mail only
        client.force_login(people.official)
        page = client.post(self.url(result), {"area": follower.target.pk})
        assert page.context["cost"].recipients == 1

    def test_a_web_survey_or_one_with_kinds_sms_cannot_ask_is_not_sent(self, client, people):
        result = survey(survey_dialogue(people)[0])
        question(section(result), Kind.PLACE, "Var?")
        client.force_login(people.official)
        page = client.get(self.url(result))
        html = page.content.decode()
        assert "inte en sms-enkät" in html
        assert "går inte att ställa per sms" in html
        response = client.post(self.url(result), {"numbers": "0701234567", "skicka": "1"})
        assert response.status_code == 200
        assert not SmsConversation.objects.exists()

    def test_a_long_question_is_flagged_with_its_sms_count(self, client, people):
        result = sms_survey(survey_dialogue(people)[0])
        long = result.questions.get(kind=Kind.SHORT_TEXT)
        long.text = "Berätta " + "mycket " * 30
        long.save()
        client.force_login(people.official)
        html = client.get(self.url(result)).content.decode()
        assert "Frågor som blir mer än ett sms" in html
        # the question takes two, and so may its reminder
        assert sms.cost(result, 1).per_recipient == 9

    def test_someone_who_does_not_work_with_the_dialogue_is_refused(self, client, people):
        from torget.accounts.tests.factories import CitizenFactory

        result = sms_survey(survey_dialogue(people)[0])
        client.force_login(CitizenFactory())
        assert client.get(self.url(result)).status_code == 403
        assert client.post(reverse("surveys:sms_remind", args=[result.pk])).status_code == 403

    @pytest.mark.parametrize("area", [" ", "999999", "x"])
    def test_an_area_that_does_not_exist_is_an_error_not_a_crash(self, client, people, area):
        result = sms_survey(survey_dialogue(people)[0])
        client.force_login(people.official)
        page = client.post(self.url(result), {"area": area, "numbers": ""})
        assert page.status_code == 200
        assert page.context["form"].errors


@pytest.mark.django_db(transaction=True)
def test_a_reply_posted_over_http_as_46elks_does_is_answered(live_server, settings, drain):
    from torget.testing.elks import send_inbound

    settings.ELKS_INBOUND_SECRET = SECRET
    settings.ELKS_INBOUND_IPS = ["127.0.0.1"]
    settings.CLIENT_IP_HEADER = ""
    dialogue, people = survey_dialogue()
    result = sms_survey(dialogue)
    sms.survey_sms_send(survey=result, phones=[PHONE], actor=people.official)
    url = live_server.url + reverse("surveys:sms_inbound", kwargs={"secret": SECRET})
    response = send_inbound(url, sender="0701234567", message=" B.")
    assert response.status_code == 200
    assert response.text == ""
    assert Answer.objects.get().value == "B"
    drain()
    assert texts_to()[-1].startswith("Känner du dig trygg på vägen?")
