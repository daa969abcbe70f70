from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from torget.geo.forms import PopulationImportForm
from torget.geo.models import AreaKind
from torget.geo.permissions import can_import_population
from torget.geo.population import AGE_BANDS
from torget.geo.selectors import areas_public, population_current, population_table
from torget.geo.services import PopulationFileError, areas_as_feature_collection, population_import


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def population(request: HttpRequest) -> HttpResponse:
    """Personal: the population figures in force, and a new file to replace them."""
    if not can_import_population(request.user):
        raise PermissionDenied
    form = PopulationImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            source = population_import(file=upload, actor=request.user, file_name=upload.name)
        except PopulationFileError as error:
            form.add_error("file", _("Filen har inte lästs in. Inget ur den är sparat."))
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Befolkningsstatistiken är inläst: %(count)d rader.")
                % {"count": source.row_count},
            )
            return redirect("geo:population")
    current = population_current()
    return render(
        request,
        "geo/staff/population.html",
        {
            "form": form,
            "current": current,
            "table": population_table(current) if current else None,
            "age_bands": ", ".join(AGE_BANDS),
        },
    )
