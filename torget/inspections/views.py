"""Staff pages of the inspections part under /personal/besiktningar/: the yearly planning
view, planning and changing an inspection, and one inspection with its invited groups,
attendance and steps. Every page starts from selectors.access_inspection() (or the
editors' check), and every change is one service call."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.audit.selectors import entries_for_object
from torget.core.actions import Action
from torget.core.forms import apply_service_errors
from torget.inspections import forms, permissions, selectors, services
from torget.inspections.models import Inspection, InspectionStatus


def _require_editor(request: HttpRequest) -> None:
    if not permissions.edits_inspections(request.user):
        raise PermissionDenied


@login_required
@require_GET
def staff_plan(request: HttpRequest) -> HttpResponse:
    """The year's plan: each area's spring and autumn as planned, done or missing."""
    _require_editor(request)
    today = timezone.localdate()
    form = forms.YearForm(request.GET or None)
    year = (form.cleaned_data.get("ar") if form.is_valid() else None) or today.year
    rows = selectors.planning(year, today)
    return render(
        request,
        "inspections/staff/plan.html",
        {
            "year": year,
            "rows": rows,
            "warnings": [(row.council, cell) for row in rows for cell in row.cells if cell.warn],
            "previous_year": year - 1,
            "next_year": year + 1,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    initial = {}
    council_id = request.GET.get("rad", "")
    if council_id.isascii() and council_id.isdigit() and len(council_id) < 12:
        initial["council"] = int(council_id)
    form = forms.InspectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_plan(
                actor=request.user,
                council=data["council"],
                date=data["date"],
                starts_at=data.get("starts_at"),
                meeting_point=data["meeting_point"],
                route=data.get("route"),
                description=data.get("description") or "",
                groups=data["groups"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Besiktningen är planerad. Registrera närvaron per grupp efter vandringen."),
            )
            return redirect(inspection.get_absolute_url())
    return render(
        request,
        "inspections/staff/edit.html",
        {"form": form, "inspection": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    if inspection.status == InspectionStatus.CANCELLED:
        raise PermissionDenied
    form = forms.InspectionForm(
        request.POST if request.method == "POST" else None, inspection=inspection
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in services.INSPECTION_FIELDS}
        values["meeting_point"] = values["meeting_point"] or ""
        values["description"] = values["description"] or ""
        try:
            services.inspection_update(actor=request.user, inspection=inspection, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(inspection.get_absolute_url())
    return render(
        request,
        "inspections/staff/edit.html",
        {"form": form, "inspection": inspection},
        status=400 if form.errors else 200,
    )


def _hold(inspection: Inspection, actor: Any, form: Any) -> str:
    services.inspection_mark_held(actor=actor, inspection=inspection)
    return _("Besiktningen är markerad som genomförd. Registrera vilka grupper som deltog.")


def _protocol(inspection: Inspection, actor: Any, form: Any) -> str:
    services.inspection_protocol_done(actor=actor, inspection=inspection)
    return _("Protokollet är markerat som klart.")


def _cancel(inspection: Inspection, actor: Any, form: Any) -> str:
    services.inspection_cancel(
        actor=actor, inspection=inspection, reason=form.cleaned_data["reason"]
    )
    return _("Besiktningen är inställd. Planera en ny för säsongen.")


def _attendance(inspection: Inspection, actor: Any, form: Any) -> str:
    services.attendance_record(
        actor=actor, inspection=inspection, attended=form.cleaned_data["attended"]
    )
    return _("Närvaron är sparad.")


ACTIONS: dict[str, Action[Inspection]] = {
    "narvaro": Action(
        forms.AttendanceForm,
        _attendance,
        button=gettext_lazy("Spara närvaron"),
        heading=gettext_lazy("Närvaro per grupp"),
    ),
    "genomford": Action(
        forms.StepForm, _hold, button=gettext_lazy("Markera som genomförd"), step="hold"
    ),
    "protokoll": Action(
        forms.StepForm,
        _protocol,
        button=gettext_lazy("Markera protokollet som klart"),
        step="protocol",
    ),
    "installd": Action(
        forms.CancelForm,
        _cancel,
        button=gettext_lazy("Ställ in besiktningen"),
        danger=True,
        step="cancel",
    ),
}
AUDIT_ACTIONS = {
    "inspection.planned": gettext_lazy("Besiktningen planerades"),
    "inspection.updated": gettext_lazy("Besiktningen ändrades"),
    "inspection.attendance_recorded": gettext_lazy("Närvaro sparad"),
    "inspection.hold": gettext_lazy("Markerad som genomförd"),
    "inspection.protocol": gettext_lazy("Protokollet markerat som klart"),
    "inspection.cancel": gettext_lazy("Besiktningen ställdes in"),
}


def _form(name: str, inspection: Inspection, data: Any = None) -> Any:
    form_class = ACTIONS[name].form_class
    if form_class is forms.AttendanceForm:
        initial = {"attended": [row.group for row in inspection.groups.all() if row.attended]}
        return form_class(data, inspection=inspection, prefix=name, initial=initial)
    return form_class(data, prefix=name)


def _offered(inspection: Inspection) -> list[str]:
    from torget.inspections.workflow import PROCESS

    steps = {step.name for step in PROCESS.available(inspection)}
    names = [name for name, action in ACTIONS.items() if action.step in steps]
    if inspection.status in (InspectionStatus.HELD, InspectionStatus.PROTOCOL_DONE):
        names.insert(0, "narvaro")
    return names


def _detail(
    request: HttpRequest,
    inspection: Inspection,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = permissions.edits_inspections(request.user)
    actions = []
    if can_edit:
        for name in _offered(inspection):
            form = (bound or {}).get(name) or _form(name, inspection)
            actions.append((name, ACTIONS[name], form))
    return render(
        request,
        "inspections/staff/detail.html",
        {
            "inspection": inspection,
            "council": inspection.council,
            "groups": inspection.groups.all(),
            "can_edit": can_edit,
            "actions": actions,
            "audit_entries": [
                {"entry": entry, "label": AUDIT_ACTIONS.get(entry.action, entry.action)}
                for entry in entries_for_object(inspection).order_by("at", "pk")
            ]
            if can_edit
            else [],
        },
        status=status,
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_inspection(request.user, pk))


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = _form(action, inspection, request.POST)
    if not form.is_valid():
        return _detail(request, inspection, bound={action: form}, status=400)
    try:
        done = ACTIONS[action].take(inspection, request.user, form)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, inspection, bound={action: form}, status=400)
    messages.success(request, done)
    return redirect(inspection.get_absolute_url())
