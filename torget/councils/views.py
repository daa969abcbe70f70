"""Pages of the councils part: the public list and council page under /trygghet/rad/, and
the staff pages under /personal/rad/ where coordinators and administrators edit councils and
the utskott of a council's area reads everything of it.

Every staff page starts from selectors.access_council() (or access_council_for_editing()),
and every change is one service call."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.councils import forms, permissions, selectors, services
from torget.councils.models import Council, CouncilMeeting, CouncilMember
from torget.meetings import selectors as meeting_selectors

# --- Public ------------------------------------------------------------------------------------


@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/list.html", {"councils": list(selectors.councils_public())})


@require_GET
def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.public_council(slug)
    return render(
        request,
        "councils/detail.html",
        {"council": council, "published_meetings": selectors.published_minutes(council)},
    )


def body_section(request: HttpRequest, body: Any) -> str:
    """The council's members on its own body's public page (/om/organisation/<slug>/), as
    the council's page shows them: organisation and role, never a name."""
    council = selectors.public_council_of_body(body)
    if council is None:
        return ""
    return render_to_string("councils/_body_section.html", {"council": council})


# --- Staff: the list, a new council, changing one ----------------------------------------------


@login_required
@require_GET
def staff_index(request: HttpRequest) -> HttpResponse:
    councils = selectors.readable_councils(request.user)
    can_edit = permissions.edits_councils(request.user)
    if not (councils or can_edit):
        raise PermissionDenied
    return render(
        request, "councils/staff/index.html", {"councils": councils, "can_edit": can_edit}
    )


