"""The forum's staff pages: settings, moderation, results. (Stubs until the part is built: each answers 404.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def staff_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def queue(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_thread(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_action(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def bans(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def summary(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
