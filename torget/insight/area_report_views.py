"""The area report's page and PDF (/personal/statistik/omraden/<area>/ and …/rapport.pdf, for
staff), and the coordinator's two actions on it: attach it to an utskott meeting, send it on
to KF (POST only, each with a confirmation message)."""

from __future__ import annotations

import time
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from torget.accounts.permissions import has_perm
from torget.core.pdf import pdf_response, render_pdf
from torget.insight import area_report_services as services
from torget.insight.area_report import (
    AreaReport,
    area_for_report,
    area_report,
    report_filename,
    report_title,
    upcoming_utskott_meetings,
)
from torget.insight.dashboard_forms import PeriodForm, period_form
from torget.meetings.models import Meeting

VIEW_PERMISSION = "insight.view_staff_dashboard"

# How long the last PDF took to build (seconds), for the README's figure and the logs.
last_pdf_seconds: list[float] = []


class AttachForm(forms.Form):
    meeting = forms.TypedChoiceField(label=gettext_lazy("Utskottets möte"), coerce=int)

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {meeting.pk: meeting for meeting in meetings}
        cast(forms.TypedChoiceField, self.fields["meeting"]).choices = [
            (meeting.pk, f"{meeting.title} ({meeting.starts_at:%Y-%m-%d})") for meeting in meetings
        ]


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Meddelande till kommunfullmäktige (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _require_view(request: HttpRequest) -> None:
    if not has_perm(request.user, VIEW_PERMISSION):
        raise PermissionDenied


def _report(request: HttpRequest, slug: str, data: Any) -> tuple[PeriodForm, AreaReport | None]:
    _require_view(request)
    area = area_for_report(slug)
    form = period_form(request) if data is None else PeriodForm(data)
    if not form.is_valid():
        return form, None
    return form, area_report(area, form.period)


def _page(
    request: HttpRequest,
    form: PeriodForm,
    report: AreaReport | None,
    *,
    attach_form: AttachForm | None = None,
    forward_form: ForwardForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_forward = has_perm(request.user, services.FORWARD_PERMISSION)
    context: dict[str, Any] = {"form": form, "report": report, "can_forward": can_forward}
    if report is not None:
        context["title"] = report_title(report)
        context["query"] = services.report_url(report).split("?", 1)[1]
        if can_forward:
            meetings = upcoming_utskott_meetings(report)
            context["attach_form"] = attach_form or AttachForm(meetings=meetings)
            context["forward_form"] = forward_form or ForwardForm()
    return render(request, "insight/dashboard/area_report.html", context, status=status)


@login_required
@require_safe
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    form, report = _report(request, slug, None)
    return _page(request, form, report, status=200 if report else 400)


def build_pdf(request: HttpRequest, report: AreaReport) -> bytes:
    started = time.perf_counter()
    html = render_to_string(
        "insight/dashboard/area_report_pdf.html",
        {
            "report": report,
            "title": report_title(report),
            "page_url": request.build_absolute_uri(services.report_url(report)),
        },
        request=request,
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    last_pdf_seconds[:] = [time.perf_counter() - started]
    return pdf


@login_required
@require_safe
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    form, report = _report(request, slug, None)
    if report is None:
        return _page(request, form, report, status=400)
    return pdf_response(build_pdf(request, report), filename=report_filename(report), private=True)


def _after(request: HttpRequest, report: AreaReport) -> HttpResponseRedirect:
    return HttpResponseRedirect(services.report_url(report))


@login_required
@require_POST
def report_attach(request: HttpRequest, slug: str) -> HttpResponse:
    form, report = _report(request, slug, request.POST)
    if not has_perm(request.user, services.FORWARD_PERMISSION):
        raise PermissionDenied
    if report is None:
        return _page(request, form, report, status=400)
    attach_form = AttachForm(request.POST, meetings=upcoming_utskott_meetings(report))
    if not attach_form.is_valid():
        return _page(request, form, report, attach_form=attach_form, status=400)
    meeting = attach_form.meetings[attach_form.cleaned_data["meeting"]]
    try:
        services.area_report_attach(
            report=report, meeting=meeting, actor=request.user, pdf=build_pdf(request, report)
        )
    except services.AreaReportError as error:
        attach_form.add_error(None, str(error))
        return _page(request, form, report, attach_form=attach_form, status=400)
    messages.success(
        request,
        _(
            "Rapporten är bifogad till mötet ”%(meeting)s”, och utskottets ledamöter har fått besked."
        )
        % {"meeting": meeting.title},
    )
    return _after(request, report)


@login_required
@require_POST
def report_forward(request: HttpRequest, slug: str) -> HttpResponse:
    form, report = _report(request, slug, request.POST)
    if not has_perm(request.user, services.FORWARD_PERMISSION):
        raise PermissionDenied
    if report is None:
        return _page(request, form, report, status=400)
    forward_form = ForwardForm(request.POST)
    if not forward_form.is_valid():
        return _page(request, form, report, forward_form=forward_form, status=400)
    try:
        told = services.area_report_forward(
            report=report, actor=request.user, note=forward_form.cleaned_data["note"]
        )
    except services.AreaReportError as error:
        forward_form.add_error(None, str(error))
        return _page(request, form, report, forward_form=forward_form, status=400)
    messages.success(
        request,
        _("Rapporten är skickad till kommunfullmäktige (%(count)s mottagare).") % {"count": told},
    )
    return _after(request, report)
