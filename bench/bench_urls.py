"""Torget's addresses plus three for the benchmarks:

- /bench/get/: the smallest Django GET view, the load mix's baseline;
- /bench/post/: the smallest Django POST view, the baseline;
- /bench/support-checks/<pk>/: everything the support page does except writing the support
  (the e-ID step, both rate limits, the confirmation and its redirect). Its throughput is the
  ceiling for the supports' own: what they could reach if storing them cost nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from torget.identity.selectors import fresh_verification
from torget.proposals import support_views
from torget.urls import handler500  # noqa: F401 (the database out of reach is a 503 here too)
from torget.urls import urlpatterns as torget_urlpatterns


def minimal_get(request: HttpRequest) -> HttpResponse:
    """The smallest Django GET view: the baseline of the load mix (bench/load_mix.py)."""
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def minimal_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_POST
def support_checks(request: HttpRequest, pk: int) -> HttpResponse:
    verification = fresh_verification(request)
    if verification is None:
        return HttpResponse("no e-ID step", status=403, content_type="text/plain")
    if support_views._limited(request, verification, forget=pk):
        return HttpResponse("limited", status=429, content_type="text/plain")
    return support_views._confirmed(request, pk)


urlpatterns = [
    path("bench/get/", minimal_get),
    path("bench/post/", minimal_post),
    path("bench/support-checks/<int:pk>/", support_checks),
    *torget_urlpatterns,
]
