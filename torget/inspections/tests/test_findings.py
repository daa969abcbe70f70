"""Findings on the walk: place, category, description and photos checked and stripped."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from torget.councils.tests.factories import coordinator, place, safety_council
from torget.feedback.tests.test_photos import photo_with_exif
from torget.inspections import services
from torget.inspections.models import Finding, FindingCategory
from torget.inspections.tests.factories import inspection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _walk(actor=None):
    actor = actor or coordinator()
    return actor, inspection(safety_council(place(), actor), datetime.date(2026, 5, 4), actor)


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_1.jpg", photo_with_exif(), "image/jpeg")


class TestFindings:
    def test_finding_has_a_place_a_category_and_a_description(self):
        actor, walk = _walk()
        finding = services.finding_add(
            actor=actor,
            inspection=walk,
            category=FindingCategory.LIGHTING,
            description="Trasig lampa i gångtunneln",
            lat=58.41,
            lon=15.62,
        )
        assert (finding.category, finding.lat, finding.lon) == ("belysning", 58.41, 15.62)

    def test_finding_place_may_be_an_address_without_a_pin(self):
        actor, walk = _walk()
        finding = services.finding_add(
            actor=actor,
            inspection=walk,
            category=FindingCategory.VEGETATION,
            description="Buskar skymmer sikten",
            address="Gångvägen bakom skolan",
        )
        assert finding.place == "Gångvägen bakom skolan"

    def test_finding_without_place_is_refused(self):
        actor, walk = _walk()
        with pytest.raises(ValidationError, match="platsen"):
            services.finding_add(
                actor=actor, inspection=walk, category="ovrigt", description="Något"
            )

    def test_finding_photos_are_stripped_of_metadata_as_fault_report_photos_are(self):
        actor, walk = _walk()
        finding = services.finding_add(
            actor=actor,
            inspection=walk,
            category=FindingCategory.VANDALISM,
            description="Klotter på busskuren",
            address="Hållplats Centrum",
            photos=[_photo()],
        )
        stored = finding.photos.get()
        with stored.image.open("rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert not image.getexif()
        assert b"Telefonbolaget" not in data and b"hemma hos Anna" not in data
        assert stored.is_public is False

    def test_a_file_that_is_not_a_photo_is_refused_with_a_swedish_error(self):
        actor, walk = _walk()
        with pytest.raises(ValidationError) as refused:
            services.finding_add(
                actor=actor,
                inspection=walk,
                category="ovrigt",
                description="x",
                address="Torget",
                photos=[SimpleUploadedFile("a.jpg", b"not an image", "image/jpeg")],
            )
        assert "photos" in refused.value.message_dict
        assert not Finding.objects.exists()

    def test_only_coordinators_add_findings(self):
        where = place()
        walk = inspection(safety_council(where), datetime.date(2026, 5, 4))
        with pytest.raises(PermissionDenied):
            services.finding_add(
                actor=where.utskott_member,
                inspection=walk,
                category="ovrigt",
                description="x",
                address="Torget",
            )

    def test_approving_a_photo_for_the_public_version_is_audited(self):
        from torget.audit.models import AuditEntry

        actor, walk = _walk()
        finding = services.finding_add(
            actor=actor,
            inspection=walk,
            category="ovrigt",
            description="x",
            address="Torget",
            photos=[_photo()],
        )
        services.finding_photo_set_public(actor=actor, photo=finding.photos.get(), is_public=True)
        assert finding.photos.get().is_public
        assert AuditEntry.objects.filter(action="inspection.photo_public").exists()


class TestFindingPages:
    def test_finding_is_entered_without_javascript_by_coordinates_and_photo(self, client):
        actor, walk = _walk()
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_finding_create", args=[walk.pk]),
            {
                "category": "belysning",
                "description": "Mörkt vid lekplatsen",
                "lat": "58.4108",
                "lon": "15.6214",
                "photos": _photo(),
            },
        )
        assert response.status_code == 302
        finding = walk.findings.get()
        assert finding.photos.count() == 1
        page = client.get(finding.get_absolute_url()).content.decode()
        assert "Mörkt vid lekplatsen" in page
        photo = finding.photos.get()
        assert client.get(photo.staff_url()).status_code == 200

    def test_finding_without_place_gets_a_swedish_error_on_the_page(self, client):
        actor, walk = _walk()
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_finding_create", args=[walk.pk]),
            {"category": "belysning", "description": "Mörkt"},
        )
        assert response.status_code == 400
        assert "beskriv platsen" in response.content.decode()

    def test_member_of_another_utskott_cannot_fetch_a_finding_photo(self, client):
        actor, walk = _walk()
        finding = services.finding_add(
            actor=actor,
            inspection=walk,
            category="ovrigt",
            description="x",
            address="Torget",
            photos=[_photo()],
        )
        client.force_login(place("Söder").utskott_member)
        assert client.get(finding.photos.get().staff_url()).status_code == 403
