from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from torget.councils.models import CouncilKind
from torget.councils.selectors import councils_of_area, councils_public
from torget.geo.selectors import areas_public
from torget.inspections import permissions as inspection_permissions
from torget.inspections import selectors as inspection_selectors
from torget.organisation.selectors import dialogue_committees
from torget.privacy.selectors import register as personal_data_register
from torget.safety.selectors import current_promise, promise_follow_ups, survey_trends
from torget.site.selectors import area_life, safety_work_of_area, safety_work_sections


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/home.html",
        {
            "committees": dialogue_committees().select_related("area"),
            "area_count": areas_public().count(),
        },
    )


@require_GET
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Området: what is going on there now, as the start page promises: dialogues, meetings,
    proposals, fault reports, and the area's utskott with its members and meetings."""
    area = get_object_or_404(areas_public().prefetch_related("children"), slug=slug)
    return render(
        request,
        "site/area_detail.html",
        {
            "area": area,
            "life": area_life(area),
            # The area's safety work: its council, its survey trends and (when the safety
            # inspections arrive) its latest inspection, beside each other.
            "safety_councils": list(councils_of_area(area).filter(kind=CouncilKind.SAFETY)),
            "survey_trends": survey_trends(area),
            "safety_work": safety_work_of_area(area),
        },
    )


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html", {"register": personal_data_register()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    """Trygghet: what the municipality does for safety: the councils, the safety
    inspections' sections (site.selectors.safety_work_sections), the survey trends and the
    citizens' promise."""
    councils = list(councils_public().filter(kind=CouncilKind.SAFETY))
    promise = current_promise()
    return render(
        request,
        "site/safety.html",
        {
            "councils": [c for c in councils if not c.is_closed],
            "closed_councils": [c for c in councils if c.is_closed],
            "safety_work": safety_work_sections(),
            "survey_trends": survey_trends(),
            "promise": promise,
            "follow_ups": promise_follow_ups(promise) if promise else None,
        },
    )


@login_required
@require_GET
def backoffice(request: HttpRequest) -> HttpResponse:
    """Personal: the staff start page. The Django admin is the back office until the
    later parts give staff views of their own."""
    if not request.user.has_perm("accounts.access_backoffice"):
        raise PermissionDenied
    # The safety coordinator is warned of seasons without an inspection planned,
    # and of the actions from inspections that are past their due date.
    coordinates = inspection_permissions.edits_inspections(request.user)
    return render(
        request,
        "site/backoffice.html",
        {
            "inspection_warnings": inspection_selectors.season_warnings() if coordinates else [],
            "overdue_actions": list(inspection_selectors.overdue_actions()) if coordinates else [],
        },
    )
