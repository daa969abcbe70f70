"""Documents that are also pages, as PDF: the page's own template wrapped in a print template
(`ui/print.html`), rendered by WeasyPrint.

WeasyPrint never goes on the network here. Its URL fetcher answers `data:` URIs and the
files the caller hands over by their address on the site (an app's view that has already
decided who may see them reads them from the storage), and refuses everything else, which
WeasyPrint then leaves out of the document. The print template inlines its CSS, so no
stylesheet is fetched either.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported when a
PDF is made, so the rest of Torget starts without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header

# A file for the document: its bytes and its media type, read only if the HTML uses it.
FileReader = Callable[[], tuple[bytes, str]]


def render_pdf(
    html: str,
    *,
    base_url: str,
    files: Mapping[str, FileReader] | None = None,
    cache_for: int = 0,
) -> bytes:
    """`html` as a tagged PDF (title and language from `<title>` and `<html lang>`).
    `base_url` (the site's root, absolute) resolves the relative links; `files` maps the
    path of each image the HTML may show (`/personal/…/foton/…/`) to its reader, whose
    content must not change while its path stays the same (uploads get random names).

    `cache_for` (seconds; only for documents anyone may see): keep the PDF in the cache under
    the hash of what it is made from, so a public document is rendered once per version
    rather than once per visitor."""
    files = files or {}
    key = ""
    if cache_for:
        made_from = "\0".join([base_url, html, *sorted(files)])
        key = "pdf:" + hashlib.sha256(made_from.encode()).hexdigest()
        cached = cache.get(key)
        if isinstance(cached, bytes):
            return cached
    HTML = _weasyprint_html()
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher(base_url, files))
    pdf = bytes(document.write_pdf(pdf_tags=True))
    if key:
        cache.set(key, pdf, cache_for)
    return pdf


def _weasyprint_html() -> Any:
    """WeasyPrint's HTML class. Importing WeasyPrint sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES, which would let a truncated upload through every photo check in
    this process (core.images): the flag is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML


def _fetcher(base_url: str, files: Mapping[str, FileReader]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    origin = urlsplit(base_url).netloc

    class LocalFetcher(URLFetcher):
        """`data:` URIs and the files given; nothing from the network or the disk."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            reader = files.get(parts.path) if parts.netloc == origin else None
            if reader is None:
                raise ValueError(f"Not fetched for a PDF: {url}")
            body, media_type = reader()
            return URLFetcherResponse(url, body, {"Content-Type": media_type})

    return LocalFetcher(allowed_protocols={"data"})


def pdf_response(pdf: bytes, *, filename: str, private: bool) -> HttpResponse:
    """A PDF shown in the browser (with `filename` if saved). `private`: it has what only
    this user may see, so no cache keeps it."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
    return response
