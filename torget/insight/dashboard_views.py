"""The dashboards: public at /statistik/ (only public objects, only numbers), and for staff at
/personal/statistik/ with internal figures. Both take the period as `?fran=&till=`; a bad
period answers 400 with the form and its message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from torget.accounts.permissions import has_perm
from torget.insight import dashboard
from torget.insight.area_report import report_areas
from torget.insight.dashboard_forms import period_form

STAFF_PERMISSION = "insight.view_staff_dashboard"


def _render(request: HttpRequest, template: str, *, public: bool) -> HttpResponse:
    form = period_form(request)
    if not form.is_valid():
        return render(request, template, {"form": form, "figures": None}, status=400)
    context = {"form": form, "figures": dashboard.dashboard(form.period, public=public)}
    if not public:
        context["report_areas"] = report_areas()
    return render(request, template, context)


@require_safe
def public_dashboard(request: HttpRequest) -> HttpResponse:
    return _render(request, "insight/dashboard/public.html", public=True)


@login_required
@require_safe
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, STAFF_PERMISSION):
        raise PermissionDenied
    return _render(request, "insight/dashboard/staff.html", public=False)
