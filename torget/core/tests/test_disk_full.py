"""A full media disk: every upload path answers with a clear page, nothing is half-saved and
no partial file is left behind."""

import errno
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from torget.accounts.tests.factories import CitizenFactory
from torget.core.storage import MediaStorage, MediaUnavailable
from torget.feedback.models import Case, CasePhoto
from torget.feedback.tests.factories import CategoryFactory
from torget.feedback.tests.test_views import fault_post, town  # noqa: F401
from torget.organisation.tests.factories import TopicFactory
from torget.proposals.models import Proposal

pytestmark = pytest.mark.django_db

MESSAGE = "Vi kan inte ta emot filer just nu"


class FullDisk(MediaStorage):
    """A disk with room for `room` files: the next one is written half-way, then the disk is
    full (as the operating system reports it: OSError ENOSPC)."""

    room = 0

    def _write(self, name, content):
        if FullDisk.room > 0:
            FullDisk.room -= 1
            return super()._write(name, content)
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "torget.core.tests.test_disk_full.FullDisk"},
    }
    FullDisk.room = 0
    return tmp_path


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _photo(name="foto.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def test_a_fault_report_on_a_full_disk_gets_a_clear_page_and_nothing_is_kept(
    client,
    media,
    town,  # noqa: F811
    caplog,
):
    response = client.post("/felanmalan/", fault_post(CategoryFactory(), photos=_photo()))

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert Case.objects.count() == 0
    assert _files(media) == []
    assert any("media disk" in r.message and r.levelname == "ERROR" for r in caplog.records)


def test_when_the_second_photo_does_not_fit_the_first_goes_too(
    client,
    media,
    town,  # noqa: F811
):
    # Room for the two drafts and the case's first photo; the second is cut short.
    FullDisk.room = 3
    response = client.post(
        "/felanmalan/",
        fault_post(CategoryFactory(), photos=[_photo("a.jpg"), _photo("b.jpg")]),
    )

    assert response.status_code == 503
    assert Case.objects.count() == 0
    assert CasePhoto.objects.count() == 0
    # Only the form's drafts are left (pruned after a day), no photo of a case.
    assert all(name.startswith("feedback/drafts/") for name in _files(media))


def test_a_proposal_with_an_image_on_a_full_disk_gets_a_clear_page_and_is_not_saved(client, media):
    client.force_login(CitizenFactory())
    response = client.post(
        "/forslag/nytt/",
        {
            "title": "Parkbänkar vid ån",
            "body": "Ställ ut fler bänkar längs ån.",
            "topic": TopicFactory().pk,
            "image": _photo(),
            "image_alt": "En bild",
            "action": "submit",
        },
    )

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert Proposal.objects.count() == 0
    assert _files(media) == []


def test_a_fault_report_is_stored_as_usual_when_there_is_room(
    client,
    media,
    town,  # noqa: F811
):
    FullDisk.room = 10
    response = client.post("/felanmalan/", fault_post(CategoryFactory(), photos=_photo()))

    assert response.status_code == 302
    assert CasePhoto.objects.count() == 1


def test_when_a_findings_second_photo_does_not_fit_the_first_goes_too(media):
    from torget.inspections import services
    from torget.inspections.models import Finding, FindingPhoto
    from torget.inspections.tests.test_findings import _walk

    actor, walk = _walk()
    FullDisk.room = 1
    with pytest.raises(MediaUnavailable):
        services.finding_add(
            actor=actor,
            inspection=walk,
            category="ovrigt",
            description="Trasig lampa",
            address="Gångtunneln",
            photos=[_photo("a.jpg"), _photo("b.jpg")],
        )
    assert not Finding.objects.exists() and not FindingPhoto.objects.exists()
    assert _files(media) == []


def test_an_alternatives_image_goes_too_when_its_document_does_not_fit(media):
    from torget.consultations import services
    from torget.consultations.models import Alternative
    from torget.consultations.tests.factories import draft, world

    consultation = draft(world())
    before = Alternative.objects.count()
    FullDisk.room = 1
    with pytest.raises(MediaUnavailable):
        services.alternative_add(
            consultation=consultation,
            actor=consultation.created_by,
            title="Lekplats med klätterställning",
            image=_photo(),
            image_alt="Ritning av lekplatsen",
            document=SimpleUploadedFile("ritning.pdf", b"%PDF-1.4\n%%EOF\n"),
            document_title="Ritning",
        )
    assert Alternative.objects.count() == before
    assert _files(media) == []


def test_a_replaced_image_stays_until_the_new_files_are_stored(media):
    from torget.consultations import services
    from torget.consultations.tests.factories import draft, world

    consultation = draft(world())
    FullDisk.room = 1
    alternative = services.alternative_add(
        consultation=consultation,
        actor=consultation.created_by,
        title="Lekplats",
        image=_photo(),
        image_alt="Ritning",
    )
    kept = _files(media)
    FullDisk.room = 1
    with pytest.raises(MediaUnavailable):
        services.alternative_update(
            alternative=alternative,
            actor=consultation.created_by,
            title="Lekplats",
            image=_photo("ny.jpg"),
            image_alt="Ny ritning",
            document=SimpleUploadedFile("ritning.pdf", b"%PDF-1.4\n%%EOF\n"),
            document_title="Ritning",
        )
    assert _files(media) == kept
    alternative.refresh_from_db()
    assert alternative.image.name == kept[0]
