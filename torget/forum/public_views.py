"""The forum's public pages: threads, posts, replies, agrees. (Stubs until the part is built: each answers 404.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def forum(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def new_thread(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def reply(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def agree(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def feed(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