def _council_values(form: forms.CouncilForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in services.COUNCIL_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    if not permissions.edits_councils(request.user):
        raise PermissionDenied
    form = forms.CouncilForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                **{k: v or "" if k != "area" else v for k, v in _council_values(form).items()},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Rådet är skapat. Lägg till ledamöterna."))
            return redirect(council.staff_url())
    return render(
        request,
        "councils/staff/edit.html",
        {"form": form, "council": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.access_council_for_editing(request.user, pk)
    form = forms.CouncilForm(request.POST if request.method == "POST" else None, instance=council)
    if request.method == "POST" and form.is_valid():
        values = _council_values(form)
        try:
            services.council_update(
                actor=request.user,
                council=council,
                **{k: (v if k == "area" else v or "") for k, v in values.items()},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(council.staff_url())
    return render(
        request,
        "councils/staff/edit.html",
        {"form": form, "council": council},
        status=400 if form.errors else 200,
    )


# --- Staff: one council ------------------------------------------------------------------------


def _member_values(form: forms.MemberForm) -> dict[str, Any]:
    values = {name: form.cleaned_data.get(name) for name in services.MEMBER_FIELDS}
    for name in ("name", "organisation", "role", "represents", "email", "phone"):
        values[name] = values[name] or ""
    return values


def _add_member(council: Council, actor: Any, form: Any) -> str:
    services.member_add(actor=actor, council=council, **_member_values(form))
    return _("Ledamoten är tillagd.")


def _set_chair(council: Council, actor: Any, form: Any) -> str:
    services.chair_set(
        actor=actor,
        council=council,
        member=form.cleaned_data.get("member"),
        coordinator=form.cleaned_data.get("coordinator"),
        reason=form.cleaned_data.get("reason") or "",
    )
    return _("Ordföranden är sparad.")


def _add_support(council: Council, actor: Any, form: Any) -> str:
    services.support_add(
        actor=actor,
        council=council,
        user=form.cleaned_data["user"],
        task=form.cleaned_data.get("task") or "",
    )
    return _("Tjänstepersonen är tillagd som administrativt stöd.")


def _close(council: Council, actor: Any, form: Any) -> str:
    services.council_close(
        actor=actor,
        council=council,
        closed_on=form.cleaned_data["closed_on"],
        reason=form.cleaned_data["reason"],
    )
    return _("Rådet är avslutat. Det finns kvar med sina möten och dokument.")


def _participation(council: Council, actor: Any, form: Any) -> str:
    services.participation_record(
        actor=actor,
        council=council,
        person=form.cleaned_data["person"],
        matter=form.cleaned_data["matter"],
        decided_on=form.cleaned_data["decided_on"],
        decision_reference=form.cleaned_data.get("decision_reference") or "",
        council_meeting=form.cleaned_data.get("council_meeting"),
    )
    return _("Utskottets beslut om deltagande är sparat. Det ger rätt till ersättning.")


ACTIONS: dict[str, Action[Council]] = {
    "ledamot": Action(forms.MemberForm, _add_member, button=gettext_lazy("Lägg till ledamot")),
    "ordforande": Action(forms.ChairForm, _set_chair, button=gettext_lazy("Spara ordförande")),
    "stod": Action(forms.SupportForm, _add_support, button=gettext_lazy("Lägg till stöd")),
    "deltagande": Action(
        forms.ParticipationForm, _participation, button=gettext_lazy("Spara utskottets beslut")
    ),
    "avsluta": Action(forms.CloseForm, _close, button=gettext_lazy("Avsluta rådet"), danger=True),
}
NEEDS_COUNCIL = {"ordforande", "deltagande"}
AUDIT_ACTIONS = {
    "council.created": gettext_lazy("Rådet skapades"),
    "council.updated": gettext_lazy("Rådet ändrades"),
    "council.closed": gettext_lazy("Rådet avslutades"),
    "council.member_added": gettext_lazy("Ledamot tillagd"),
    "council.member_updated": gettext_lazy("Ledamot ändrad"),
    "council.support_added": gettext_lazy("Administrativt stöd tillagt"),
    "council.chair_set": gettext_lazy("Ordförande vald"),
    "council.chair_exception": gettext_lazy("Samordnaren är ordförande (undantag)"),
    "council.meeting_planned": gettext_lazy("Möte planerat, inbjudan till utskottet"),
    "council.secretary_appointed": gettext_lazy("Sekreterare utsedd"),
    "council.attendance_recorded": gettext_lazy("Närvaro sparad"),
    "council.minutes_sent": gettext_lazy("Protokollet skickat till utskottet"),
    "council.utskott_participation": gettext_lazy("Utskottets beslut om deltagande"),
    "council.retied": gettext_lazy("Knutet till utskottet som nu täcker området"),
}


def _form(name: str, council: Council, data: Any = None) -> Any:
    form_class = ACTIONS[name].form_class
    if name in NEEDS_COUNCIL:
        return form_class(data, council=council, prefix=name)
    return form_class(data, prefix=name)


def _detail(
    request: HttpRequest,
    council: Council,
    *,
    bound: dict[str, Any] | None = None,
    page_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = permissions.edits_councils(request.user)
    actions = []
    if can_edit and not council.is_closed:
        for name, action in ACTIONS.items():
            if name == "deltagande" and council.utskott is None:
                continue
            form = (bound or {}).get(name) or _form(name, council)
            actions.append((name, action, form))
    return render(
        request,
        "councils/staff/detail.html",
        {
            "council": council,
            "can_edit": can_edit,
            "members": council.members.select_related("user").order_by(
                "-term_to", "organisation", "name"
            ),
            "current_ids": set(selectors.current_members(council).values_list("pk", flat=True)),
            "support": council.support.select_related("user"),
            "meetings": selectors.council_meetings(council),
            "participations": selectors.participations(council),
            "actions": actions,
            "page_errors": page_errors or [],
            "audit_entries": audit_log_rows(council, AUDIT_ACTIONS) if can_edit else [],
        },
        status=status,
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_council(request.user, pk))


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    council = selectors.access_council_for_editing(request.user, pk)
    return handle_action_post(
        request,
        council,
        action_or_404(ACTIONS, action),
        _form(action, council, request.POST),
        success_url=council.staff_url(),
        invalid=lambda form: _detail(request, council, bound={action: form}, status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    council = selectors.access_council_for_editing(request.user, pk)
    member = get_object_or_404(CouncilMember, pk=member_pk, council=council)
    form = forms.MemberForm(request.POST if request.method == "POST" else None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **_member_values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ledamoten är sparad."))
            return redirect(council.staff_url())
    return render(
        request,
        "councils/staff/member.html",
        {"form": form, "council": council, "member": member},
        status=400 if form.errors else 200,
    )


# --- Staff: the council's meetings -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.access_council_for_editing(request.user, pk)
    if council.is_closed:
        raise PermissionDenied
    form = forms.CouncilMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            council_meeting = services.council_meeting_plan(
                actor=request.user, council=council, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Mötet är planerat med en agenda kring fokusfrågorna, och inbjudan har "
                    "gått till utskottet. Publicera agendan när den är klar."
                ),
            )
            return redirect(council_meeting.meeting.staff_url())
    return render(
        request,
        "councils/staff/meeting_plan.html",
        {"form": form, "council": council},
        status=400 if form.errors else 200,
    )


def _meeting_page(
    request: HttpRequest,
    council: Council,
    council_meeting: CouncilMeeting,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    meeting = council_meeting.meeting
    can_edit = permissions.edits_councils(request.user)
    bound = bound or {}
    forms_ = {}
    if can_edit:
        forms_ = {
            "sekreterare": bound.get("sekreterare")
            or forms.SecretaryForm(
                council=council,
                prefix="sekreterare",
                initial={"member": council_meeting.secretary_id},
            ),
            "narvaro": bound.get("narvaro")
            or forms.AttendanceForm(
                council=council,
                prefix="narvaro",
                initial={"present": list(council_meeting.present.values_list("pk", flat=True))},
            ),
        }
    return render(
        request,
        "councils/staff/meeting.html",
        {
            "council": council,
            "council_meeting": council_meeting,
            "meeting": meeting,
            "agenda": meeting.agenda.all(),
            "documentation": meeting_selectors.documentation(meeting),
            "attachments": meeting.attachments.all(),
            "present": council_meeting.present.all(),
            "can_edit": can_edit,
            "forms": forms_,
        },
        status=status,
    )


def _appoint_secretary(council_meeting: CouncilMeeting, actor: Any, form: Any) -> str:
    services.secretary_appoint(
        actor=actor, council_meeting=council_meeting, member=form.cleaned_data["member"]
    )
    return _("Sekreteraren är utsedd.")


def _record_attendance(council_meeting: CouncilMeeting, actor: Any, form: Any) -> str:
    services.attendance_record(
        actor=actor, council_meeting=council_meeting, present=list(form.cleaned_data["present"])
    )
    return _("Närvaron är sparad.")


MEETING_ACTIONS: dict[str, Action[CouncilMeeting]] = {
    "sekreterare": Action(forms.SecretaryForm, _appoint_secretary),
    "narvaro": Action(forms.AttendanceForm, _record_attendance),
}


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    council = selectors.access_council(request.user, pk)
    council_meeting = selectors.access_council_meeting(request.user, council, meeting_pk)
    return _meeting_page(request, council, council_meeting)


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, meeting_pk: int, action: str) -> HttpResponse:
    council = selectors.access_council_for_editing(request.user, pk)
    council_meeting = selectors.access_council_meeting(request.user, council, meeting_pk)
    spec = action_or_404(MEETING_ACTIONS, action)
    return handle_action_post(
        request,
        council_meeting,
        spec,
        spec.form_class(request.POST, council=council, prefix=action),
        success_url=reverse(
            "councils:staff_meeting", kwargs={"pk": council.pk, "meeting_pk": council_meeting.pk}
        ),
        invalid=lambda form: _meeting_page(
            request, council, council_meeting, bound={action: form}, status=400
        ),
    )
