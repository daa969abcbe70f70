"""The addresses of api: /api/v1/<dataset>/ (list) and /api/v1/<dataset>/<id>/ (one), the
areas as GeoJSON, the OpenAPI document (/api/schema/) and its documentation (/api/docs/).

The version is in the path: a change that would break a client gets /api/v2/, and v1 stays."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from torget.api import views
from torget.api.registry import ENDPOINTS

app_name = "api"

router = SimpleRouter()
for slug, endpoint in ENDPOINTS.items():
    router.register(slug, views.viewset_for(endpoint), basename=slug)

urlpatterns = [
    path("api/v1/", views.IndexView.as_view(), name="index"),
    # Before the router's patterns, which would read "geojson" as an area's id.
    path("api/v1/omraden/geojson/", views.AreaGeoJsonView.as_view(), name="omraden-geojson"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/docs/", views.docs, name="docs"),
]
