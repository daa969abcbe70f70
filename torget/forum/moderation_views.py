"""Flagging a post (anyone). (Stubs until the part is built: each answers 404.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def flag(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
