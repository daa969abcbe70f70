"""STUB: replaced by the helper who owns this module."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def staff_round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    return {}


def round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html)."""
    return {}


def result(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_count(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_decision(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404
