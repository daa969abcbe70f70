"""STUB: replaced by the helper who owns this module."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def staff_round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    return {}


def round_context(request: HttpRequest, round: Any) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html)."""
    return {}


def projects(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def update_photo(request: HttpRequest, update_pk: Any) -> HttpResponse:
    raise Http404


def staff_projects(request: HttpRequest, pk: Any) -> HttpResponse:
    raise Http404


def staff_project(request: HttpRequest, pk: Any, number: Any) -> HttpResponse:
    raise Http404
