"""The plan in public (/gallringsplan/) and the run log for administrators
(/personal/gallring/)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from torget.retention import permissions, selectors


@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "retention/plan.html",
        {
            "entries": selectors.plan(),
            "last_run": selectors.run_last(),
            "can_view_runs": permissions.can_view_runs(request.user),
        },
    )


@login_required
@require_safe
def runs(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_runs(request.user):
        raise PermissionDenied
    names = {entry.key: entry.kind.name for entry in selectors.plan()}
    rows = [
        {
            "run": run,
            "kinds": [
                (names.get(key, key), result["counts"]) for key, result in run.results.items()
            ],
        }
        for run in selectors.runs_recent()
    ]
    return render(
        request,
        "retention/runs.html",
        {
            "rows": rows,
            "can_change_plan": permissions.can_change_plan(request.user),
        },
    )
