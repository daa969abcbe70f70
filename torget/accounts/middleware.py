"""Staff sessions: an idle and an absolute time limit, and the one-time code step.

Staff hold personal data of many citizens, so their sessions are shorter than citizens' and,
where STAFF_REQUIRE_2FA is on, a staff log-in is not finished until the one-time code from an
authenticator app (or a recovery code) is given: every page but the two-factor pages themselves
and log-out sends the person there first. The admin is covered in the same way.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from torget.accounts import selectors

LOGIN_AT = "torget_login_at"
SEEN_AT = "torget_seen_at"
# Whether the account had an authenticator app at log-in (asked once, not on every request).
HAS_APP = "torget_has_2fa"
# Whether the account held a staff role at log-in.
STAFF_ROLE = "torget_staff_role"
# Pages an unverified staff session may still reach: the way to verify, and the way out.
OPEN_BEFORE_VERIFIED = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_recovery_codes",
    "accounts:logout",
    "set_language",
}


def session_started(request: HttpRequest, user: Any) -> None:
    """Called at every log-in (user_logged_in)."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[HAS_APP] = selectors.has_two_factor(user)
    request.session[STAFF_ROLE] = selectors.is_staff_member(user)


def app_added(request: HttpRequest) -> None:
    request.session[HAS_APP] = True


def is_staff_session(request: HttpRequest, user: Any) -> bool:
    """Staff: the staff flag, which giving any staff role sets (accounts.services.role_assign,
    the admin), a superuser, or a staff role at log-in. No query per request."""
    return bool(user.is_staff or user.is_superuser or request.session.get(STAFF_ROLE))


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        staff = is_staff_session(request, user)
        if staff and self._expired(request):
            logout(request)
            messages.info(
                request,
                _("Du har loggats ut eftersom det gått en tid. Logga in igen för att fortsätta."),
            )
            return redirect_to_login(request.get_full_path())
        # Staff where two-factor is required, and anyone who has set up an app, give its code.
        needs_code = (staff and settings.STAFF_REQUIRE_2FA) or request.session.get(HAS_APP)
        if needs_code and not user.is_verified():
            match = request.resolver_match
            if match is None or match.view_name not in OPEN_BEFORE_VERIFIED:
                target = (
                    "accounts:two_factor_verify"
                    if selectors.has_two_factor(user)
                    else "accounts:two_factor_setup"
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return None

    def _expired(self, request: HttpRequest) -> bool:
        """Past the idle or the absolute limit (0 switches a limit off); notes this visit."""
        idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
        absolute = settings.STAFF_SESSION_MAX_HOURS * 3600
        if not idle and not absolute:
            return False
        now = time.time()
        session = request.session
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        if (idle and now - seen_at > idle) or (absolute and now - login_at > absolute):
            return True
        # Written at most once a minute, so that not every page view saves the session.
        if now - seen_at >= 60 or SEEN_AT not in session:
            session[SEEN_AT] = now
        return False
