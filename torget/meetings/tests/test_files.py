"""A meeting's photos and attachments: public only with approved documentation, never by a
/media/ address; those who plan the meeting see them before."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from torget.dialogues.tests.factories import cast
from torget.meetings import services
from torget.meetings.tests.factories import held

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(buffer, "JPEG")
    return SimpleUploadedFile("IMG_1.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def documented(people):
    """A held meeting with notes, a photo and a PDF, not yet approved."""
    meeting = held(people)
    actor = people.official
    services.documentation_update(
        meeting=meeting, actor=actor, notes="Vi pratade om gungor.", participants_total=5, counts={}
    )
    photo = services.photo_add(
        meeting=meeting, actor=actor, upload=_jpeg(), alt_text="Deltagare vid kartan"
    )
    pdf = SimpleUploadedFile(
        "anteckningar.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    attachment = services.attachment_add(
        meeting=meeting, actor=actor, upload=pdf, title="Presentationen"
    )
    return meeting, photo, attachment


def photo_url(photo):
    return reverse("meetings:photo", args=[photo.meeting_id, photo.pk])


def attachment_url(attachment):
    return reverse("meetings:attachment", args=[attachment.meeting_id, attachment.pk])


class TestBeforeApproval:
    def test_a_photo_is_404_for_the_public(self, client, documented):
        _meeting, photo, _attachment = documented

        assert client.get(photo_url(photo)).status_code == 404

    def test_an_attachment_is_404_for_the_public(self, client, documented):
        _meeting, _photo, attachment = documented

        assert client.get(attachment_url(attachment)).status_code == 404

    def test_the_planner_sees_both_and_nothing_is_cached(self, client, people, documented):
        _meeting, photo, attachment = documented
        client.force_login(people.official)

        for url in (photo_url(photo), attachment_url(attachment)):
            response = client.get(url)
            assert response.status_code == 200
            assert (
                "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
            )

    def test_the_files_are_not_at_their_media_path(self, client, documented, media):
        _meeting, photo, attachment = documented
        assert (media / photo.image.name).exists()

        assert client.get(f"/media/{photo.image.name}").status_code == 404
        assert client.get(f"/media/{attachment.file.name}").status_code == 404


class TestAfterApproval:
    @pytest.fixture
    def approved(self, people, documented):
        services.documentation_approve(meeting=documented[0], actor=people.official)
        return documented

    def test_a_photo_is_served_as_a_jpeg_and_may_be_cached(self, client, approved):
        _meeting, photo, _attachment = approved

        response = client.get(photo_url(photo))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "public" in response["Cache-Control"]

    def test_an_attachment_is_downloaded_under_its_title(self, client, approved):
        _meeting, _photo, attachment = approved

        response = client.get(attachment_url(attachment))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Presentationen.pdf" in response["Content-Disposition"]

    def test_a_change_after_approval_hides_the_files_again(self, client, people, approved):
        meeting, photo, _attachment = approved
        services.documentation_update(
            meeting=meeting, actor=people.official, notes="Ändrat", participants_total=5, counts={}
        )

        assert client.get(photo_url(photo)).status_code == 404

    def test_a_photo_of_another_meeting_is_not_reached_through_this_one(
        self, client, people, approved
    ):
        _meeting, photo, _attachment = approved
        other = held(people)

        assert client.get(reverse("meetings:photo", args=[other.pk, photo.pk])).status_code == 404
