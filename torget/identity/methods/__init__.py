"""Verification methods: each proves "this is person P" and hands over to
`services.verification_complete`.

A method is a class with a `slug`, a `label` and a `start(request, next_url)` view step;
`settings.IDENTITY_METHODS` lists the active ones by dotted path. Budgets and votes use the
same methods through `selectors.fresh_verification`.
"""

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string


class VerificationMethod:
    slug: str = ""
    label: Any = ""  # str or a lazy translation
    description: Any = ""

    def is_available(self) -> bool:
        return True

    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        raise NotImplementedError


@cache
def _load(paths: tuple[str, ...]) -> tuple[VerificationMethod, ...]:
    return tuple(import_string(path)() for path in paths)


def active_methods() -> list[VerificationMethod]:
    return [m for m in _load(tuple(settings.IDENTITY_METHODS)) if m.is_available()]


def method_by_slug(slug: str) -> VerificationMethod | None:
    return next((m for m in active_methods() if m.slug == slug), None)
