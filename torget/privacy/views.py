"""The staff's data-protection pages: the register with model and field names, and the tool
for a person's rights. A search is always a POST, so an e-mail address, a number or a
personnummer never goes into an address (and so into a server's access log)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from torget.accounts.permissions import has_perm
from torget.core.pdf import pdf_response, render_pdf
from torget.privacy import selectors, services
from torget.privacy.forms import EraseForm, ExportForm, SearchForm
from torget.privacy.models import Action, SearchedBy

HANDLE = "privacy.handle_rights_request"


@login_required
@require_safe
def register_staff(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "privacy.view_register_staff"):
        raise PermissionDenied
    return render(request, "privacy/register_staff.html", {"register": selectors.register()})


def _check(request: HttpRequest) -> None:
    if not has_perm(request.user, HANDLE):
        raise PermissionDenied


def _results(request: HttpRequest, subject: selectors.pd.Subject, searched_by: str) -> HttpResponse:
    found = selectors.found_for(subject)
    return render(
        request,
        "privacy/rights_results.html",
        {
            "found": found,
            "total": sum(len(item.rows) for item in found),
            "searched_by": SearchedBy(searched_by).label,
            "token": selectors.subject_token(subject, searched_by=searched_by),
        },
    )


@never_cache
@sensitive_post_parameters("value")
@login_required
@require_http_methods(["GET", "POST"])
def rights(request: HttpRequest) -> HttpResponse:
    """Search for everything about one person (by e-mail, phone or personnummer)."""
    _check(request)
    form = SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _results(request, form.cleaned_data["subject"], form.cleaned_data["searched_by"])
    return render(request, "privacy/rights.html", {"form": form})


def _subject(request: HttpRequest, token: str) -> tuple[selectors.pd.Subject, str] | None:
    try:
        return selectors.subject_from_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(
            request,
            _("Sökningen har gått ut eller är ogiltig. Sök på personen igen."),
        )
        return None


@never_cache
@login_required
@require_POST
def rights_export(request: HttpRequest) -> HttpResponse:
    """The person's data as JSON or as a readable PDF."""
    _check(request)
    form = ExportForm(request.POST)
    found_subject = _subject(request, request.POST.get("subject", "")) if form.is_valid() else None
    if found_subject is None:
        if not form.is_valid():
            messages.error(request, _("Välj JSON eller PDF och sök på personen igen."))
        return redirect("privacy:rights")
    subject, searched_by = found_subject
    found = selectors.found_for(subject)
    record = services.rights_request_record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.EXPORT,
        searched_by=searched_by,
        counts={"rows": {item.label: len(item.rows) for item in found}},
    )
    now = timezone.now()
    filename = f"personuppgifter-{record.reference}"
    if form.cleaned_data["format"] == "json":
        document = selectors.export_document(found, reference=record.reference, at=now)
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=f"{filename}.json") or ""
        )
        response["Cache-Control"] = "private, no-store"
        return response
    html = render_to_string(
        "privacy/rights_pdf.html",
        {"found": found, "reference": record.reference, "at": now},
        request=request,
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, filename=f"{filename}.pdf", private=True)


@never_cache
@login_required
@require_POST
def rights_erase(request: HttpRequest) -> HttpResponse:
    """Erasure, in two steps: a summary of what will happen, then the erasure itself."""
    _check(request)
    form = EraseForm(request.POST)
    found_subject = _subject(request, request.POST.get("subject", "")) if form.is_valid() else None
    if found_subject is None:
        return redirect("privacy:rights")
    subject, searched_by = found_subject
    if not form.cleaned_data["confirm"]:
        found = selectors.found_for(subject)
        return render(
            request,
            "privacy/rights_erase.html",
            {
                "plan": selectors.erasure_plan(found),
                "token": form.cleaned_data["subject"],
            },
        )
    record = services.personal_data_erase(
        subject=subject,
        searched_by=searched_by,
        actor=request.user,  # type: ignore[arg-type]
    )
    counts = record.counts
    messages.success(
        request,
        _(
            "Klart (referensnummer %(reference)s): %(deleted)d rader raderade, "
            "%(anonymised)d avidentifierade och %(kept)d sparade med skäl."
        )
        % {
            "reference": record.reference,
            "deleted": sum(counts["deleted"].values()),
            "anonymised": sum(counts["anonymised"].values()),
            "kept": sum(item["rows"] for item in counts["kept"].values()),
        },
    )
    return redirect("privacy:rights")
