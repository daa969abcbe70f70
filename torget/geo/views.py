from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from torget.geo.models import AreaKind
from torget.geo.selectors import areas_public
from torget.geo.services import areas_as_feature_collection


@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    areas = list(areas_public())
    groups = [
        (label, [area for area in areas if area.kind == kind]) for kind, label in AreaKind.choices
    ]
    return render(
        request,
        "geo/area_list.html",
        {"groups": [(label, items) for label, items in groups if items], "areas": areas},
    )


@require_GET
def areas_geojson(request: HttpRequest) -> HttpResponse:
    areas = areas_public()
    if kinds := request.GET.get("typ"):
        areas = areas.filter(kind__in=kinds.split(","))
    return HttpResponse(areas_as_feature_collection(areas), content_type="application/geo+json")


@require_GET
def area_geojson(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(areas_public(), slug=slug)
    return HttpResponse(areas_as_feature_collection([area]), content_type="application/geo+json")
