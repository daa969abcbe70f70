"""Staff pages of the inspections part under /personal/besiktningar/: the yearly planning
view, planning and changing an inspection, and one inspection with its invited groups,
attendance and steps. Every page starts from selectors.access_inspection() (or the
editors' check), and every change is one service call."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.inspections import forms, invitations, pdf, permissions, selectors, services
from torget.inspections.models import Action as InspectionAction
from torget.inspections.models import Finding, Inspection, InspectionStatus


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
            "warnings": [
                (row.council, cell)
                for row in rows
                for cell in row.cells
                if cell.warn or cell.overdue
            ],
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


def _contact(inspection: Inspection, actor: Any, form: Any) -> str:
    data = form.cleaned_data
    invitations.contact_add(
        actor=actor,
        inspection=inspection,
        group=data["group"],
        name=data.get("name") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
    )
    return _("Kontakten är tillagd. Den får inbjudan när du skickar den.")


def _invite(inspection: Inspection, actor: Any, form: Any) -> str:
    counts = invitations.invitation_send(actor=actor, inspection=inspection)
    return (
        _(
            "Inbjudan är skickad till utskottet för medborgardialog, med %(emails)s e-post och "
            "%(phones)s sms till gruppernas kontakter."
        )
        % counts
    )


def _publish(inspection: Inspection, actor: Any, form: Any) -> str:
    services.protocol_publish(actor=actor, inspection=inspection)
    return _("Den publika versionen av protokollet är publicerad under Trygghet.")


ACTIONS: dict[str, Action[Inspection]] = {
    "kontakt": Action(
        forms.ContactForm,
        _contact,
        button=gettext_lazy("Lägg till kontakten"),
        heading=gettext_lazy("Lägg till en kontakt för en inbjuden grupp"),
    ),
    "inbjudan": Action(
        forms.StepForm,
        _invite,
        button=gettext_lazy("Skicka inbjudan"),
        heading=gettext_lazy("Skicka inbjudan"),
    ),
    "andrad-inbjudan": Action(
        forms.StepForm,
        _invite,
        button=gettext_lazy("Skicka ändrad inbjudan"),
        heading=gettext_lazy("Skicka ändrad inbjudan"),
    ),
    "narvaro": Action(
        forms.AttendanceForm,
        _attendance,
        button=gettext_lazy("Spara närvaron"),
        heading=gettext_lazy("Närvaro per grupp"),
    ),
    "genomford": Action(
        forms.StepForm, _hold, button=gettext_lazy("Markera som genomförd"), step="hold"
    ),
    "protokoll-klart": Action(
        forms.StepForm,
        _protocol,
        button=gettext_lazy("Markera protokollet som klart"),
        step="protocol",
    ),
    "publicera": Action(
        forms.StepForm,
        _publish,
        button=gettext_lazy("Publicera den publika versionen"),
        heading=gettext_lazy("Publicera protokollet"),
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
    "inspection.finding_added": gettext_lazy("Fynd registrerat"),
    "inspection.photo_public": gettext_lazy("Foto godkänt för den publika versionen"),
    "inspection.photo_private": gettext_lazy("Foto inte längre publikt"),
    "inspection.problem_set": gettext_lazy("Problemet för orsaksanalysen sparat"),
    "inspection.cause_added": gettext_lazy("Orsak tillagd"),
    "inspection.follow_up": gettext_lazy("Åtgärd följd upp"),
    "inspection.finding_updated": gettext_lazy("Fynd ändrat"),
    "inspection.cause_updated": gettext_lazy("Orsak ändrad"),
    "inspection.fault_reported": gettext_lazy("Fynd felanmält"),
    "inspection.published": gettext_lazy("Den publika versionen publicerad"),
    "inspection.contact_added": gettext_lazy("Kontakt tillagd"),
    "inspection.contact_removed": gettext_lazy("Kontakt borttagen"),
    "inspection.invited": gettext_lazy("Inbjudan skickad"),
    "inspection.invitation_changed": gettext_lazy("Ändrad inbjudan skickad"),
}


def _form(name: str, inspection: Inspection, data: Any = None) -> Any:
    form_class = ACTIONS[name].form_class
    if form_class is forms.AttendanceForm:
        initial = {"attended": [row.group for row in inspection.groups.all() if row.attended]}
        return form_class(data, inspection=inspection, prefix=name, initial=initial)
    if form_class is forms.ContactForm:
        return form_class(data, inspection=inspection, prefix=name)
    return form_class(data, prefix=name)


def _offered(inspection: Inspection) -> list[str]:
    from torget.inspections.workflow import PROCESS

    steps = {step.name for step in PROCESS.available(inspection)}
    names = [name for name, action in ACTIONS.items() if action.step in steps]
    if inspection.status in (InspectionStatus.HELD, InspectionStatus.PROTOCOL_DONE):
        names.insert(0, "narvaro")
    if inspection.status == InspectionStatus.PROTOCOL_DONE and inspection.published_at is None:
        names.append("publicera")
    if inspection.status == InspectionStatus.PLANNED:
        invite = "inbjudan" if inspection.invited_at is None else "andrad-inbjudan"
        names[:0] = ["kontakt", invite]
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
            # Contact details only for those who edit the inspection.
            "group_contacts": selectors.groups_with_contacts(inspection) if can_edit else [],
            "findings": selectors.findings(inspection),
            "follow_ups": _follow_ups(inspection, can_edit, bound or {}),
            "can_add_findings": can_edit
            and inspection.status
            not in (InspectionStatus.CANCELLED, InspectionStatus.PROTOCOL_DONE),
            "can_edit": can_edit,
            "actions": actions,
            "audit_entries": audit_log_rows(inspection, AUDIT_ACTIONS) if can_edit else [],
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
    step = action_or_404(ACTIONS, action)
    return handle_action_post(
        request,
        inspection,
        step,
        _form(action, inspection, request.POST),
        success_url=inspection.get_absolute_url(),
        invalid=lambda form: _detail(request, inspection, bound={action: form}, status=400),
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    contact = selectors.access_contact(request.user, inspection, contact_pk)
    invitations.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("Kontakten är borttagen."))
    return redirect(inspection.get_absolute_url() + "#groups-heading")


# --- Findings ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding entered on a phone during the walk; works without JavaScript."""
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    form = forms.FindingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_add(
                actor=request.user,
                inspection=inspection,
                category=data["category"],
                description=data["description"],
                address=data.get("address") or "",
                lat=data.get("lat"),
                lon=data.get("lon"),
                photos=data.get("photos") or [],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Fyndet är registrerat. Lägg till nästa eller gör orsaksanalysen.")
            )
            return redirect(finding.get_absolute_url())
    return render(
        request,
        "inspections/staff/finding_form.html",
        {"form": form, "inspection": inspection, "council": inspection.council},
        status=400 if form.errors else 200,
    )


