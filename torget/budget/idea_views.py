"""STUB: replaced by the helper who owns this module."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def staff_round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    return {}


def round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html)."""
    return {}


def ideas(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def idea_new(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def idea(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def idea_image(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def comment(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def interest(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404


def merge_consent(request: HttpRequest, pk: Any, number: Any, merge_pk: Any) -> HttpResponse:
    raise Http404
