"""The decision proposal's PDF is served with the dialogue's public page, never by /media/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from torget.accounts.tests.factories import CitizenFactory
from torget.dialogues.models import NOT_PUBLIC, Dialogue
from torget.results import services
from torget.results.tests.factories import to_compiling, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    w = world()
    to_compiling(w)
    point = services.decision_proposal_publish(
        dialogue=w.dialogue,
        actor=w.people.official,
        text="Förvaltningen föreslår en ny skolgård.",
        deciding_body=w.namnd,
        expected_on=w.dialogue.decision_expected_on,
        document=SimpleUploadedFile("Mitt utkast (hemligt).pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return w, point


def url(point):
    return reverse("results:point_document", args=[point.pk])


def test_the_pdf_of_a_public_dialogue_is_served_and_linked(client, point):
    w, point = point

    response = client.get(url(point))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"]
    assert url(point) in client.get(f"/dialoger/{w.dialogue.pk}/").content.decode()


def test_the_stored_name_does_not_carry_the_uploaded_file_name(point):
    _w, point = point

    assert "hemligt" not in point.document.name and point.document.name.endswith(".pdf")


def test_the_pdf_of_a_dialogue_that_is_no_longer_public_is_only_for_its_staff(
    client, point, tmp_path
):
    w, point = point
    Dialogue.objects.filter(pk=w.dialogue.pk).update(status=sorted(NOT_PUBLIC)[0])

    assert client.get(url(point)).status_code == 404
    assert client.get(f"/media/{point.document.name}").status_code == 404
    client.force_login(CitizenFactory())
    assert client.get(url(point)).status_code == 404
    client.force_login(w.people.official)
    response = client.get(url(point))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
