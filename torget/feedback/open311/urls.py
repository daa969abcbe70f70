"""Open311 GeoReport v2 under /open311/v2/. The format is the extension (.xml or .json);
without one the answer is XML, the standard's required format."""

from django.urls import re_path

from torget.feedback.open311 import views

app_name = "open311"

FMT = r"(?:\.(?P<fmt>[A-Za-z0-9]+))?$"

urlpatterns = [
    re_path(r"^$", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, views.token_detail, name="token"),
]
