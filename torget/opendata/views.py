"""Öppna data: the page that lists the exports, the files themselves, the DCAT-AP-SE
catalogue. Everything here is public and the same for everyone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from torget.api.datasets import all_datasets
from torget.opendata import catalogue, exports, feeds

# Seconds a client or cache may keep a file or the catalogue before asking again.
MAX_AGE = 3600


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    built = exports.manifest()["datasets"]
    rows: list[dict[str, Any]] = []
    for dataset in all_datasets():
        entry = built.get(dataset.slug)
        rows.append(
            {
                "dataset": dataset,
                "entry": entry if isinstance(entry, dict) else None,
                "built_at": exports.built_at(entry) if isinstance(entry, dict) else None,
            }
        )
    return render(
        request,
        "opendata/index.html",
        {
            "rows": rows,
            "any_built": any(row["entry"] for row in rows),
            "open_data_license": settings.OPEN_DATA_LICENSE,
            "feeds": [
                {"stem": stem, "title": feed_class().heading, "about": feed_class().about}
                for stem, _word, feed_class in feeds.FEEDS
            ],
        },
    )


@require_safe
def download(request: HttpRequest, slug: str, fmt: str) -> FileResponse:
    """One export file; 404 for a dataset that is not registered or not built yet."""
    if fmt not in exports.FORMATS or slug not in {dataset.slug for dataset in all_datasets()}:
        raise Http404
    entry = exports.manifest()["datasets"].get(slug)
    path = exports.path_of(slug, fmt)
    try:
        file = open(path, "rb")  # noqa: SIM115 — FileResponse closes it
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        file,
        content_type=exports.FORMATS[fmt][1],
        as_attachment=fmt != "md",
        filename=path.name,
    )
    if fmt == "md":
        response["Content-Disposition"] = f'inline; filename="{path.name}"'
    built = exports.built_at(entry) if isinstance(entry, dict) else None
    if built is not None:
        response["Last-Modified"] = http_date(built.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _catalogue(text: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    built = exports.built_at({"built_at": exports.manifest().get("built_at")})
    if built is not None:
        response["Last-Modified"] = http_date(built.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def catalogue_ttl(request: HttpRequest) -> HttpResponse:
    return _catalogue(catalogue.turtle(), catalogue.TURTLE)


@require_safe
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    return _catalogue(catalogue.json_ld(), catalogue.JSON_LD)
