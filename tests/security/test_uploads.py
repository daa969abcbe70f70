"""Uploads are checked by their content, not their name, and no user file is served from our
origin with a type a browser would run.

The two checks every upload goes through (torget.core.images for pictures, core.documents for
documents) refuse a page, a drawing or a script whatever it is called; the file views
(core.media) serve what they hold with nosniff, a sandboxing policy, and as a download unless
it is an image or a PDF. The upload paths themselves are tested in their apps (each one's
`…_is_refused` test with a disguised file); the municipality's logo, the one image served by
address, is tested here.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from torget.core import documents, images, media

# Pages, drawings and scripts, as an attacker would send them in place of a photo or a PDF.
ACTIVE = [
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    b"<html><img src=x onerror=alert(1)>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>',
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="#"?><x/>',
    b"alert(document.cookie);//",
    b"GIF89a/*\x00*/=alert(1)//<script>alert(1)</script>",
]
INNOCENT_NAMES = st.sampled_from(
    ["foto.jpg", "IMG_0001.JPG", "bild.png", "beslut.pdf", "protokoll.docx", "karta.odt", "a"]
)
PADDING = st.sampled_from([b"", b"\xef\xbb\xbf", b"\n", b"  \r\n\t", b"\xef\xbb\xbf\n  "])
# Bounded for CI: a few dozen generated files per rule.
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            # A fixed time, so the same entries always make the same bytes.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@st.composite
def disguised(draw: Any) -> SimpleUploadedFile:
    """An active file with a harmless name and the type the browser would claim for it."""
    content = draw(PADDING) + draw(st.sampled_from(ACTIVE)) + draw(st.binary(max_size=200))
    name = draw(INNOCENT_NAMES)
    claimed = draw(st.sampled_from(["image/jpeg", "application/pdf", "application/octet-stream"]))
    return SimpleUploadedFile(name, content, content_type=claimed)


class TestTheChecksRefuseActiveContent:
    @FEW
    @given(upload=disguised())
    def test_no_page_drawing_or_script_passes_as_an_image(self, upload: Any) -> None:
        with pytest.raises(images.ImageError):
            images.process(upload, formats=images.PHOTO_FORMATS | {"GIF"}, lossless=True)

    @FEW
    @given(upload=disguised())
    def test_no_page_drawing_or_script_passes_as_a_document(self, upload: Any) -> None:
        with pytest.raises(documents.DocumentError) as refused:
            documents.check(upload, allowed={"pdf", "doc", "docx", "odt", "xlsx"})
        assert refused.value.code == "type"

    @FEW
    @given(junk=st.binary(max_size=300))
    def test_bytes_are_a_document_only_by_their_content(self, junk: bytes) -> None:
        kind = documents.identify(junk)
        assert kind is None or junk.startswith((b"%PDF-", b"\xd0\xcf\x11\xe0", b"PK\x03\x04"))

    def test_a_zip_that_is_no_office_document_is_refused(self) -> None:
        web_page = _zip({"index.html": b"<html><script>alert(1)</script></html>"})
        with pytest.raises(documents.DocumentError):
            documents.check(SimpleUploadedFile("rapport.docx", web_page))

    # Named ids: a zip's bytes hold the time it was made, which two test workers that import
    # this module a second apart would otherwise collect as two different tests.
    @pytest.mark.parametrize(
        ("content", "extension"),
        [(PDF, "pdf"), (DOCX, "docx"), (ODT, "odt")],
        ids=["pdf", "docx", "odt"],
    )
    def test_real_documents_pass_whatever_their_name(self, content: bytes, extension: str) -> None:
        kind = documents.check(SimpleUploadedFile("fil.txt", content))
        assert kind.extension == extension
        assert documents.stored_name("../../fil.html", kind) == f"fil.{extension}"

    def test_a_document_too_large_is_refused_before_it_is_read(self) -> None:
        big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * 2048)
        with pytest.raises(documents.DocumentError) as refused:
            documents.check(big, max_bytes=1024)
        assert refused.value.code == "size"

    def test_a_real_image_is_stored_as_a_new_image(self) -> None:
        buffer = io.BytesIO()
        Image.new("RGB", (20, 10), "green").save(buffer, "PNG")
        processed = images.process(SimpleUploadedFile("a.html", buffer.getvalue()))
        assert processed.file.read().startswith(b"\xff\xd8")  # a JPEG, whatever the name


@pytest.fixture
def storage(tmp_path: Any, settings: Any) -> FileSystemStorage:
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return FileSystemStorage(location=tmp_path)


def _served(storage: FileSystemStorage, name: str, content: bytes, **kwargs: Any) -> Any:
    stored = storage.save(name, ContentFile(content))
    return media.serve_stored(stored, storage=storage, public=True, **kwargs)


class TestUserFilesAreServedSafely:
    @pytest.mark.parametrize(
        "name", ["sida.html", "sida.htm", "ritning.svg", "data.xml", "skript.js", "sida.xhtml"]
    )
    def test_a_file_with_an_active_name_is_only_a_download(self, storage: Any, name: str) -> None:
        response = _served(storage, name, b"<html><script>alert(1)</script></html>")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]

    def test_an_active_type_given_by_a_view_is_not_used_either(self, storage: Any) -> None:
        response = _served(storage, "fil.bin", b"<svg/>", content_type="image/svg+xml")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")

    def test_an_image_is_shown_in_a_sandbox_that_may_run_nothing(self, storage: Any) -> None:
        response = _served(storage, "foto.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
        assert response["Content-Type"] == "image/jpeg"
        assert not response.get("Content-Disposition", "").startswith("attachment")
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy
        assert "script-src" not in policy  # default-src 'none' covers scripts

    def test_a_pdf_is_shown_but_runs_no_script(self, storage: Any) -> None:
        response = _served(storage, "beslut.pdf", PDF)
        assert response["Content-Type"] == "application/pdf"
        assert "script-src 'none'" in response["Content-Security-Policy"]

    def test_an_office_document_is_a_download(self, storage: Any) -> None:
        response = _served(storage, "protokoll.docx", DOCX)
        assert response["Content-Disposition"].startswith("attachment")
        assert "sandbox" in response["Content-Security-Policy"]

    def test_the_headers_also_go_with_a_file_nginx_sends(self, storage: Any, settings: Any) -> None:
        settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
        response = _served(storage, "sida.html", b"<html></html>")
        assert response["X-Accel-Redirect"].startswith("/protected-media/")
        assert response["Content-Type"] == "application/octet-stream"
        assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
class TestTheLogo:
    """The municipality's logo, the one upload served by its address (/media/municipality/)."""

    def _form(self, logo: SimpleUploadedFile) -> Any:
        from django.forms.models import modelform_factory

        from torget.organisation.admin import MunicipalityAdminForm
        from torget.organisation.models import Municipality

        municipality, _created = Municipality.objects.update_or_create(
            pk=Municipality.SINGLETON_PK, defaults={"name": "Storeby"}
        )
        form_class = modelform_factory(
            Municipality, form=MunicipalityAdminForm, fields=["name", "logo"]
        )
        return form_class({"name": "Storeby"}, {"logo": logo}, instance=municipality)

    def test_a_drawing_named_as_a_png_is_refused(self) -> None:
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        form = self._form(SimpleUploadedFile("logo.png", svg, "image/png"))
        assert not form.is_valid()
        assert "logo" in form.errors

    def test_a_logo_is_stored_as_a_new_png_of_its_pixels(
        self, settings: Any, tmp_path: Any
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        buffer = io.BytesIO()
        image = Image.new("RGBA", (30, 20), (0, 80, 160, 255))
        image.save(buffer, "PNG", pnginfo=_png_comment("<script>alert(1)</script>"))
        form = self._form(SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"))
        assert form.is_valid(), form.errors
        saved = form.save()
        assert saved.logo.name.startswith("municipality/logotyp")
        with saved.logo.open("rb") as stored:
            data = stored.read()
        assert data.startswith(b"\x89PNG") and b"<script>" not in data


def _png_comment(text: str) -> Any:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    return info
