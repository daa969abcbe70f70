"""The protocol as PDF: the same protocol as the pages, read back from the PDF's text; the
public one without personal data; the same readers as the pages."""

import io

import pytest
from pypdf import PdfReader

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.councils.tests.factories import place
from torget.inspections import services
from torget.inspections.tests.test_protocol import _done

pytestmark = pytest.mark.django_db

PERSONAL = (
    "Karin",
    "Samordnarsson",
    "Bengt",
    "Boendesson",
    "bengt.boende@example.se",
    "070-123 45 67",
    "123 45 67",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def _images(reader: PdfReader) -> set[str]:
    return {image.name for page in reader.pages for image in page.images}


def _pdf_url(page: str) -> str:
    return page.rstrip("/").removesuffix("/protokoll") + "/protokoll.pdf"


class TestStaffPdf:
    def test_staff_pdf_is_the_protocol_with_who_recorded_it_and_the_photos(self, client):
        actor, where, walk, _finding = _done(photo=True)
        client.force_login(actor)
        page = client.get(walk.protocol_url()).content.decode()
        assert f'href="{_pdf_url(walk.protocol_url())}"' in page
        assert "(PDF)" in page

        response = client.get(_pdf_url(walk.protocol_url()))
        reader, text = _pdf(response)
        for shown in (
            "Mörkt i gångtunneln",
            "Tunneln är otrygg",
            "Trasiga lampor",
            "Gatukontoret",
            "Byt lamporna",
            "Karin Samordnarsson",
            "Lokalpolisen",
        ):
            assert shown in text
        assert len(_images(reader)) == 1
        assert reader.metadata.title == f"Protokoll: besiktning {walk.council.name} {walk.date}"
        assert reader.trailer["/Root"]["/Lang"] == "sv"
        assert response["Content-Disposition"] == (
            f'inline; filename="trygghetsbesiktning-stadsdel-i-centrum-{walk.date}-intern.pdf"'
        )
        assert "no-store" in response["Cache-Control"]

    def test_pdf_has_the_same_readers_as_the_page(self, client):
        _actor, where, walk, _finding = _done()
        url = _pdf_url(walk.protocol_url())
        assert client.get(url).status_code == 302  # to the log-in page
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == client.get(walk.protocol_url()).status_code == 403
        client.force_login(place("Söder").utskott_member)
        assert client.get(url).status_code == 403
        client.force_login(user_with_role(Role.UTSKOTT_COORDINATOR))
        assert client.get(url).status_code == 200


class TestPublicPdf:
    def test_public_pdf_has_no_personal_data_and_only_approved_photos(self, client):
        actor, _where, walk, finding = _done(photo=True)
        url = _pdf_url(walk.public_url())
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 404  # not published yet
        services.protocol_publish(actor=actor, inspection=walk)
        assert f'href="{url}"' in client.get(walk.public_url()).content.decode()

        response = client.get(url)
        reader, text = _pdf(response)
        for shown in ("Mörkt i gångtunneln", "Tunneln är otrygg", "Trasiga lampor", "Byt lamporna"):
            assert shown in text
        metadata = " ".join(str(value) for value in reader.metadata.values())
        for personal in (*PERSONAL, actor.email):
            assert personal not in text and personal not in metadata
        assert _images(reader) == set()
        assert reader.metadata.title == f"Trygghetsbesiktning i Stadsdel i Centrum {walk.date}"
        assert response["Content-Disposition"] == (
            f'inline; filename="trygghetsbesiktning-stadsdel-i-centrum-{walk.date}.pdf"'
        )

        services.finding_photo_set_public(actor=actor, photo=finding.photos.get(), is_public=True)
        reader, _text = _pdf(client.get(url))
        assert len(_images(reader)) == 1
