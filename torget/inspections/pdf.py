"""The inspection protocol as PDF: the protocol body of the pages (`_protocol.html`) in the
print template, the staff version or the public one (`selectors.protocol(public=...)`: no
names of persons, only the photos approved for it). The photos go into the document from the
storage, by the addresses the template gives them; the view has already checked who may see
the protocol."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from torget.core.pdf import FileReader, pdf_response, render_pdf
from torget.inspections import selectors
from torget.inspections.models import FindingPhoto, Inspection

PUBLIC_CACHE_SECONDS = 24 * 60 * 60


def protocol_pdf(request: HttpRequest, inspection: Inspection, *, public: bool) -> bytes:
    context = selectors.protocol(inspection, public=public)
    files: dict[str, FileReader] = {}
    for finding in context["findings"]:
        for photo in finding.shown_photos:
            url = photo.public_url() if public else photo.staff_url()
            files[url] = partial(_read_photo, photo)
    page = inspection.public_url() if public else inspection.protocol_url()
    html = render_to_string(
        "inspections/protocol_pdf.html",
        context | {"page_url": request.build_absolute_uri(page)},
        request=request,
    )
    return render_pdf(
        html,
        base_url=request.build_absolute_uri("/"),
        files=files,
        # The public version is the same for every visitor: rendered once per version. The
        # staff one names persons and is read by few: never kept.
        cache_for=PUBLIC_CACHE_SECONDS if public else 0,
    )


def protocol_filename(inspection: Inspection, *, public: bool) -> str:
    """trygghetsbesiktning-berga-2026-04-21.pdf; the staff version, which names persons,
    ends in -intern so the two are not mixed up once saved."""
    council = inspection.council
    where = slugify(council.area.name if council.area else council.name) or "omrade"
    name = f"trygghetsbesiktning-{where}-{inspection.date:%Y-%m-%d}"
    return f"{name}.pdf" if public else f"{name}-intern.pdf"


def protocol_response(
    request: HttpRequest, inspection: Inspection, *, public: bool
) -> HttpResponse:
    return pdf_response(
        protocol_pdf(request, inspection, public=public),
        filename=protocol_filename(inspection, public=public),
        private=not public,
    )


def _read_photo(photo: FindingPhoto) -> tuple[bytes, str]:
    with photo.image.open("rb") as handle:
        return handle.read(), "image/jpeg"
