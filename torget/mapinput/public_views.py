"""The map's public pages. (Stubs until the part is built: each answers 404.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def map_page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def place(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def point_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def geojson(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def point(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def agree(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def comment(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def photo(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