def _finding_page(
    request: HttpRequest,
    inspection: Inspection,
    finding: Finding,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = permissions.edits_inspections(request.user)
    bound = bound or {}
    finding_forms: dict[str, Any] = {}
    step_forms: dict[int, Any] = {}
    actions = list(finding.actions.select_related("cause"))
    if can_edit:
        for name in FINDING_FORMS:
            finding_forms[name] = bound.get(name) or _finding_form(name, finding)
        if not finding.photos.exists():
            del finding_forms["foto"]
        if finding.case_id is not None:
            del finding_forms["felanmalan"]
        for action in actions:
            if action.is_open:
                step_forms[action.pk] = bound.get(f"steg-{action.pk}") or forms.ActionStepForm(
                    action=action, prefix=f"steg-{action.pk}"
                )
    return render(
        request,
        "inspections/staff/finding.html",
        {
            "inspection": inspection,
            "council": inspection.council,
            "finding": finding,
            "photos": finding.photos.all(),
            "can_edit": can_edit,
            "can_correct": can_edit
            and inspection.status
            not in (InspectionStatus.CANCELLED, InspectionStatus.PROTOCOL_DONE),
            "finding_forms": finding_forms,
            "causes": finding.causes.all(),
            "actions": [(action, step_forms.get(action.pk)) for action in actions],
            "today": timezone.localdate(),
        },
        status=status,
    )


def _photo_public(finding: Finding, actor: Any, data: dict[str, Any]) -> str:
    services.finding_photo_set_public(actor=actor, photo=data["photo"], is_public=data["is_public"])
    return _("Fotots synlighet är sparad.")


def _problem(finding: Finding, actor: Any, data: dict[str, Any]) -> str:
    services.problem_set(actor=actor, finding=finding, problem=data["problem"])
    return _("Problemet är sparat. Lägg till orsakerna.")


def _cause(finding: Finding, actor: Any, data: dict[str, Any]) -> str:
    services.cause_add(
        actor=actor,
        finding=finding,
        description=data["description"],
        influenced_by=data["influenced_by"],
    )
    return _("Orsaken är tillagd.")


def _propose(finding: Finding, actor: Any, data: dict[str, Any]) -> str:
    services.action_propose(
        actor=actor,
        finding=finding,
        description=data["description"],
        responsible=data["responsible"],
        responsible_kind=data["responsible_kind"],
        due_on=data["due_on"],
        cause=data.get("cause"),
    )
    return _("Åtgärden är föreslagen.")


def _report_fault(finding: Finding, actor: Any, data: dict[str, Any]) -> str:
    case = services.finding_report_fault(actor=actor, finding=finding, category=data["category"])
    return _("Fyndet är felanmält som ärende %(number)s, med en åtgärd för förvaltningen.") % {
        "number": case.number
    }


# The forms of a finding's page, by the address's action: (form class, what it does).
FINDING_FORMS: dict[str, tuple[Any, Any]] = {
    "felanmalan": (forms.FaultReportForm, _report_fault),
    "problem": (forms.ProblemForm, _problem),
    "orsak": (forms.CauseForm, _cause),
    "atgard": (forms.ActionForm, _propose),
    "foto": (forms.PhotoPublicForm, _photo_public),
}


def _finding_form(name: str, finding: Finding, data: Any = None) -> Any:
    form_class = FINDING_FORMS[name][0]
    if form_class in (forms.ActionForm, forms.PhotoPublicForm):
        return form_class(data, finding=finding, prefix=name)
    if form_class is forms.ProblemForm:
        return form_class(
            data, prefix=name, initial={"problem": finding.problem or finding.description}
        )
    return form_class(data, prefix=name)


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection = selectors.access_inspection(request.user, pk)
    return _finding_page(
        request, inspection, selectors.access_finding(request.user, inspection, finding_pk)
    )


@login_required
@require_POST
def finding_action(request: HttpRequest, pk: int, finding_pk: int, action: str) -> HttpResponse:
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    finding = selectors.access_finding(request.user, inspection, finding_pk)
    form_class, take = FINDING_FORMS.get(action) or (None, None)
    if form_class is None or take is None:
        raise Http404
    return handle_action_post(
        request,
        finding,
        Action(form_class, lambda obj, actor, form: take(obj, actor, form.cleaned_data)),
        _finding_form(action, finding, request.POST),
        success_url=finding.get_absolute_url(),
        invalid=lambda form: _finding_page(
            request, inspection, finding, bound={action: form}, status=400
        ),
    )


@login_required
@require_safe
def staff_photo(request: HttpRequest, pk: int, photo_pk: int, key: str) -> HttpResponseBase:
    photo = selectors.access_finding_photo(request.user, pk, photo_pk, key)
    return serve_file(photo.image, public=False, content_type="image/jpeg")


# --- Actions and their follow-up ---------------------------------------------------------------

STEP_DONE = {
    "agree": gettext_lazy("Åtgärden är överenskommen."),
    "start": gettext_lazy("Åtgärden är påbörjad."),
    "complete": gettext_lazy("Åtgärden är genomförd."),
    "give_up": gettext_lazy("Åtgärden är markerad som inte genomförd, med skälet."),
}


@login_required
@require_POST
def action_step(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    action = selectors.access_action(request.user, inspection, action_pk)
    finding = action.finding
    prefix = f"steg-{action.pk}"

    def take(action: InspectionAction, actor: Any, form: Any) -> str:
        step = form.cleaned_data["step"]
        services.action_step(
            actor=actor, action=action, step=step, reason=form.cleaned_data.get("reason") or ""
        )
        return str(STEP_DONE[step])

    return handle_action_post(
        request,
        action,
        Action(forms.ActionStepForm, take),
        forms.ActionStepForm(request.POST, action=action, prefix=prefix),
        success_url=finding.get_absolute_url(),
        invalid=lambda form: _finding_page(
            request, inspection, finding, bound={prefix: form}, status=400
        ),
    )


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """At the area's next inspection: was the earlier action's cause removed?"""
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    action = selectors.access_action_to_follow_up(request.user, inspection, action_pk)
    prefix = f"uppf-{action.pk}"

    def take(action: InspectionAction, actor: Any, form: Any) -> str:
        services.follow_up_record(
            actor=actor,
            inspection=inspection,
            action=action,
            cause_removed=form.cleaned_data["cause_removed"],
            note=form.cleaned_data.get("note") or "",
        )
        return _("Uppföljningen är sparad.")

    return handle_action_post(
        request,
        action,
        Action(forms.FollowUpForm, take),
        forms.FollowUpForm(request.POST, prefix=prefix),
        success_url=inspection.get_absolute_url() + "#follow-up-heading",
        invalid=lambda form: _detail(request, inspection, bound={prefix: form}, status=400),
    )


def _follow_ups(
    inspection: Inspection, can_edit: bool, bound: dict[str, Any]
) -> list[tuple[InspectionAction, Any]]:
    rows = []
    for action in selectors.actions_to_follow_up(inspection):
        form = None
        if can_edit and inspection.status != InspectionStatus.CANCELLED:
            prefix = f"uppf-{action.pk}"
            recorded = action.follow_up  # type: ignore[attr-defined]
            form = bound.get(prefix) or forms.FollowUpForm(
                prefix=prefix,
                initial={"cause_removed": recorded.cause_removed, "note": recorded.note}
                if recorded
                else None,
            )
        rows.append((action, form))
    return rows


# --- The protocol ------------------------------------------------------------------------------


@login_required
@require_GET
def staff_protocol(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol for the council and the utskott: everything, with who recorded what."""
    inspection = selectors.access_inspection(request.user, pk)
    return render(
        request,
        "inspections/staff/protocol.html",
        selectors.protocol(inspection, public=False),
    )


@login_required
@require_GET
def staff_protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol as PDF, for the same readers as the page."""
    inspection = selectors.access_inspection(request.user, pk)
    return pdf.protocol_response(request, inspection, public=False)


@require_GET
def public_protocol(request: HttpRequest, pk: int) -> HttpResponse:
    """The published public version: no names of persons, only photos approved for it."""
    inspection = selectors.public_protocol(pk)
    return render(
        request,
        "inspections/public_protocol.html",
        selectors.protocol(inspection, public=True),
    )


@require_GET
def public_protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The published public version as PDF."""
    inspection = selectors.public_protocol(pk)
    return pdf.protocol_response(request, inspection, public=True)


@require_safe
def public_photo(request: HttpRequest, pk: int, photo_pk: int, key: str) -> HttpResponseBase:
    photo = selectors.public_photo(pk, photo_pk, key)
    return serve_file(photo.image, public=True, content_type="image/jpeg")


# --- Corrections after the walk ----------------------------------------------------------------


def _correctable(request: HttpRequest, pk: int) -> Inspection:
    """The inspection, for an editor, while what it records may still change."""
    inspection = selectors.access_inspection_for_editing(request.user, pk)
    if inspection.status in (InspectionStatus.CANCELLED, InspectionStatus.PROTOCOL_DONE):
        raise PermissionDenied
    return inspection


def _correct_page(
    request: HttpRequest, template: str, form: Any, context: dict[str, Any]
) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    """Correct a finding: category, description, place (pin or address) and the problem."""
    inspection = _correctable(request, pk)
    finding = selectors.access_finding(request.user, inspection, finding_pk)
    form = forms.FindingEditForm(
        request.POST if request.method == "POST" else None, finding=finding
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_update(
                actor=request.user,
                finding=finding,
                category=data["category"],
                description=data["description"],
                address=data.get("address") or "",
                lat=data.get("lat"),
                lon=data.get("lon"),
                problem=data.get("problem") or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna av fyndet är sparade."))
            return redirect(finding.get_absolute_url())
    return _correct_page(
        request,
        "inspections/staff/finding_form.html",
        form,
        {"inspection": inspection, "council": inspection.council, "finding": finding},
    )


def _correct(
    request: HttpRequest,
    inspection: Inspection,
    finding: Finding,
    form: Any,
    save: Any,
    *,
    done: str,
    heading: str,
) -> HttpResponse:
    """A cause's or an action's correction page: `save(cleaned_data)` on a valid POST, then
    back to the finding with `done`; otherwise the form (400 with its errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(finding.get_absolute_url())
    return _correct_page(
        request,
        "inspections/staff/correct.html",
        form,
        {
            "inspection": inspection,
            "council": inspection.council,
            "finding": finding,
            "heading": heading,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cause_edit(request: HttpRequest, pk: int, cause_pk: int) -> HttpResponse:
    inspection = _correctable(request, pk)
    cause = selectors.access_cause(request.user, inspection, cause_pk)
    form = forms.CauseForm(
        request.POST if request.method == "POST" else None,
        initial={"description": cause.description, "influenced_by": cause.influenced_by},
    )
    return _correct(
        request,
        inspection,
        cause.finding,
        form,
        lambda data: services.cause_update(actor=request.user, cause=cause, **data),
        done=_("Ändringarna av orsaken är sparade."),
        heading=_("Ändra orsaken"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    inspection = _correctable(request, pk)
    action = selectors.access_action(request.user, inspection, action_pk)
    form = forms.ActionEditForm(request.POST if request.method == "POST" else None, action=action)
    return _correct(
        request,
        inspection,
        action.finding,
        form,
        lambda data: services.action_update(actor=request.user, action=action, **data),
        done=_("Ändringarna av åtgärden är sparade."),
        heading=_("Ändra åtgärden"),
    )
