"""serve_file: streams or hands over to nginx, with the cache headers the caller's check
decided, and never lets a browser render an unexpected type on our site."""

import pytest
from django.core.files.storage import default_storage
from django.http import Http404

from torget.core.media import serve_stored


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path


def test_a_public_file_is_streamed_with_a_short_public_cache():
    name = default_storage.save("x/bild.png", _content(b"\x89PNG"))

    response = serve_stored(name, public=True)

    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"]
    assert b"".join(response.streaming_content) == b"\x89PNG"


def test_a_private_file_is_never_stored_by_a_cache():
    name = default_storage.save("x/bild.png", _content(b"\x89PNG"))

    response = serve_stored(name, public=False)

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_html_file_is_only_ever_downloaded():
    name = default_storage.save("x/sida.html", _content(b"<script>alert(1)</script>"))

    response = serve_stored(name, public=True)

    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_404():
    with pytest.raises(Http404):
        serve_stored("x/finns-inte.png", public=True)


def test_with_a_prefix_nginx_is_told_where_the_file_is(settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media"

    response = serve_stored("proposals/2026/en bild.png", public=False, filename="bild.png")

    assert response["X-Accel-Redirect"] == "/protected-media/proposals/2026/en%20bild.png"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="bild.png"'
    assert "no-store" in response["Cache-Control"]
    assert response.content == b""


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)
