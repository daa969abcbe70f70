"""The outside probe's examples, one test each: every one gave a server error or stored bad
input before. The property tests beside this file cover their whole classes."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fuzz.harness import rolled_back
from tests.fuzz.invariants import problems, saved_instances
from tests.fuzz.strategies import _long_email

# One worker runs the whole module: its demo is loaded once (tests/fuzz/harness.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz-probe-examples")]
EMAIL_255 = _long_email(255)
EMAIL_320 = _long_email(320)


@pytest.fixture
def staff(demo_site) -> Client:
    from torget.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="admin@demo.storeby.example"))
    return client


@pytest.fixture(autouse=True)
def _each_in_a_savepoint(demo_site):
    with rolled_back():
        yield


def _stored_nothing_invalid(saved) -> None:
    assert [p for instance in saved.stored() for p in problems(instance)] == []


class TestOutOfRangeDates:
    @pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-01"])
    def test_public_statistics_with_a_month_out_of_range_says_so(self, month):
        response = Client().get("/statistik/synpunkter/", {"fran": month})
        assert response.status_code == 200
        assert "Välj ett datum mellan" in response.content.decode() or (
            "Skriv månaden" in response.content.decode()
        )

    def test_staff_statistics_and_csv_with_year_9999_are_no_server_errors(self, staff):
        assert staff.get("/personal/arenden/statistik/", {"till": "9999-12"}).status_code == 200
        assert staff.get("/personal/arenden/statistik.csv", {"fran": "9999-12"}).status_code < 500

    @pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "0001-01-01T00:00:00Z"])
    def test_open311_search_with_a_date_out_of_range_is_a_400(self, day):
        response = Client().get("/open311/v2/requests.json", {"start_date": day})
        assert response.status_code == 400
        assert "start_date" in response.json()[0]["description"]


class TestIdsThatAreNoIds:
    @pytest.mark.parametrize("value", ["²", "9" * 5000, "٣", "9" * 30])
    def test_proposal_list_filter_with_a_strange_number_shows_the_list(self, value):
        assert Client().get("/forslag/", {"kategori": value}).status_code == 200
        assert Client().get("/forslag/", {"omrade": value}).status_code == 200

    def test_dialogue_request_with_an_area_of_30_digits_is_refused_not_a_crash(self):
        response = Client().post(
            "/dialoger/foresla/",
            {
                "title": "Lekplats",
                "summary": "En lekplats behövs.",
                "areas": "9" * 30,
                "requester_name": "Ada",
                "requester_email": "ada@example.se",
            },
        )
        assert response.status_code in (200, 400)
        assert "data-error-summary" in response.content.decode()

    @pytest.mark.parametrize("value", ["abc", "²", "9" * 5000])
    def test_staff_post_with_a_non_numeric_item_is_a_404(self, staff, value):
        from torget.meetings.models import Meeting

        meeting = Meeting.objects.order_by("pk").first()
        for action, name in [("ta-bort", "item"), ("upp", "item")]:
            url = f"/personal/moten/{meeting.pk}/agenda/{action}/"
            assert staff.post(url, {name: value}).status_code in (400, 404)
        url = f"/personal/moten/{meeting.pk}/dokumentation/ta-bort-bilaga/"
        assert staff.post(url, {"attachment": value}).status_code in (400, 404)


class TestLongEmailAddresses:
    @pytest.mark.parametrize("email", [EMAIL_255, EMAIL_320])
    def test_sign_up_refuses_it_and_creates_no_account(self, email):
        from torget.accounts.models import User

        response = Client().post(
            "/konto/registrera/",
            {
                "email": email,
                "password1": "ett-langt-losenord-9",
                "password2": "ett-langt-losenord-9",
            },
        )
        assert response.status_code == 200
        assert not User.objects.filter(email__startswith="a" * 64).exists()

    @pytest.mark.parametrize("email", [EMAIL_255, EMAIL_320])
    def test_following_an_area_refuses_it(self, email):
        from torget.geo.models import Area
        from torget.notifications.models import Subscription

        area = Area.objects.order_by("pk").first()
        response = Client().post(f"/bevaka/omrade/{area.pk}/", {"email": email, "by_email": "on"})
        assert response.status_code == 200
        assert not Subscription.objects.filter(email__startswith="a" * 64).exists()

    def test_dialogue_request_refuses_it(self):
        from torget.dialogues.models import Dialogue

        response = Client().post(
            "/dialoger/foresla/",
            {
                "title": "Lekplats",
                "summary": "En lekplats behövs.",
                "requester_name": "Ada",
                "requester_email": EMAIL_320,
            },
        )
        assert response.status_code in (200, 400)
        assert not Dialogue.objects.filter(requester_email__startswith="a" * 64).exists()

    def test_an_opinion_refuses_it_and_stores_nothing(self):
        from torget.feedback.models import Case, Category, CategoryUse

        category = Category.objects.filter(use=CategoryUse.OPINION, is_active=True).first()
        kind = "fraga"
        with saved_instances() as saved:
            response = Client().post(
                f"/synpunkter/ny/{kind}/",
                {
                    "category": category.pk,
                    "description": "Hej",
                    "reporter_email": EMAIL_255,
                    "reply_channel": "email",
                },
            )
        assert response.status_code in (200, 400, 404)
        assert not Case.objects.filter(reporter_email__startswith="a" * 64).exists()
        _stored_nothing_invalid(saved)

    def test_open311_refuses_it_with_a_400(self, open311_key, fault_code):
        from torget.feedback.models import Case

        response = Client().post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_key,
                "service_code": fault_code,
                "address_string": "Storgatan 1",
                "email": EMAIL_255,
            },
        )
        assert response.status_code == 400
        assert "email" in response.json()[0]["description"]
        assert not Case.objects.filter(reporter_email__startswith="a" * 64).exists()

    def test_a_meeting_question_refuses_it(self):
        from torget.meetings.models import AgendaQuestion, Meeting

        for meeting in Meeting.objects.all():
            response = Client().post(
                f"/moten/{meeting.pk}/fraga/",
                {
                    "fraga-text": "Varför?",
                    "fraga-email": EMAIL_255,
                    "text": "Varför?",
                    "email": EMAIL_255,
                },
            )
            assert response.status_code < 500
        assert not AgendaQuestion.objects.filter(email__startswith="a" * 64).exists()


@pytest.fixture
def open311_key(demo_site) -> str:
    from torget.feedback.tests.factories import make_api_client

    return make_api_client("Prov")[1]


@pytest.fixture
def fault_code(demo_site) -> str:
    from torget.feedback.models import Category, CategoryUse

    return Category.objects.filter(use=CategoryUse.FAULT, is_active=True).first().code


class TestControlCharacters:
    @pytest.mark.parametrize(
        "parameter", ["description", "address_string", "first_name", "last_name"]
    )
    @pytest.mark.parametrize("text", ["a\x00b", "hej\x1b[31m", "\x07"])
    def test_open311_refuses_them_in_any_text_parameter(
        self, open311_key, fault_code, parameter, text
    ):
        from torget.feedback.models import Case

        before = Case.objects.count()
        data = {
            "api_key": open311_key,
            "service_code": fault_code,
            "address_string": "Storgatan 1",
            parameter: text,
        }
        response = Client().post("/open311/v2/requests.json", data)
        assert response.status_code == 400
        assert parameter in response.json()[0]["description"]
        assert Case.objects.count() == before

    def test_a_web_form_refuses_them_too(self):
        from torget.meetings.models import AgendaQuestion, Meeting

        for meeting in Meeting.objects.all():
            Client().post(
                f"/moten/{meeting.pk}/fraga/",
                {"fraga-text": "Varför\x1b[31m?", "text": "Varför\x1b[31m?"},
            )
        assert not AgendaQuestion.objects.filter(text__contains="\x1b").exists()


class TestPhoneNumbers:
    def test_the_profile_refuses_a_number_that_does_not_exist(self, demo_site):
        from torget.accounts.models import User

        user = User.objects.get(email="medborgare@demo.storeby.example")
        client = Client()
        client.force_login(user)
        response = client.post(
            "/mina-sidor/uppgifter/",
            {"full_name": "Ada", "display_name": "Ada", "phone": "hej 123", "language": "sv"},
        )
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.phone != "hej 123"

    def test_a_reply_by_telephone_needs_a_number_that_exists(self):
        from torget.feedback import services
        from torget.feedback.models import Category, CategoryUse, Kind, ReplyChannel

        category = Category.objects.filter(use=CategoryUse.OPINION, is_active=True).first()
        question = {"kind": Kind.QUESTION, "category": category, "description": "Ring mig"}
        with pytest.raises(services.CaseError) as refused:
            services.case_create(
                **question, reporter_phone="inte ett nummer", reply_channel=ReplyChannel.PHONE
            )
        assert "reporter_phone" in refused.value.message_dict
        case = services.case_create(
            **question, reporter_phone="013-20 00 00", reply_channel=ReplyChannel.PHONE
        )
        assert case.reporter_phone == "+4613200000"
