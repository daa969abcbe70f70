"""When the session last proved who is at the keyboard (sudo mode).

A log-in counts, and so does the "confirm your password" step (accounts:reauthenticate). A
change of password, or of an account's e-mail address or roles in the administration, needs
one within REAUTH_SECONDS; otherwise the person is asked again, and comes back afterwards.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "torget_auth_at"


def mark_fresh(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def is_fresh(request: HttpRequest) -> bool:
    proven_at = request.session.get(SESSION_KEY)
    if not isinstance(proven_at, int | float):
        return False
    return 0 <= time.time() - proven_at < settings.REAUTH_SECONDS


def redirect_to_reauthenticate(request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:reauthenticate')}?{query}")


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view that changes how one signs in; put it inside login_required."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Someone not signed in is left to the view's own log-in check.
        if request.user.is_authenticated and not is_fresh(request):
            return redirect_to_reauthenticate(request)
        return view(request, *args, **kwargs)

    return wrapped
