"""Lock-out after failed log-ins (django-axes), with two thresholds.

Axes compares one failure count with one limit. Torget wants two: an account tried from one
address is locked out after LOGIN_FAILURE_LIMIT failures, and the address itself, whatever the
accounts, only after LOGIN_IP_FAILURE_LIMIT (a library's or a school's computers share one
address, and one pupil's typos must not lock out the class). The handler below reports the
failures so that axes' single comparison means exactly that.
"""

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # AXES_LOCKOUT_PARAMETERS lists the address first and the pair (account, address) second.
        by_address, by_pair = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(by_pair, settings.LOGIN_FAILURE_LIMIT)
        return int(by_pair)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    return int(settings.LOGIN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address tried, as the log-in form and the admin send it, normalised so that
    "Anna@Example.se " and "anna@example.se" count as one account."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.LOGIN_COOLOFF_MINUTES},
        status=429,
    )
