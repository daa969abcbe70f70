from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from torget.identity.selectors import COOKIE_NAME


class FreshVerificationCookieMiddleware:
    """Writes (or clears) the signed cookie that carries a fresh e-ID step.

    It lives only as long as the step counts (IDENTITY_FRESH_SECONDS) and the signature's
    timestamp enforces that even if a browser keeps it longer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "_torget_eid_cookie", None)
        if token:
            response.set_cookie(
                COOKIE_NAME,
                token,
                max_age=settings.IDENTITY_FRESH_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif token == "":
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return response
