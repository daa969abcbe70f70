"""STUB: replaced by the helper who owns this module."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def ideas(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def idea(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def review(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def merge(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def merge_consent(request: HttpRequest, pk: Any, number: Any, merge_pk: Any) -> HttpResponse:
    raise Http404


def comment_hide(request: HttpRequest, pk: Any, comment_pk: Any) -> HttpResponse:
    raise Http404
