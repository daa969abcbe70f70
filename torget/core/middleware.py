from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import bad_request

from torget.core.inputs import CONTROL_CHARACTERS
from torget.core.logs import REQUEST_ID_HEADER, new_request_id, request_id_var, valid_request_id


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a visitor with an English
    browser would land on an English municipal site. Ours shows Swedish until the visitor picks a
    language with the language switch (a cookie) or in their profile.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Remember a chosen language the same way Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


class RefuseControlCharactersMiddleware:
    """A 400 for an address whose path or query string holds a control character.

    No page has a use for them, and NUL in particular reaches PostgreSQL from any view that
    looks something up by a value from the address (a token, a slug, a number in the
    path), where it fails as a server error instead of a "not found". Form fields refuse
    them through `torget.core.inputs`; this is the same rule for the address itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if CONTROL_CHARACTERS.search(request.path) or (
            "%" in query and CONTROL_CHARACTERS.search(unquote(query))
        ):
            return bad_request(request, exception=BadRequest("control character in the address"))
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every answer (settings.PERMISSIONS_POLICY): the browser features a
    page may use. A view that needs one (none does today) sets its own header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class RequestIdMiddleware:
    """One id per request, in every log line it causes and on the response.

    Takes the proxy's `X-Request-ID` (nginx: `$request_id`) when it is a safe, short token, so
    nginx's access log and Torget's log share the id; otherwise makes one. First in
    MIDDLEWARE, so even the other middleware's log lines carry it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs an error response after the middleware has
        # returned. `logs.forget_request_id` clears it when the response is closed.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
