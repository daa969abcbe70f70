"""Torget's addresses plus /bench/post/: the smallest Django POST view, for the baseline."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from torget.urls import urlpatterns as torget_urlpatterns


@require_POST
def minimal_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/post/", minimal_post), *torget_urlpatterns]
