"""torget.core.pdf: WeasyPrint gets only the files handed to it, never anything else."""

import io
import uuid

import pytest
from PIL import Image
from pypdf import PdfReader

from torget.core.pdf import render_pdf


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_only_the_files_given_are_fetched():
    asked = []

    def reader():
        asked.append("/ok.png")
        return _png("red"), "image/png"

    html = (
        '<html lang="sv"><head><title>Prov</title></head><body><p>Hej</p>'
        '<img src="/ok.png" alt=""><img src="/missing.png" alt="">'
        '<img src="http://other.example/x.png" alt=""><img src="file:///etc/hostname" alt="">'
        "</body></html>"
    )
    pdf = PdfReader(
        io.BytesIO(render_pdf(html, base_url="http://torget.test/", files={"/ok.png": reader}))
    )
    assert asked == ["/ok.png"]
    assert len(pdf.pages[0].images) == 1
    assert pdf.metadata.title == "Prov"
    assert "Hej" in pdf.pages[0].extract_text()


def test_a_cached_document_is_rendered_once_per_version():
    rendered = []

    def reader():
        rendered.append(1)
        return _png("blue"), "image/png"

    def pdf(text):
        html = f'<html lang="sv"><title>{text}</title><img src="/a.png" alt="">{text}</html>'
        return render_pdf(
            html, base_url="http://torget.test/", files={"/a.png": reader}, cache_for=60
        )

    version = f"Version {uuid.uuid4().hex}"  # not in any cache yet
    first = pdf(version)
    assert pdf(version) == first
    assert len(rendered) == 1
    assert "Version två" in PdfReader(io.BytesIO(pdf("Version två"))).pages[0].extract_text()
    assert len(rendered) == 2


def test_making_a_pdf_leaves_truncated_uploads_refused():
    """WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES when imported; after a PDF the
    photo checks must still refuse a truncated JPEG."""
    from PIL import ImageFile

    render_pdf("<p>Protokoll</p>", base_url="http://testserver/")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, "JPEG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    with pytest.raises(OSError):
        Image.open(io.BytesIO(truncated)).load()
