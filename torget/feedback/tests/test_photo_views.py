"""A case's photos are served by views that check who may see them, never by /media/."""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory, user_with_role
from torget.feedback import services
from torget.feedback.models import Kind
from torget.feedback.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path


@pytest.fixture
def debug_media_urls(settings, media):
    """The URLs as `make run` has them (DEBUG on), rebuilt for the test and put back after."""
    import torget.urls

    settings.DEBUG = True
    importlib.reload(torget.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(torget.urls)
    clear_url_caches()


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="foto.jpg")


def _photo(**case):
    return make_case(photos=[_jpeg()], **case).photos.get()


def _hide(photo):
    staff = UserFactory(role=Role.CONTACT_CENTRE)
    services.photo_set_public(photo=photo, actor=staff, is_public=False)
    photo.refresh_from_db()
    return staff


class TestPublicPhoto:
    def test_a_visible_photo_of_a_public_report_is_served_as_a_jpeg_for_a_while(
        self, client, media
    ):
        photo = _photo()
        assert photo.case.is_public

        response = client.get(photo.public_url())

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == photo.image.open("rb").read()

    def test_the_public_report_page_links_the_photo_view_not_media(self, client, media):
        photo = _photo()

        page = client.get(photo.case.get_absolute_url()).content.decode()

        assert photo.public_url() in page
        assert "/media/" not in page

    def test_a_photo_hidden_by_staff_is_404_for_anonymous(self, client, media):
        photo = _photo()
        url = photo.public_url()
        _hide(photo)

        assert client.get(url).status_code == 404

    def test_a_photo_of_a_report_that_is_not_public_is_404(self, client, media):
        photo = _photo()
        photo.case.is_public = False
        photo.case.save(update_fields=["is_public"])

        assert client.get(photo.public_url()).status_code == 404

    def test_a_photo_of_a_private_opinion_has_no_public_address(self, client, media):
        photo = _photo(kind=Kind.COMPLAINT)

        assert client.get(photo.public_url()).status_code == 404

    def test_a_wrong_key_is_404_so_the_address_cannot_be_guessed_from_numbers(self, client, media):
        photo = _photo()
        wrong = photo.public_url().replace(photo.key, "0" * len(photo.key))

        assert client.get(wrong).status_code == 404

    def test_a_redaction_gives_the_photo_a_new_address_and_the_old_one_is_404(self, client, media):
        photo = _photo()
        old_url = photo.public_url()
        staff = user_with_role(Role.CONTACT_CENTRE)
        services.photo_redact(photo=photo, actor=staff, box=(0.0, 0.0, 0.5, 0.5))
        photo.refresh_from_db()

        assert client.get(old_url).status_code == 404
        assert client.get(photo.public_url()).status_code == 200


class TestReporterAndStaff:
    def test_the_reporter_sees_a_hidden_photo_by_the_private_link_never_cached(self, client, media):
        photo = _photo()
        _hide(photo)

        response = client.get(photo.reporter_url())

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        page = client.get(photo.case.follow_url()).content.decode()
        assert photo.reporter_url() in page

    def test_another_token_does_not_reach_the_photo(self, client, media):
        photo = _photo()
        other = _photo()
        url = photo.reporter_url().replace(photo.case.token, other.case.token)

        assert client.get(url).status_code == 404

    def test_staff_can_fetch_a_hidden_photo(self, client, media):
        photo = _photo()
        staff = _hide(photo)
        client.force_login(staff)

        response = client.get(photo.staff_url())

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert photo.staff_url() in client.get(photo.case.staff_url()).content.decode()

    def test_a_citizen_cannot_use_the_staff_address(self, client, media):
        photo = _photo()
        client.force_login(UserFactory())

        assert client.get(photo.staff_url()).status_code in (403, 404)
        client.logout()
        assert client.get(photo.staff_url()).status_code in (302, 403, 404)


class TestNotUnderMedia:
    def test_a_hidden_photo_is_not_served_at_its_media_path_even_with_debug_on(
        self, client, debug_media_urls, media
    ):
        photo = _photo()
        _hide(photo)
        assert (media / photo.image.name).exists()

        assert client.get(f"/media/{photo.image.name}").status_code == 404

    def test_the_municipality_logo_stays_public_under_media_with_debug_on(
        self, client, debug_media_urls, media
    ):
        (media / "municipality").mkdir()
        (media / "municipality" / "logo.png").write_bytes(b"\x89PNG logo")

        assert client.get("/media/municipality/logo.png").status_code == 200


def test_with_accel_redirect_nginx_sends_the_file_from_its_internal_location(
    client, media, settings
):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    photo = _photo()

    response = client.get(photo.public_url())

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    assert client.get(_hidden_url(photo)).status_code == 404


def _hidden_url(photo) -> str:
    url = photo.public_url()
    _hide(photo)
    return url
