"""Answers by sms only where the municipality sends sms, and the case page telling staff what
became of each message to the citizen (from the notifications outbox), not what was meant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.feedback import services
from torget.feedback.models import Case, CaseUpdate, Kind, ReplyChannel, Source, UpdateKind
from torget.feedback.services import CaseError
from torget.feedback.tests.factories import (
    CategoryFactory,
    OpinionCategoryFactory,
    make_api_client,
    make_case,
)
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square
from torget.notifications import sms
from torget.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

MOBILE = "070-123 45 67"
REGISTER = reverse("feedback:staff_register")
SMS_REFUSED = "Kommunen skickar inte sms."


@pytest.fixture
def sms_off(settings):
    settings.SMS_URL = ""


@pytest.fixture
def town():
    return AreaFactory(kind=AreaKind.MUNICIPALITY, name="Storeby", geometry=square(15.0, 58.0, 1.0))


@pytest.fixture
def handler(client):
    user = UserFactory(role=Role.CONTACT_CENTRE, full_name="Karin Kontakt")
    client.force_login(user)
    return user


def act_url(case, action):
    return reverse("feedback:staff_act", args=[case.pk, action])


def prefixed(action, **data):
    return {f"{action}-{key}": value for key, value in data.items()}


def opinion_post(category, **changes):
    return {
        "category": category.pk,
        "description": "Skolmaten är kall.",
        "reporter_phone": MOBILE,
        "reply_channel": "sms",
        **changes,
    }


def sms_case():
    return make_case(reporter_phone=MOBILE, reply_channel=ReplyChannel.SMS)


def history_of(response):
    """The case page's history section, where each message's delivery is shown."""
    html = response.content.decode()
    return html[html.index('<ol class="timeline">') : html.index("</ol>", html.index("timeline"))]


class TestSmsSwitchedOff:
    @pytest.mark.parametrize("path", ["/synpunkter/ny/fraga/", "/felanmalan/", REGISTER])
    def test_the_forms_do_not_offer_sms(self, client, handler, sms_off, path):
        html = client.get(path).content.decode()
        assert 'name="reply_channel"' in html
        assert 'value="sms"' not in html

    def test_an_opinion_choosing_sms_is_refused_with_the_reason(self, client, sms_off):
        category = OpinionCategoryFactory()
        response = client.post("/synpunkter/ny/fraga/", opinion_post(category))
        assert response.status_code == 400
        assert SMS_REFUSED in response.content.decode()
        assert not Case.objects.exists()

    def test_a_fault_report_choosing_sms_is_refused_with_the_reason(self, client, town, sms_off):
        category = CategoryFactory()
        data = opinion_post(category, lat="58.5", lon="15.5", address="")
        response = client.post("/felanmalan/", data)
        assert response.status_code == 400
        assert SMS_REFUSED in response.content.decode()
        assert not Case.objects.exists()

    def test_staff_registering_a_case_cannot_choose_sms(self, client, handler, sms_off):
        category = OpinionCategoryFactory()
        response = client.post(
            REGISTER,
            {
                "source": Source.PHONE,
                "kind": Kind.COMPLAINT,
                "category": category.pk,
                "description": "Skolmaten är kall.",
                "reporter_phone": MOBILE,
                "reply_channel": ReplyChannel.SMS,
            },
        )
        assert SMS_REFUSED in response.content.decode()
        assert not Case.objects.exists()

    def test_the_service_refuses_an_answer_by_sms_from_any_channel(self, sms_off):
        with pytest.raises(CaseError) as error:
            sms_case()
        assert SMS_REFUSED in error.value.message_dict["reply_channel"][0]
        assert not Case.objects.exists()

    def test_an_open311_report_with_a_mobile_number_is_answered_by_a_call(self, client, sms_off):
        CategoryFactory(code="gatubelysning")
        client.post(
            "/open311/v2/requests.xml",
            {
                "api_key": make_api_client()[1],
                "service_code": "gatubelysning",
                "address_string": "Storgatan 1",
                "phone": MOBILE,
            },
        )
        assert Case.objects.get().reply_channel == ReplyChannel.PHONE

    def test_a_reporter_who_chose_sms_before_it_was_switched_off_is_called_instead(
        self, client, handler, settings
    ):
        case = sms_case()  # SMS is on in the test profile
        settings.SMS_URL = ""
        page = client.get(reverse("feedback:staff_detail", args=[case.pk])).content.decode()
        assert "Ring upp den som anmälde" in page
        client.post(act_url(case, "reply"), prefixed("reply", text="Vi har pratat."))
        reply = CaseUpdate.objects.get(case=case, kind=UpdateKind.REPLY)
        assert reply.channel == ReplyChannel.PHONE and reply.notification is None
        assert not Delivery.objects.filter(notification__template="feedback.reply").exists()


class TestSmsSwitchedOn:
    @pytest.mark.parametrize("path", ["/synpunkter/ny/fraga/", "/felanmalan/", REGISTER])
    def test_the_forms_offer_sms(self, client, handler, path):
        assert 'value="sms"' in client.get(path).content.decode()

    def test_an_opinion_answered_by_sms_gets_its_receipt_by_sms(self, client):
        category = OpinionCategoryFactory()
        response = client.post("/synpunkter/ny/fraga/", opinion_post(category))
        assert response.status_code == 302
        case = Case.objects.get()
        assert case.reply_channel == ReplyChannel.SMS
        created = case.updates.get(kind=UpdateKind.CREATED)
        assert created.notification.deliveries.get().to == "+46701234567"


class TestDeliveryStateOnTheCasePage:
    def reply(self, client, case, text="Lampan är lagad."):
        client.post(act_url(case, "reply"), prefixed("reply", text=text))
        return CaseUpdate.objects.filter(case=case, kind=UpdateKind.REPLY).latest("pk")

    def page(self, client, case):
        return client.get(reverse("feedback:staff_detail", args=[case.pk]))

    def test_a_reply_not_yet_sent_shows_queued(self, client, handler):
        case = sms_case()
        reply = self.reply(client, case)
        assert reply.notification.deliveries.get().status == DeliveryStatus.QUEUED
        assert "I kö" in history_of(self.page(client, case))

    def test_a_sent_reply_shows_sent_with_the_time(self, client, handler, drain):
        case = sms_case()
        self.reply(client, case)
        drain()
        [delivery] = Delivery.objects.filter(notification__template="feedback.reply")
        assert delivery.status == DeliveryStatus.SENT
        history = history_of(self.page(client, case))
        assert "Skickat</strong>, skickat" in history
        assert timezone.localtime(delivery.sent_at).strftime("%Y-%m-%d %H:%M") in history

    def test_a_reply_whose_sms_failed_shows_failed_not_sent(
        self, client, handler, drain, monkeypatch
    ):
        def unreachable(self, *, to, message):
            raise sms.SmsError("46elks unreachable: timed out")

        monkeypatch.setattr(sms.MemorySmsBackend, "send", unreachable)
        case = sms_case()
        self.reply(client, case)
        drain()
        history = history_of(self.page(client, case))
        assert "<strong>Misslyckat, försöker igen</strong>, nästa försök" in history
        assert "Skickat" not in history

    def test_a_reply_the_worker_gave_up_on_shows_it(self, client, handler, drain, monkeypatch):
        def refused(self, *, to, message):
            raise sms.SmsError("46elks 403: no credit", permanent=True)

        monkeypatch.setattr(sms.MemorySmsBackend, "send", refused)
        case = sms_case()
        self.reply(client, case)
        drain()
        assert "<strong>Gav upp</strong>" in history_of(self.page(client, case))

    def test_a_reply_without_an_outbox_record_says_so(self, client, handler):
        case = sms_case()
        reply = self.reply(client, case)
        reply.notification.delete()  # the outbox's retention removed it
        assert "Ingen uppgift om utskicket" in history_of(self.page(client, case))

    def test_the_page_costs_the_same_queries_with_more_replies(self, client, handler):
        case = sms_case()
        self.reply(client, case)
        with CaptureQueriesContext(connection) as one:
            self.page(client, case)
        for n in range(3):
            self.reply(client, case, text=f"Svar {n}")
        with CaptureQueriesContext(connection) as four:
            self.page(client, case)
        assert len(four) == len(one)


def test_a_reply_is_linked_to_the_notification_that_carried_it(db):
    case = make_case(reporter_email="anna@example.se", reply_channel=ReplyChannel.EMAIL)
    handler = UserFactory(role=Role.CONTACT_CENTRE)
    update = services.case_reply(case=case, actor=handler, text="Tack!")
    assert update.notification.template == "feedback.reply"
    assert update.notification.deliveries.get().to == "anna@example.se"
