"""The map's staff pages. (Stubs until the part is built: each answers 404.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def staff_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def categories(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_geojson(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_csv(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def queue(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_point(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def point_action(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
