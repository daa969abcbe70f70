import json

import pytest
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.feedback import services
from torget.feedback.models import Case, CaseStatus, Kind
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square
from torget.notifications.models import Delivery

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Min granne Sven Svensson på Storgatan 3 lämnar skräp"


@pytest.fixture
def town():
    return AreaFactory(kind=AreaKind.MUNICIPALITY, name="Storeby", geometry=square(15.0, 58.0, 1.0))


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


def fault_post(category, **changes):
    data = {
        "category": category.pk,
        "description": SECRET_TEXT,
        "lat": "58.5",
        "lon": "15.5",
        "address": "",
        "reporter_name": "Anna Andersson",
        "reporter_email": "anna@example.se",
        "reporter_phone": "",
        "reply_channel": "epost",
    }
    data.update(changes)
    return data


def test_the_entry_page_leads_to_every_form(client):
    html = client.get("/synpunkter/").content.decode()
    for path in [
        "/felanmalan/",
        "/synpunkter/ny/klagomal/",
        "/synpunkter/ny/fraga/",
        "/synpunkter/ny/ide/",
        "/synpunkter/ny/berom/",
    ]:
        assert f'href="{path}"' in html
    assert client.get("/synpunkter/ny/nagot-annat/").status_code == 404


def test_an_anonymous_opinion_gets_a_receipt_with_a_private_link(client):
    category = OpinionCategoryFactory(name="Skola och förskola")
    response = client.post(
        "/synpunkter/ny/fraga/",
        {"category": category.pk, "description": "När börjar terminen?", "reply_channel": "inget"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arende/{case.token}/kvitto/"
    assert case.kind == Kind.QUESTION and not case.is_public and case.is_anonymous
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert case.number in html and f"/arende/{case.token}/" in html
    assert "no-store" in receipt["Cache-Control"] and receipt["Referrer-Policy"] == "same-origin"
    assert not Delivery.objects.exists()


def test_a_fault_report_needs_a_place_and_nothing_is_saved_without_one(client, town):
    category = CategoryFactory()
    response = client.post("/felanmalan/", fault_post(category, lat="", lon=""))
    assert response.status_code == 400
    assert "Markera platsen på kartan eller beskriv var felet finns." in response.content.decode()
    assert not Case.objects.exists()


def test_a_fault_report_without_javascript_describes_the_place(client, town):
    category = CategoryFactory()
    response = client.post(
        "/felanmalan/", fault_post(category, lat="", lon="", address="Storgatan 1")
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.address == "Storgatan 1" and case.lat is None and case.is_public


def test_a_pin_outside_the_municipality_is_refused(client, town):
    category = CategoryFactory()
    response = client.post("/felanmalan/", fault_post(category, lat="59.5", lon="17.5"))
    assert response.status_code == 400
    assert "utanför kommunen" in response.content.decode()
    assert not Case.objects.exists()


def test_huge_text_is_refused(client, town):
    response = client.post("/felanmalan/", fault_post(CategoryFactory(), description="x" * 4001))
    assert response.status_code == 400 and not Case.objects.exists()


def test_open_reports_nearby_are_offered_before_sending(client, town):
    existing = make_case(lat=58.5001, lon=15.5001)
    response = client.post("/felanmalan/", fault_post(existing.category))
    html = response.content.decode()
    assert response.status_code == 200 and "Är felet redan anmält?" in html
    assert existing.get_absolute_url() in html
    assert f"/bevaka/felanmalan/{existing.pk}/" in html
    assert Case.objects.count() == 1
    response = client.post("/felanmalan/", fault_post(existing.category, not_duplicate="on"))
    assert response.status_code == 302 and Case.objects.count() == 2


def test_a_closed_report_or_another_category_nearby_is_not_offered(client, town, handler):
    closed = make_case(lat=58.5001, lon=15.5001)
    services.case_set_status(
        case=closed, status=CaseStatus.objects.get(slug="atgardat"), actor=handler
    )
    make_case(lat=58.5001, lon=15.5001)  # another category
    response = client.post("/felanmalan/", fault_post(closed.category))
    assert response.status_code == 302


def test_the_public_page_shows_no_personal_data(client, town, handler):
    response = client.post("/felanmalan/", fault_post(CategoryFactory(name="Gatubelysning")))
    case = Case.objects.get()
    services.case_note(case=case, actor=handler, text="Intern: ring Anna")
    services.case_reply(case=case, actor=handler, text="Vi lagar lampan på tisdag.", public=True)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Gatubelysning" in html and "Vi lagar lampan på tisdag." in html
    for secret in [
        SECRET_TEXT,
        "Anna Andersson",
        "anna@example.se",
        "Intern: ring Anna",
        case.token,
    ]:
        assert secret not in html
    assert response.status_code == 302


def test_the_follow_page_shows_replies_but_not_internal_notes(client, town, handler):
    case = make_case(
        reporter_email="anna@example.se", reply_channel="epost", description=SECRET_TEXT
    )
    services.case_note(case=case, actor=handler, text="Intern anteckning")
    services.case_reply(case=case, actor=handler, text="Tack, vi åtgärdar det.")
    response = client.get(case.follow_url())
    html = response.content.decode()
    assert "Tack, vi åtgärdar det." in html and SECRET_TEXT in html
    assert "Intern anteckning" not in html
    assert "noindex" in response["X-Robots-Tag"]
    assert client.get("/arende/" + "x" * 43 + "/").status_code == 404


def test_opinions_have_no_public_page(client):
    case = make_case(kind=Kind.COMPLAINT)
    assert client.get(f"/felanmalan/{case.number}/").status_code == 404


def test_a_hidden_report_leaves_the_public_page_list_and_map(client, town, handler):
    case = make_case()
    services.case_set_visibility(case=case, actor=handler, is_public=False)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.number not in client.get("/felanmalan/karta/").content.decode()
    data = client.get("/felanmalan/karta.geojson?bbox=15,58,16,59").json()
    assert data["features"] == []


def test_the_map_geojson_has_the_reports_in_the_box_without_personal_data(client, town):
    inside = make_case(
        reporter_name="Anna",
        reporter_email="anna@example.se",
        reply_channel="epost",
        description=SECRET_TEXT,
    )
    make_case(lat=58.9, lon=15.9)
    response = client.get("/felanmalan/karta.geojson?bbox=15.4,58.4,15.6,58.6")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert [f["properties"]["number"] for f in data["features"]] == [inside.number]
    assert data["features"][0]["geometry"]["coordinates"] == [15.5, 58.5]
    assert data["truncated"] is False
    body = response.content.decode()
    for secret in ["Anna", "anna@example.se", SECRET_TEXT, inside.token]:
        assert secret not in body


def test_the_map_caps_its_results(client, town, monkeypatch):
    from torget.feedback import selectors

    monkeypatch.setattr(selectors, "MAP_LIMIT", 2)
    for _ in range(3):
        make_case()
    data = client.get("/felanmalan/karta.geojson?bbox=15,58,16,59").json()
    assert len(data["features"]) == 2 and data["truncated"] is True


def test_the_list_filters_by_status(client, town, handler):
    open_case = make_case()
    done = make_case()
    services.case_set_status(
        case=done, status=CaseStatus.objects.get(slug="atgardat"), actor=handler
    )
    html = client.get(reverse("feedback:fault_map") + "?status=open").content.decode()
    assert open_case.number in html and done.number not in html


# --- Photos in the forms ---------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_photo_taken_on_the_spot_offers_its_position_for_the_pin(client, town, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from torget.feedback.tests.test_photos import photo_with_exif

    category = CategoryFactory()
    photo = SimpleUploadedFile("IMG_1.jpg", photo_with_exif(lat=58.61, lon=15.42), "image/jpeg")
    response = client.post("/felanmalan/", fault_post(category, lat="", lon="", photos=photo))
    html = response.content.decode()
    assert response.status_code == 400 and "Ditt foto innehåller platsen" in html
    assert 'name="lat" value="58.61' in html and 'name="lon" value="15.42' in html
    assert "Du har redan bifogat 1 foto" in html
    assert not Case.objects.exists()
    # Sent again as offered: the photo kept from the first round goes with the report.
    response = client.post("/felanmalan/", fault_post(category, lat="58.61", lon="15.42"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.photos.count() == 1
    with case.photos.get().image.open("rb") as handle:
        assert b"Exif" not in handle.read()
    assert round(case.lat, 2) == 58.61


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(client, town, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("lampa.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    response = client.post("/felanmalan/", fault_post(CategoryFactory(), photos=fake))
    assert response.status_code == 400 and "lampa.jpg" in response.content.decode()
    assert not Case.objects.exists()


def test_more_than_three_photos_are_refused(client, town, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from torget.feedback.tests.test_photos import photo_with_exif

    files = [SimpleUploadedFile(f"{i}.jpg", photo_with_exif(), "image/jpeg") for i in range(4)]
    response = client.post("/felanmalan/", fault_post(CategoryFactory(), photos=files))
    assert response.status_code == 400 and "högst 3 foton" in response.content.decode()
    assert not Case.objects.exists()


def test_a_proposal_moved_to_feedback_becomes_a_case_for_the_contact_centre(citizen):
    from torget.proposals import services as proposals
    from torget.proposals.tests.factories import ProposalFactory

    OpinionCategoryFactory(code="annat", name="Annat")
    official = user_with_role(Role.OFFICIAL)
    proposal = ProposalFactory(
        author=citizen, title="Trasig lampa", body="Lampan på min gata lyser inte."
    )
    proposals.proposal_move_to_feedback(
        proposal=proposal, actor=official, text="Vi gör det till en felanmälan."
    )
    case = Case.objects.get()
    assert case.source == "forslag" and case.category.code == "annat"
    assert case.reporter == citizen and case.reporter_email == citizen.email
    assert "Lampan på min gata lyser inte." in case.description


def test_the_chosen_categorys_extra_questions_are_asked_and_kept(client, town):
    from torget.feedback.models import CategoryAttribute

    lamp = CategoryFactory(name="Gatubelysning")
    other = CategoryFactory(name="Klotter")
    CategoryAttribute.objects.create(
        category=lamp, code="stolpnummer", description="Stolpens nummer", required=True
    )
    CategoryAttribute.objects.create(
        category=other,
        code="yta",
        description="Var sitter klottret?",
        datatype="singlevaluelist",
        values=[{"key": "vagg", "name": "Vägg"}, {"key": "skylt", "name": "Skylt"}],
        required=True,
    )
    page = client.get("/felanmalan/").content.decode()
    assert "Stolpens nummer" in page and "Var sitter klottret?" in page
    # The lamp's question is required when a lamp is reported, the graffiti's is not.
    response = client.post("/felanmalan/", fault_post(lamp, reply_channel="inget"))
    assert response.status_code == 400 and "Svara på frågan." in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(
        "/felanmalan/",
        fault_post(lamp, reply_channel="inget", **{f"attr_{lamp.code}__stolpnummer": "12-345"}),
    )
    assert response.status_code == 302
    assert Case.objects.get().attributes == {"stolpnummer": "12-345"}
    # A value outside a list's choices is refused.
    response = client.post(
        "/felanmalan/",
        fault_post(other, reply_channel="inget", lat="58.7", **{f"attr_{other.code}__yta": "tak"}),
    )
    assert response.status_code == 400 and Case.objects.count() == 1
