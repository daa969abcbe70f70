"""Pages of the safety part: the public page of a citizens' promise, and the staff pages
under /personal/trygghet/ where the safety coordinators and the administrators import survey
results and keep the citizens' promise with its follow-ups. The public /trygghet/ page is
the site's (torget.site.views.safety); it shows what selectors.py offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.audit.selectors import audit_log_rows
from torget.core.forms import apply_service_errors
from torget.safety import forms, permissions, selectors, services
from torget.safety.models import CitizensPromise
from torget.safety.survey_file import Problem, SurveyFileError

AUDIT_ACTIONS = {
    "safety.promise_created": gettext_lazy("Medborgarlöftet skapades"),
    "safety.promise_changed": gettext_lazy("Medborgarlöftet ändrades"),
    "safety.commitment_added": gettext_lazy("Ett åtagande lades till"),
    "safety.follow_up_recorded": gettext_lazy("En uppföljning registrerades"),
    "safety.follow_up_changed": gettext_lazy("En uppföljning ändrades"),
}

# --- Public ------------------------------------------------------------------------------------


def _promise_public(request: HttpRequest, promise: CitizensPromise | None) -> HttpResponse:
    return render(
        request,
        "safety/promise.html",
        {
            "promise": promise,
            "follow_ups": selectors.promise_follow_ups(promise) if promise else None,
            "others": selectors.promises().exclude(pk=promise.pk) if promise else [],
        },
    )


@require_GET
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _promise_public(request, selectors.public_promise(pk))


@require_GET
def promise_current(request: HttpRequest) -> HttpResponse:
    """The promise in force (an address for posters that lasts from one promise to the
    next), or a page that says what will be here."""
    return _promise_public(request, selectors.current_promise())


# --- Staff -------------------------------------------------------------------------------------


def _require_editor(request: HttpRequest) -> None:
    if not permissions.edits_safety(request.user):
        raise PermissionDenied


@login_required
@require_GET
def staff_index(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    return render(
        request,
        "safety/staff/index.html",
        {"results": selectors.survey_results(), "promises": selectors.promises()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = forms.SurveyImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = services.survey_import(
                actor=request.user,
                data=upload.read(),
                filename=upload.name or "",
                replace=form.cleaned_data["replace"],
            )
        except SurveyFileError as error:
            problems = error.problems
            form.add_error(
                "file",
                _("Filen har inte importerats. Rätta raderna nedan och försök igen."),
            )
        else:
            messages.success(
                request,
                _("Resultaten är importerade: %(results)s.")
                % {"results": ", ".join(f"{r.area.name} {r.year}" for r in imported)},
            )
            return redirect("safety:staff_index")
    return render(request, "safety/staff/import.html", {"form": form, "problems": problems})


@login_required
@require_http_methods(["GET", "POST"])
def promise_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = forms.PromiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.promise_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Medborgarlöftet är skapat. Lägg till åtagandena."))
            return redirect(promise.staff_url())
    return render(request, "safety/staff/promise_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def promise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    promise = selectors.access_promise(pk)
    form = forms.PromiseForm(request.POST if request.method == "POST" else None, instance=promise)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.access_promise(pk)
        try:
            services.promise_update(actor=request.user, promise=fresh, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Medborgarlöftet är sparat."))
            return redirect(fresh.staff_url())
    return render(request, "safety/staff/promise_edit.html", {"form": form, "promise": promise})


def _promise_page(
    request: HttpRequest,
    promise: CitizensPromise,
    commitment_form: forms.CommitmentForm | None = None,
    follow_up_form: forms.FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "safety/staff/promise.html",
        {
            "promise": promise,
            "follow_ups": selectors.promise_follow_ups(promise),
            "commitment_form": commitment_form or forms.CommitmentForm(),
            "follow_up_form": follow_up_form or forms.FollowUpForm(promise=promise),
            "log": audit_log_rows(promise, AUDIT_ACTIONS),
        },
        status=status,
    )


@login_required
@require_GET
def staff_promise(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    return _promise_page(request, selectors.access_promise(pk))


@login_required
@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    promise = selectors.access_promise(pk)
    form = forms.CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_add(
                actor=request.user, promise=promise, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Åtagandet är tillagt."))
            return redirect(promise.staff_url())
    return _promise_page(request, promise, commitment_form=form, status=400)


@login_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    promise = selectors.access_promise(pk)
    form = forms.FollowUpForm(request.POST, promise=promise)
    if form.is_valid():
        year, tertial = form.tertial_value()
        commitment = promise.commitments.get(pk=form.cleaned_data["commitment"])
        try:
            services.follow_up_record(
                actor=request.user,
                commitment=commitment,
                year=year,
                tertial=tertial,
                party=form.cleaned_data["party"],
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Uppföljningen är sparad och publicerad."))
            return redirect(promise.staff_url())
    return _promise_page(request, promise, follow_up_form=form, status=400)
