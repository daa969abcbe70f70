from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language

from torget.core import media

# The database out of reach is a 503 with a page that says so; anything else the usual 500.
handler500 = "torget.core.errors.server_error"

admin.site.site_header = _("Torget – administration")
admin.site.site_title = _("Torget")
admin.site.index_title = _("Personalens administration")

urlpatterns = [
    # One log-in page for everyone, the admin too: the same lock-out, rate limits and
    # two-factor step (Django's admin sends people to admin:login, that is here).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    # CSRF-exempt on purpose: a forged request can only switch a visitor's language (and `next`
    # is checked against the host), while a token in every page's language form would stop
    # shared caches from keeping public pages for anonymous visitors.
    path("sprak/", csrf_exempt(set_language), name="set_language"),
    # Proposals first: Django tries the patterns in order, and supporting a proposal is the
    # busiest write (a storm of people at once). No other app's pattern overlaps these.
    path("", include("torget.proposals.urls")),
    path("", include("torget.site.urls")),
    path("", include("torget.accounts.urls")),
    path("", include("torget.organisation.urls")),
    path("", include("torget.geo.urls")),
    path("", include("torget.notifications.urls")),
    path("", include("torget.identity.urls")),
    path("", include("torget.feedback.urls")),
    path("", include("torget.dialogues.urls")),
    path("", include("torget.meetings.urls")),
    path("", include("torget.results.urls")),
    path("", include("torget.evaluation.urls")),
    path("", include("torget.councils.urls")),
    path("", include("torget.safety.urls")),
    path("", include("torget.inspections.urls")),
    path("", include("torget.surveys.urls")),
    path("", include("torget.consultations.urls")),
    path("", include("torget.forum.urls")),
    path("", include("torget.mapinput.urls")),
    path("", include("torget.budget.urls")),
    path("", include("torget.api.urls")),
    path("", include("torget.insight.urls")),
    path("", include("torget.opendata.urls")),
    path("", include("torget.privacy.urls")),
    path("", include("torget.retention.urls")),
    # /healthz and /metrics: for the load balancer and Prometheus, not for people.
    path("", include("torget.operations.urls")),
]

# Uploads of cases, proposals, meetings and results are served by views that check who may see
# them (torget.core.media.serve_file), never by address under /media/. Only the public folders
# (torget.core.media.PUBLIC_MEDIA_DIRS: the logo) are, here or by nginx (see the README),
# whether DEBUG is on or off. A MEDIA_URL on another host (object storage) serves them there.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.lstrip('/')}<path:name>",
            media.public_media,
            name="public_media",
        )
    ]
