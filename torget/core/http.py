"""Response headers that say who may keep a page, shared by the apps' views."""

from typing import TypeVar

from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

R = TypeVar("R", bound=HttpResponseBase)


def revalidate_per_visitor(response: R) -> R:
    """A page that differs from visitor to visitor (a form with its CSRF token, an answer to
    what was just posted): `Cache-Control: private, no-cache`, so no shared cache keeps it and
    the browser asks again before reusing it, and `Vary: Cookie`."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def protect_secret_page(response: R) -> R:
    """A page with a secret in its address or personal data on it: never stored
    (`private, no-store`), never indexed (`X-Robots-Tag`), and its address is not sent on to
    other sites as a referrer."""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
