"""Giving and withdrawing support (needs a fresh e-ID step)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


support = withdraw = _todo
