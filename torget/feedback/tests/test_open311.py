"""Open311 GeoReport v2 under /open311/v2/, as an integration sees it: XML (the default and
required format) and JSON, errors as lists, and never the reporter's personal data."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.feedback import services
from torget.feedback.models import (
    ApiClient,
    AttributeType,
    Case,
    CaseStatus,
    CategoryAttribute,
    Kind,
    ReplyChannel,
    Source,
)
from torget.feedback.open311 import selectors as open311_selectors
from torget.feedback.tests.factories import (
    CategoryFactory,
    OpinionCategoryFactory,
    make_api_client,
    make_case,
)
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted input)


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def error_list(response, status: int, fmt: str = "xml") -> list[str]:
    """The descriptions of an Open311 error list, after checking its shape and codes."""
    assert response.status_code == status, response.content
    if fmt == "json":
        errors = as_json(response)
        assert isinstance(errors, list) and errors
        assert all(error["code"] == status for error in errors)
        return [error["description"] for error in errors]
    root = xml(response)
    assert root.tag == "errors"
    errors = root.findall("error")
    assert errors and [e.findtext("code") for e in errors] == [str(status)] * len(errors)
    return [e.findtext("description") for e in errors]


@pytest.fixture
def category():
    return CategoryFactory(
        name="Gatubelysning",
        code="gatubelysning",
        description="Trasiga eller släckta lampor",
        group="Gator och vägar",
        keywords="lampa, belysning",
        administration__name="Samhällsbyggnadsförvaltningen",
    )


@pytest.fixture
def key():
    return make_api_client()[1]


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


def post(client, fmt="xml", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


# --- Discovery and services ---------------------------------------------------------------------


class TestDiscovery:
    def test_xml_names_the_endpoint_and_both_formats(self, client):
        root = xml(client.get(f"{BASE}/discovery.xml"))
        assert root.tag == "discovery"
        endpoint = root.find("endpoints/endpoint")
        assert endpoint.findtext("url") == "http://testserver/open311/v2"
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == [
            "text/xml",
            "application/json",
        ]
        assert datetime.datetime.fromisoformat(root.findtext("changeset")).tzinfo is not None

    def test_json_is_an_object_with_the_same_endpoint(self, client):
        document = as_json(client.get(f"{BASE}/discovery.json"))
        assert document["endpoints"][0]["url"] == "http://testserver/open311/v2"
        assert document["endpoints"][0]["formats"] == ["text/xml", "application/json"]

    def test_without_extension_the_answer_is_xml(self, client):
        assert xml(client.get(f"{BASE}/discovery")).tag == "discovery"

    def test_open311_root_answers_discovery_document(self, client):
        # A client given only the base address finds the endpoints and the specification.
        response = client.get(f"{BASE}/")
        root = xml(response)
        assert root.tag == "discovery"
        endpoint = root.find("endpoints/endpoint")
        assert endpoint.findtext("url") == "http://testserver/open311/v2"
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert 'rel="service-doc"' in response["Link"]
        assert "wiki.open311.org/GeoReport_v2" in response["Link"]
        # JSON like the other endpoints: asked for by ?format=json or the Accept header.
        for answer in (
            client.get(f"{BASE}/", {"format": "json"}),
            client.get(f"{BASE}/", headers={"Accept": "application/json"}),
        ):
            document = as_json(answer)
            assert document["endpoints"][0]["url"] == "http://testserver/open311/v2"
            assert document["endpoints"][0]["specification"] == (
                "http://wiki.open311.org/GeoReport_v2"
            )
        assert xml(client.get(f"{BASE}/", headers={"Accept": "text/html"})).tag == "discovery"
        assert client.post(f"{BASE}/").status_code == 405

    def test_an_unknown_format_is_404(self, client, category):
        for path in ["discovery.csv", "services.html", "requests.yaml", "services/x.php"]:
            assert error_list(client.get(f"{BASE}/{path}"), 404), path


class TestServices:
    @pytest.fixture
    def categories(self, category):
        CategoryAttribute.objects.create(
            category=category, code="stolpnummer", description="Stolpens nummer"
        )
        plain = CategoryFactory(name="Klotter", code="klotter")
        CategoryFactory(name="Nedlagd", code="nedlagd", is_active=False)
        OpinionCategoryFactory(name="Skolmat", code="skolmat")
        return category, plain

    def test_xml_lists_active_fault_categories_only(self, client, categories):
        root = xml(client.get(f"{BASE}/services.xml"))
        assert root.tag == "services"
        services_ = {s.findtext("service_code"): s for s in root.findall("service")}
        assert set(services_) == {"gatubelysning", "klotter"}
        lamp = services_["gatubelysning"]
        assert [child.tag for child in lamp] == [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ]
        assert lamp.findtext("service_name") == "Gatubelysning"
        assert lamp.findtext("description") == "Trasiga eller släckta lampor"
        assert lamp.findtext("metadata") == "true"
        assert lamp.findtext("type") == "realtime"
        assert lamp.findtext("keywords") == "lampa, belysning"
        assert lamp.findtext("group") == "Gator och vägar"
        assert services_["klotter"].findtext("metadata") == "false"

    def test_json_is_a_bare_array_with_codes_as_strings(self, client, categories):
        document = as_json(client.get(f"{BASE}/services.json"))
        assert isinstance(document, list)
        lamp = next(s for s in document if s["service_code"] == "gatubelysning")
        assert lamp["metadata"] is True and lamp["type"] == "realtime"
        assert {s["service_code"] for s in document} == {"gatubelysning", "klotter"}

    @pytest.fixture
    def attributes(self, category):
        CategoryAttribute.objects.create(
            category=category,
            code="typ",
            description="Vad är fel?",
            datatype=AttributeType.SINGLE,
            required=True,
            order=1,
            values=[
                {"key": "slackt", "name": "Lampan lyser inte"},
                {"key": "blinkar", "name": "Blinkar"},
            ],
        )
        CategoryAttribute.objects.create(
            category=category,
            code="stolpnummer",
            description="Stolpens nummer",
            datatype_description="Står på en skylt på stolpen",
            order=2,
        )
        return category

    def test_xml_definition_lists_the_attributes_with_their_values(self, client, attributes):
        root = xml(client.get(f"{BASE}/services/gatubelysning.xml"))
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == "gatubelysning"
        first, second = root.findall("attributes/attribute")
        assert [child.tag for child in first] == [
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ]
        assert first.findtext("code") == "typ"
        assert first.findtext("datatype") == "singlevaluelist"
        assert first.findtext("required") == "true" and first.findtext("variable") == "true"
        assert [(v.findtext("key"), v.findtext("name")) for v in first.findall("values/value")] == [
            ("slackt", "Lampan lyser inte"),
            ("blinkar", "Blinkar"),
        ]
        assert second.findtext("datatype_description") == "Står på en skylt på stolpen"
        assert second.findtext("required") == "false" and second.find("values") is not None

    def test_json_definition(self, client, attributes):
        document = as_json(client.get(f"{BASE}/services/gatubelysning.json"))
        assert document["service_code"] == "gatubelysning"
        assert document["attributes"][0]["values"][1] == {"key": "blinkar", "name": "Blinkar"}
        assert document["attributes"][0]["required"] is True
        assert document["attributes"][1]["order"] == 2

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_an_unknown_or_inactive_service_is_404(self, client, fmt):
        CategoryFactory(code="nedlagd", is_active=False)
        OpinionCategoryFactory(code="skolmat")
        for code in ["finns-inte", "nedlagd", "skolmat"]:
            assert error_list(client.get(f"{BASE}/services/{code}.{fmt}"), 404, fmt)


# --- POST requests ------------------------------------------------------------------------------


class TestPost:
    def test_xml_answer_has_the_case_number_token_and_notice(self, client, category, key):
        response = post(
            client,
            api_key=key,
            service_code="gatubelysning",
            lat="58.5",
            long="15.5",
            description="Lampan vid busshållplatsen är släckt.",
            email="Anna@Example.se",
            first_name="Anna",
            last_name="Andersson",
        )
        assert response.status_code == 200, response.content
        root = xml(response)
        assert root.tag == "service_requests"
        (answer,) = root.findall("request")
        case = Case.objects.get()
        assert answer.findtext("service_request_id") == case.number
        assert answer.findtext("token") == case.api_token and len(case.api_token) >= 30
        assert case.respond_by.isoformat() in answer.findtext("service_notice")
        assert case.kind == Kind.FAULT and case.source == Source.OPEN311
        assert case.api_client == ApiClient.objects.get()
        assert (case.lat, case.lon) == (58.5, 15.5)
        assert case.reporter_name == "Anna Andersson"
        assert case.reporter_email == "anna@example.se"
        assert case.reply_channel == ReplyChannel.EMAIL
        assert case.is_public and case.is_open

    def test_json_answer_is_a_bare_array(self, client, category, key):
        response = post(
            client, "json", api_key=key, service_code="gatubelysning", address_string="Storgatan 1"
        )
        (answer,) = as_json(response)
        case = Case.objects.get()
        assert answer["service_request_id"] == case.number and answer["token"] == case.api_token
        assert case.address == "Storgatan 1"
        # GeoReport v2 makes the description optional: the service's name stands in.
        assert case.description == "Gatubelysning"

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    @pytest.mark.parametrize("given", [None, "", "fel-nyckel"])
    def test_a_missing_or_wrong_key_is_403_and_nothing_is_saved(
        self, client, category, key, fmt, given
    ):
        data = {"service_code": "gatubelysning", "address_string": "Storgatan 1"}
        if given is not None:
            data["api_key"] = given
        (description,) = error_list(post(client, fmt, **data), 403, fmt)
        assert "api_key" in description
        assert not Case.objects.exists()

    def test_a_deactivated_integration_is_403(self, client, category, key):
        ApiClient.objects.update(is_active=False)
        response = post(client, api_key=key, service_code="gatubelysning", address_string="x")
        assert error_list(response, 403)

    def test_api_key_and_jurisdiction_id_in_the_query_string_are_accepted(
        self, client, category, key
    ):
        response = client.post(
            f"{BASE}/requests.xml?api_key={key}&jurisdiction_id=storeby.se",
            {"service_code": "gatubelysning", "address_string": "Storgatan 1"},
        )
        assert response.status_code == 200, response.content
        assert Case.objects.get().api_client.name == "Felanmälningsappen"

    def test_jurisdiction_id_in_the_body_is_accepted(self, client, category, key):
        response = post(
            client,
            api_key=key,
            jurisdiction_id="storeby.se",
            service_code="gatubelysning",
            address_string="Storgatan 1",
        )
        assert response.status_code == 200

    def test_post_needs_no_csrf_token(self, category, key):
        response = post(
            Client(enforce_csrf_checks=True),
            api_key=key,
            service_code="gatubelysning",
            address_string="Storgatan 1",
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("code", [None, "finns-inte", "skolmat"])
    def test_a_missing_or_unknown_service_code_is_400(self, client, key, code):
        OpinionCategoryFactory(code="skolmat")
        data = {"api_key": key, "address_string": "Storgatan 1"}
        if code:
            data["service_code"] = code
        (description,) = error_list(post(client, **data), 400)
        assert description.startswith("service_code: ")
        assert not Case.objects.exists()

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_a_report_without_a_place_is_400(self, client, category, key, fmt):
        response = post(client, fmt, api_key=key, service_code="gatubelysning", description="Hej")
        (description,) = error_list(response, 400, fmt)
        assert "address_string" in description
        assert not Case.objects.exists()

    def test_half_a_point_or_a_bad_number_is_400(self, client, category, key):
        base = {"api_key": key, "service_code": "gatubelysning"}
        assert error_list(post(client, **base, lat="58.5"), 400) == [
            "long: ange både lat och long."
        ]
        (description,) = error_list(post(client, **base, lat="norr", long="15.5"), 400)
        assert description.startswith("lat: ")
        assert error_list(post(client, **base, lat="58.5", long="inf"), 400)
        assert not Case.objects.exists()

    def test_a_point_outside_the_municipality_is_400(self, client, category, key):
        AreaFactory(kind=AreaKind.MUNICIPALITY, geometry=square(15.0, 58.0, 1.0))
        response = post(client, api_key=key, service_code="gatubelysning", lat="10", long="10")
        (description,) = error_list(response, 400)
        assert description.startswith("lat: Platsen ligger utanför kommunen")
        assert not Case.objects.exists()

    def test_address_id_is_kept_when_there_is_no_address_string(self, client, category, key):
        post(client, api_key=key, service_code="gatubelysning", address_id="LM-4711")
        case = Case.objects.get()
        assert case.address == "adress-id: LM-4711"
        root = xml(client.get(f"{BASE}/requests/{case.number}.xml"))
        assert root.findtext("request/address_id") == "LM-4711"
        assert root.findtext("request/address") == ""

    def test_a_description_over_4000_characters_is_400(self, client, category, key):
        base = {"api_key": key, "service_code": "gatubelysning", "address_string": "Storgatan 1"}
        (description,) = error_list(post(client, **base, description="x" * 4001), 400)
        assert description.startswith("description: ") and "4000" in description
        assert not Case.objects.exists()
        assert post(client, **base, description="x" * 4000).status_code == 200

    def test_a_bad_media_url_or_email_is_400(self, client, category, key):
        base = {"api_key": key, "service_code": "gatubelysning", "address_string": "Storgatan 1"}
        (description,) = error_list(post(client, **base, media_url="javascript:alert(1)"), 400)
        assert description.startswith("media_url: ")
        (description,) = error_list(post(client, **base, email="inte en adress"), 400)
        assert description.startswith("email: ")
        assert not Case.objects.exists()

    def test_a_mobile_number_alone_is_answered_by_sms(self, client, category, key):
        post(
            client,
            api_key=key,
            service_code="gatubelysning",
            address_string="Storgatan 1",
            phone="070-123 45 67",
        )
        case = Case.objects.get()
        assert case.reply_channel == ReplyChannel.SMS and case.reporter_phone == "+46701234567"

    def test_a_landline_number_alone_is_answered_by_a_call(self, client, category, key):
        post(
            client,
            api_key=key,
            service_code="gatubelysning",
            address_string="Storgatan 1",
            phone="08-123 456 78",
        )
        assert Case.objects.get().reply_channel == ReplyChannel.PHONE

    def test_empty_optional_parameters_count_as_missing(self, client, category, key):
        response = post(
            client,
            api_key=key,
            jurisdiction_id="",
            service_code="gatubelysning",
            lat="",
            long="",
            address_string="Storgatan 1",
            address_id="",
            email="",
            phone="",
            first_name="",
            last_name="",
            media_url="",
            description="Släckt",
        )
        assert response.status_code == 200, response.content
        case = Case.objects.get()
        assert case.lat is None and case.reply_channel == ReplyChannel.NONE
        assert case.media_url == "" and case.reporter_name == ""

    def test_too_many_posts_by_one_integration_are_refused(self, client, category, key, settings):
        settings.OPEN311_POSTS_PER_MINUTE = 2
        base = {"api_key": key, "service_code": "gatubelysning", "address_string": "Storgatan 1"}
        other = make_api_client("Annan app")[1]
        with freeze_time("2026-11-29 10:00:05+01:00"):
            assert post(client, **base).status_code == 200
            assert post(client, **base).status_code == 200
            assert error_list(post(client, **base), 429)
            assert post(client, **(base | {"api_key": other})).status_code == 200
        assert Case.objects.count() == 3


class TestAttributes:
    @pytest.fixture
    def category(self, category):
        CategoryAttribute.objects.create(
            category=category,
            code="typ",
            description="Vad är fel?",
            datatype=AttributeType.SINGLE,
            required=True,
            values=[{"key": "slackt", "name": "Släckt"}, {"key": "blinkar", "name": "Blinkar"}],
        )
        CategoryAttribute.objects.create(
            category=category,
            code="tider",
            description="När?",
            datatype=AttributeType.MULTI,
            values=[{"key": "natt", "name": "Natt"}, {"key": "dag", "name": "Dag"}],
        )
        CategoryAttribute.objects.create(
            category=category, code="antal", description="Hur många?", datatype=AttributeType.NUMBER
        )
        return category

    def base(self, key):
        return {"api_key": key, "service_code": "gatubelysning", "address_string": "Storgatan 1"}

    def test_single_and_multiple_values_are_stored(self, client, category, key):
        data = self.base(key) | {
            "attribute[typ]": "blinkar",
            "attribute[tider][]": ["natt", "dag"],
            "attribute[antal]": "3",
        }
        assert post(client, **data).status_code == 200
        assert Case.objects.get().attributes == {
            "typ": "blinkar",
            "tider": ["natt", "dag"],
            "antal": "3",
        }

    def test_a_missing_required_attribute_is_400(self, client, category, key):
        (description,) = error_list(post(client, **self.base(key)), 400)
        assert description == "attribute[typ]: frågan måste besvaras."
        empty = self.base(key) | {"attribute[typ]": ""}
        assert error_list(post(client, **empty), 400) == [description]
        assert not Case.objects.exists()

    def test_values_outside_the_list_or_not_numbers_are_400(self, client, category, key):
        data = self.base(key) | {
            "attribute[typ]": "brinner",
            "attribute[tider][]": ["natt", "kvall"],
            "attribute[antal]": "många",
        }
        descriptions = error_list(post(client, **data), 400)
        assert sorted(descriptions) == [
            "attribute[antal]: ange ett tal.",
            "attribute[tider]: okänt val: kvall.",
            "attribute[typ]: okänt val: brinner.",
        ]
        assert not Case.objects.exists()

    def test_a_single_value_question_takes_one_answer(self, client, category, key):
        data = self.base(key) | {"attribute[typ][]": ["slackt", "blinkar"]}
        assert error_list(post(client, **data), 400) == [
            "attribute[typ]: frågan tar bara ett svar."
        ]


# --- GET requests -------------------------------------------------------------------------------


def posted_case(client, key, **data) -> Case:
    fields = {"api_key": key, "service_code": "gatubelysning", "lat": "58.5", "long": "15.5"}
    response = post(client, **(fields | data))
    assert response.status_code == 200, response.content
    return Case.objects.get(number=xml(response).findtext("request/service_request_id"))


class TestGetRequests:
    def test_xml_shows_every_field_of_a_public_report(self, client, category, key, handler):
        with freeze_time("2026-11-27 09:30:00+01:00"):
            case = posted_case(client, key, description="Lampan blinkar")
        with freeze_time("2026-11-28 10:00:00+01:00"):
            services.case_set_visibility(
                case=case, actor=handler, is_public=True, public_description="Lampa trasig"
            )
            services.case_reply(
                case=case,
                actor=handler,
                text="Vi byter lampan i veckan.",
                public=True,
                status=CaseStatus.objects.get(slug="pagar"),
            )
        with freeze_time("2026-11-29 10:00:00+01:00"):
            root = xml(client.get(f"{BASE}/requests.xml"))
        assert root.tag == "service_requests"
        (request,) = root.findall("request")
        assert [child.tag for child in request] == REQUEST_FIELDS
        case.refresh_from_db()
        assert request.findtext("service_request_id") == case.number
        assert request.findtext("status") == "open"
        assert request.findtext("status_notes") == "Pågår. Vi byter lampan i veckan."
        assert request.findtext("service_name") == "Gatubelysning"
        assert request.findtext("service_code") == "gatubelysning"
        assert request.findtext("description") == "Lampa trasig"
        assert request.findtext("agency_responsible") == "Samhällsbyggnadsförvaltningen"
        assert request.findtext("requested_datetime") == "2026-11-27T09:30:00+01:00"
        assert request.findtext("updated_datetime") == "2026-11-28T10:00:00+01:00"
        # Answered: no first response is awaited any more.
        assert request.findtext("expected_datetime") == ""
        assert (request.findtext("lat"), request.findtext("long")) == ("58.5", "15.5")
        assert request.findtext("media_url") == ""

    def test_json_is_a_bare_array_with_numbers_and_iso_dates(self, client, category, key):
        with freeze_time("2026-11-27 09:30:00+01:00"):
            case = posted_case(client, key)
        with freeze_time("2026-11-29 10:00:00+01:00"):
            (request,) = as_json(client.get(f"{BASE}/requests.json"))
        assert list(request) == REQUEST_FIELDS
        assert request["service_request_id"] == case.number
        assert request["lat"] == 58.5 and request["long"] == 15.5
        assert request["requested_datetime"] == "2026-11-27T09:30:00+01:00"
        assert request["status_notes"] == "Mottaget"
        assert request["description"] == ""
        # Open and unanswered: due by the end of its respond_by day.
        assert request["expected_datetime"] == f"{case.respond_by.isoformat()}T23:59:00+01:00"

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_the_reporters_personal_data_and_text_are_never_shown(self, client, category, key, fmt):
        case = posted_case(
            client,
            key,
            description="Hemlig beskrivning från Anna",
            email="anna.andersson@example.se",
            phone="070-123 45 67",
            first_name="Annabella",
            last_name="Anderssonsdotter",
        )
        list_body = client.get(f"{BASE}/requests.{fmt}").content.decode()
        detail_body = client.get(f"{BASE}/requests/{case.number}.{fmt}").content.decode()
        for body in (list_body, detail_body):
            assert case.number in body
            for secret in [
                "Hemlig beskrivning",
                "anna.andersson",
                "example.se",
                "701234567",
                "123 45 67",
                "Annabella",
                "Anderssonsdotter",
                case.token,
                case.api_token,
            ]:
                assert secret not in body

    def test_hidden_reports_merged_duplicates_and_opinions_are_absent(
        self, client, category, key, handler
    ):
        shown = make_case(category=category)
        hidden = make_case(category=category)
        services.case_set_visibility(case=hidden, actor=handler, is_public=False)
        duplicate = make_case(category=category)
        services.case_merge(duplicate=duplicate, into=shown, actor=handler)
        opinion = make_case(kind=Kind.COMPLAINT, description="Maten är kall.")
        numbers = [
            r.findtext("service_request_id") for r in xml(client.get(f"{BASE}/requests.xml"))
        ]
        assert numbers == [shown.number]
        for case in (hidden, duplicate, opinion):
            assert error_list(client.get(f"{BASE}/requests/{case.number}.xml"), 404)
            listed = client.get(f"{BASE}/requests.json", {"service_request_id": case.number})
            assert as_json(listed) == []

    def test_statuses_map_to_open_and_closed_and_filter(self, client, category, handler):
        open_case = make_case(category=category)
        closed_case = make_case(category=category)
        services.case_set_status(
            case=closed_case, actor=handler, status=CaseStatus.objects.get(slug="atgardat")
        )

        def statuses(**params):
            return {
                r["service_request_id"]: r["status"]
                for r in as_json(client.get(f"{BASE}/requests.json", params))
            }

        assert statuses() == {open_case.number: "open", closed_case.number: "closed"}
        assert statuses(status="open") == {open_case.number: "open"}
        assert statuses(status="closed") == {closed_case.number: "closed"}
        assert len(statuses(status="open,closed")) == 2
        assert statuses(status="") == statuses()
        assert error_list(client.get(f"{BASE}/requests.xml", {"status": "pågår"}), 400)

    def test_newest_first_and_filtered_by_service_code(self, client, category):
        other = CategoryFactory(code="klotter")
        with freeze_time("2026-11-01 12:00:00+01:00"):
            older = make_case(category=category)
        with freeze_time("2026-11-02 12:00:00+01:00"):
            newer = make_case(category=category)
            graffiti = make_case(category=other)
        with freeze_time("2026-11-29 12:00:00+01:00"):
            root = xml(client.get(f"{BASE}/requests.xml"))
            codes = xml(client.get(f"{BASE}/requests.xml", {"service_code": "gatubelysning"}))
            both = as_json(
                client.get(f"{BASE}/requests.json", {"service_code": "klotter,gatubelysning"})
            )
        assert [r.findtext("service_request_id") for r in root] == [
            graffiti.number,
            newer.number,
            older.number,
        ]
        assert [r.findtext("service_request_id") for r in codes] == [newer.number, older.number]
        assert len(both) == 3

    def test_the_last_90_days_by_default_and_the_window_given(self, client, category):
        with freeze_time("2026-08-01 12:00:00+02:00"):
            old = make_case(category=category)
        with freeze_time("2026-11-20 12:00:00+01:00"):
            recent = make_case(category=category)

        def numbers(**params):
            return [
                r["service_request_id"]
                for r in as_json(client.get(f"{BASE}/requests.json", params))
            ]

        with freeze_time("2026-11-29 12:00:00+01:00"):
            assert numbers() == [recent.number]
            assert numbers(start_date="", end_date="") == [recent.number]
            assert numbers(start_date="2026-07-15T00:00:00+02:00") == [old.number]
            assert numbers(end_date="2026-08-02T00:00:00Z") == [old.number]
            assert numbers(start_date="2026-07-30", end_date="2026-08-01") == [old.number]
            assert numbers(start_date="2026-07-30", end_date="2026-07-31") == []
            # A "+" sent unencoded arrives as a space.
            assert numbers(
                start_date="2026-11-20T11:00:00 01:00", end_date="2026-11-20T13:00:00 01:00"
            ) == [recent.number]

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    @pytest.mark.parametrize(
        ("params", "name"),
        [
            ({"start_date": "igår"}, "start_date"),
            ({"end_date": "2026-13-45T10:00:00+01:00"}, "end_date"),
            (
                {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
                "end_date",
            ),
            (
                {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},
                "end_date",
            ),
        ],
    )
    def test_bad_dates_and_ranges_over_90_days_are_400(self, client, fmt, params, name):
        (description,) = error_list(client.get(f"{BASE}/requests.{fmt}", params), 400, fmt)
        assert description.startswith(f"{name}: ")

    def test_exactly_90_days_is_allowed(self, client):
        response = client.get(
            f"{BASE}/requests.xml",
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"},
        )
        assert response.status_code == 200

    def test_service_request_ids_override_every_other_filter(self, client, category):
        with freeze_time("2025-01-01 12:00:00+01:00"):
            old = make_case(category=category)
        recent = make_case(category=category)
        make_case(category=category)
        params = {
            "service_request_id": f"{old.number}, {recent.number},2026-99999",
            "service_code": "klotter",
            "status": "closed",
            "start_date": "2026-01-01T00:00:00Z",
        }
        found = as_json(client.get(f"{BASE}/requests.json", params))
        assert [r["service_request_id"] for r in found] == [recent.number, old.number]

    def test_at_most_the_limit_newest_first(self, client, category, monkeypatch):
        monkeypatch.setattr(open311_selectors, "MAX_RESULTS", 2)
        cases = []
        for day in range(1, 5):
            with freeze_time(f"2026-11-{day:02d} 12:00:00+01:00"):
                cases.append(make_case(category=category))
        with freeze_time("2026-11-29 12:00:00+01:00"):
            found = as_json(client.get(f"{BASE}/requests.json"))
        assert [r["service_request_id"] for r in found] == [cases[3].number, cases[2].number]

    def test_the_limit_is_1000(self):
        assert open311_selectors.MAX_RESULTS == 1000

    def test_one_query_for_the_list(self, client, category, handler, django_assert_num_queries):
        for _ in range(3):
            case = make_case(category=category)
            services.case_reply(case=case, actor=handler, text="Svar", public=True)
        with django_assert_num_queries(1):
            found = as_json(client.get(f"{BASE}/requests.json"))
        assert [r["status_notes"] for r in found] == ["Mottaget. Svar"] * 3

    def test_a_public_photo_is_the_media_url(self, client, category, key, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        jpeg = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(jpeg, "JPEG")
        with_photo = make_case(category=category, photos=[ContentFile(jpeg.getvalue(), "a.jpg")])
        linked = posted_case(client, key, media_url="https://app.example/bild/1.jpg")
        found = {
            r["service_request_id"]: r["media_url"]
            for r in as_json(client.get(f"{BASE}/requests.json"))
        }
        photo = with_photo.photos.get()
        assert found[with_photo.number] == f"http://testserver{photo.public_url()}"
        assert "/media/" not in found[with_photo.number]
        assert found[linked.number] == "https://app.example/bild/1.jpg"
        photo.is_public = False
        photo.save()
        (request,) = as_json(client.get(f"{BASE}/requests/{with_photo.number}.json"))
        assert request["media_url"] == ""


class TestRequestDetail:
    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_one_public_report(self, client, category, fmt):
        case = make_case(category=category, address="Storgatan 1")
        response = client.get(f"{BASE}/requests/{case.number}.{fmt}")
        if fmt == "xml":
            (request,) = xml(response).findall("request")
            assert request.findtext("service_request_id") == case.number
            assert request.findtext("address") == "Storgatan 1"
        else:
            (request,) = as_json(response)
            assert request["service_request_id"] == case.number
            assert request["address"] == "Storgatan 1"

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_an_unknown_number_is_404(self, client, fmt):
        assert error_list(client.get(f"{BASE}/requests/2026-99999.{fmt}"), 404, fmt)


class TestTokens:
    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_a_token_gives_the_case_number(self, client, category, key, fmt):
        case = posted_case(client, key, address_string="Storgatan 1")
        response = client.get(f"{BASE}/tokens/{case.api_token}.{fmt}")
        if fmt == "xml":
            request = xml(response).find("request")
            assert request.findtext("service_request_id") == case.number
            assert request.findtext("token") == case.api_token
        else:
            assert as_json(response) == [
                {"service_request_id": case.number, "token": case.api_token}
            ]

    def test_an_unknown_token_or_the_follow_token_is_404(self, client, category, key):
        case = posted_case(client, key)
        assert error_list(client.get(f"{BASE}/tokens/okand.xml"), 404)
        assert error_list(client.get(f"{BASE}/tokens/{case.token}.xml"), 404)


def test_only_get_and_post_where_the_standard_has_them(client, category):
    assert error_list(client.post(f"{BASE}/services.xml"), 405)
    assert error_list(client.delete(f"{BASE}/requests.json"), 405, "json")


def test_control_characters_from_a_client_are_refused_as_the_web_form_refuses_them(
    client, category, key
):
    fields = {"api_key": key, "service_code": "gatubelysning", "lat": "58.5", "long": "15.5"}
    response = post(client, **fields, address_string="Storgatan\x0b 1\x01")
    (description,) = error_list(response, 400)
    assert description.startswith("address_string: ")
    assert not Case.objects.exists()


def test_control_characters_already_stored_still_make_valid_xml(client, category, key):
    case = posted_case(client, key, address_string="Storgatan 1")
    # Stored before the parameters were checked (or by hand in the database).
    Case.objects.filter(pk=case.pk).update(address="Storgatan\x0b 1\x01")
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.findtext("request/address") == "Storgatan 1"


def test_timestamps_carry_the_time_zone(client, category):
    with freeze_time("2026-07-01 08:00:00+00:00"):
        make_case(category=category)
    with freeze_time("2026-07-02 08:00:00+00:00"):
        (request,) = as_json(client.get(f"{BASE}/requests.json"))
    moment = datetime.datetime.fromisoformat(request["requested_datetime"])
    assert request["requested_datetime"].endswith("+02:00")
    assert moment == datetime.datetime(2026, 7, 1, 8, tzinfo=datetime.UTC)
    assert timezone.is_aware(moment)
