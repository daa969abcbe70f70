"""STUB: replaced by the helper who owns this module."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    raise Http404


def round(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_index(request: HttpRequest) -> HttpResponse:
    raise Http404


def staff_new(request: HttpRequest) -> HttpResponse:
    raise Http404


def staff_round(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_step(request: HttpRequest, pk: Any, step: Any) -> HttpResponse:
    raise Http404


def public_section(request: HttpRequest, dialogue: Any) -> str:
    return ""


def staff_section(request: HttpRequest, dialogue: Any) -> str:
    return ""
