"""A proposal's image and documents: served by views that check the proposal is public (or
the visitor is its author or staff), never from /media/; every image through the one image
check (torget.core.images)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.organisation.tests.factories import TopicFactory
from torget.proposals.models import Event, EventKind, Proposal
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory

pytestmark = pytest.mark.django_db

CREATE = "/forslag/nytt/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path


def _png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _with_files(factory=SigningProposalFactory, **fields) -> Proposal:
    proposal = factory(**fields)
    proposal.image.save("bild.png", ContentFile(_png()), save=False)
    proposal.decision_document.save("beslut.pdf", ContentFile(b"%PDF-1.4 beslut"), save=False)
    proposal.save()
    return proposal


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


class TestImage:
    def test_the_image_of_a_published_proposal_is_served_and_may_be_cached(self, client):
        proposal = _with_files()

        response = client.get(proposal.image_url())

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "public" in response["Cache-Control"]
        assert _body(response) == proposal.image.open("rb").read()
        assert proposal.image_url() in client.get(proposal.get_absolute_url()).content.decode()

    def test_the_image_of_an_unpublished_proposal_is_404_for_others(self, client):
        proposal = _with_files(ProposalFactory)

        assert client.get(proposal.image_url()).status_code == 404
        client.force_login(CitizenFactory())
        assert client.get(proposal.image_url()).status_code == 404

    def test_the_author_sees_the_image_of_their_unpublished_proposal_uncached(self, client):
        proposal = _with_files(ProposalFactory)
        client.force_login(proposal.author)

        response = client.get(proposal.image_url())

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    def test_the_image_of_a_hidden_proposal_is_404_but_staff_still_see_it(self, client):
        proposal = _with_files(hidden_at=timezone.now(), hidden_reason="Kränkande")

        assert client.get(proposal.image_url()).status_code == 404
        client.force_login(proposal.author)
        assert client.get(proposal.image_url()).status_code == 404
        client.force_login(user_with_role(Role.OFFICIAL))
        response = client.get(proposal.image_url())
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

    def test_the_image_is_not_at_its_media_path(self, client, media):
        proposal = _with_files(ProposalFactory)
        assert (media / proposal.image.name).exists()

        assert client.get(f"/media/{proposal.image.name}").status_code == 404


class TestDocuments:
    def test_the_decision_of_a_public_proposal_is_served_inline_as_pdf(self, client):
        proposal = _with_files()

        response = client.get(proposal.decision_document_url())

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")

    def test_the_decision_of_a_hidden_proposal_is_404(self, client):
        proposal = _with_files(hidden_at=timezone.now(), hidden_reason="Skäl")

        assert client.get(proposal.decision_document_url()).status_code == 404

    def test_an_event_document_follows_the_event_and_the_proposal(self, client):
        proposal = SigningProposalFactory()
        event = Event.objects.create(
            proposal=proposal,
            kind=EventKind.DECIDED,
            occurred_on=timezone.localdate(),
            is_public=False,
        )
        event.document.save("protokoll.docx", ContentFile(b"PK\x03\x04 docx"), save=True)

        assert client.get(event.document_url()).status_code == 404
        client.force_login(user_with_role(Role.OFFICIAL))
        assert client.get(event.document_url()).status_code == 200
        client.logout()
        event.is_public = True
        event.save(update_fields=["is_public"])
        response = client.get(event.document_url())
        assert response.status_code == 200
        # An office document is downloaded, never shown on our own site.
        assert response["Content-Disposition"].startswith("attachment")

    def test_an_event_of_another_proposal_is_404(self, client):
        proposal = SigningProposalFactory()
        event = Event.objects.create(
            proposal=SigningProposalFactory(),
            kind=EventKind.DECIDED,
            occurred_on=timezone.localdate(),
        )
        event.document.save("protokoll.pdf", ContentFile(b"%PDF-1.4"), save=True)
        url = event.document_url().replace(
            f"/forslag/{event.proposal_id}/", f"/forslag/{proposal.pk}/"
        )

        assert client.get(url).status_code == 404


# --- Uploads ----------------------------------------------------------------------------------


def _post(client, upload, **extra):
    return client.post(
        CREATE,
        {
            "title": "Parkbänkar vid ån",
            "body": "Ställ ut fler bänkar längs ån.",
            "topic": TopicFactory().pk,
            "image": upload,
            "image_alt": "En bild",
            **extra,
        },
    )


class TestUpload:
    def test_the_preview_shows_the_draft_image_to_its_author_only(self, client):
        author = CitizenFactory()
        client.force_login(author)
        _post(client, SimpleUploadedFile("bild.png", _png(), "image/png"), action="preview")

        response = client.get("/forslag/nytt/bild/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "no-store" in response["Cache-Control"]
        client.force_login(CitizenFactory())
        assert client.get("/forslag/nytt/bild/").status_code == 404

    def test_a_gif_comment_is_not_stored(self, client, media):
        buffer = io.BytesIO()
        Image.new("P", (30, 20), 3).save(buffer, "GIF", comment=b"hemlig-kommentar-42")
        assert b"hemlig-kommentar-42" in buffer.getvalue()
        client.force_login(CitizenFactory())

        _post(
            client,
            SimpleUploadedFile("rolig.gif", buffer.getvalue(), "image/gif"),
            action="preview",
        )
        _post(client, "", action="submit")

        proposal = Proposal.objects.get()
        stored = (media / proposal.image.name).read_bytes()
        assert b"hemlig-kommentar-42" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "PNG" and image.size == (30, 20)
            assert "comment" not in image.info

    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_a_picture_of_144_megapixels_is_refused_and_nothing_is_stored(self, client, media):
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG", optimize=True)
        assert len(buffer.getvalue()) < 200_000  # a small file claiming a huge picture
        client.force_login(CitizenFactory())

        response = _post(
            client, SimpleUploadedFile("stor.png", buffer.getvalue(), "image/png"), action="preview"
        )

        html = response.content.decode()
        assert "Fotot har för många bildpunkter. Skicka en mindre bild." in html
        assert "Förhandsgranska ditt förslag" not in html
        assert not any(path.is_file() for path in media.rglob("*"))
        assert not Proposal.objects.exists()


class TestAdmin:
    def _change(self, client, proposal, upload):
        admin = user_with_role(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
        client.force_login(admin)
        return client.post(
            f"/admin/proposals/proposal/{proposal.pk}/change/",
            {
                "title": proposal.title,
                "body": proposal.body,
                "image": upload,
                "image_alt": "Ny bild",
                "events-TOTAL_FORMS": "0",
                "events-INITIAL_FORMS": "0",
                "events-MIN_NUM_FORMS": "0",
                "events-MAX_NUM_FORMS": "1000",
            },
        )

    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_an_image_changed_in_the_admin_goes_through_the_same_check(self, client, media):
        proposal = SigningProposalFactory()
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG", optimize=True)

        refused = self._change(client, proposal, SimpleUploadedFile("stor.png", buffer.getvalue()))

        assert refused.status_code == 200
        assert "för många bildpunkter" in refused.content.decode()
        proposal.refresh_from_db()
        assert not proposal.image

        gif = io.BytesIO()
        Image.new("P", (30, 20), 3).save(gif, "GIF", comment=b"hemlig-kommentar-42")
        accepted = self._change(client, proposal, SimpleUploadedFile("a.gif", gif.getvalue()))

        assert accepted.status_code == 302
        proposal.refresh_from_db()
        assert proposal.image.name.endswith(".png")
        assert b"hemlig-kommentar-42" not in (media / proposal.image.name).read_bytes()
