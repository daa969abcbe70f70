"""Cases for those who read them without handling them: the safety coordinator sees the
synpunkter and felanmälningar in the areas it covers (/personal/arenden/mina-omraden/), without
the reporters' contact details. Handling stays in the contact centre's inbox."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from torget.feedback import selectors
from torget.feedback.permissions import can_read_cases_in_areas
from torget.geo.models import Area
from torget.geo.selectors import areas_within
from torget.organisation.selectors import areas_covered

PER_PAGE = 50


@login_required
@require_GET
def cases_in_my_areas(request: HttpRequest) -> HttpResponse:
    if not can_read_cases_in_areas(request.user):
        raise PermissionDenied
    covered = areas_covered(request.user)
    page = None
    if covered:
        cases = selectors.cases_in_areas(areas_within(covered))
        page = Paginator(cases, PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "feedback/staff/area_cases.html",
        {
            "page": page,
            "areas": Area.objects.filter(pk__in=covered).only("name", "slug"),
            "today": timezone.localdate(),
        },
    )
