"""The server-error page, and a clearer one when the database cannot be reached.

While PostgreSQL restarts, fails over or refuses new connections, a request fails with
OperationalError or InterfaceError wherever it first touches the database (a view, the
session, a middleware). Django answers any uncaught exception through `handler500`; this one
tells the two apart: the database out of reach is answered 503 Service Unavailable with
`Retry-After` and a page saying that nothing was saved and to try again in a moment (load
balancers and browsers know what 503 means), anything else is the usual 500 page. Neither
page needs the database, nor anything that might (they are plain templates, rendered without
the context processors).
"""

import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

#: Seconds a browser or load balancer is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def in_chain(error: BaseException | None, test: Callable[[BaseException], bool]) -> bool:
    """True if `error`, or an error it was raised from (at most ten deep), passes `test`."""
    seen = 0
    while error is not None and seen < 10:
        if test(error):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def database_unavailable(error: BaseException | None) -> bool:
    """True if `error`, or an error it was raised from, says the database is out of reach."""
    return in_chain(error, lambda e: isinstance(e, OperationalError | InterfaceError))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called by Django inside its `except` for the uncaught exception."""
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
