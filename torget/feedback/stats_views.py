"""Statistics pages: the anonymous figures for everyone at /statistik/synpunkter/, and for
staff at /personal/arenden/statistik/ the same with a filter by förvaltning and a CSV export.

The figures are read by `statistics.case_statistics`; the pages only parse the filters and
render. Nothing here reads personal data, so the public page is the same for everyone.
"""

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.core.inputs import MonthField
from torget.feedback import stats_charts
from torget.feedback.permissions import can_handle
from torget.feedback.statistics import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    CaseStatistics,
    KindGroup,
    Row,
    add_months,
    case_statistics,
    case_statistics_shared,
    default_period,
    month_end,
    months_between,
)
from torget.organisation.models import Administration

STATISTICS_PERMISSION = "feedback.view_feedback_statistics"


class StatisticsFilterForm(forms.Form):
    """The period (default: the last 12 months), the kind, and for staff the förvaltning."""

    fran = MonthField(
        label=gettext_lazy("Från och med månad"),
        required=False,
        help_text=gettext_lazy("År och månad, till exempel 2026-01."),
    )
    till = MonthField(
        label=gettext_lazy("Till och med månad"),
        required=False,
        help_text=gettext_lazy("År och månad, till exempel 2026-12."),
    )
    typ = forms.ChoiceField(
        label=gettext_lazy("Typ av ärenden"),
        required=False,
        choices=[
            ("", gettext_lazy("Alla")),
            (KindGroup.OPINIONS, gettext_lazy("Synpunkter")),
            (KindGroup.FAULTS, gettext_lazy("Felanmälningar")),
        ],
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("fran") and not self.data.get("till"):
            # Show the default period in the fields, so the visitor sees what is counted.
            start, end = default_period()
            self.data = {
                **dict(self.data.items()),
                "fran": f"{start:%Y-%m}",
                "till": f"{end:%Y-%m}",
            }
        if staff:
            self.fields["forvaltning"] = forms.ModelChoiceField(
                label=gettext_lazy("Förvaltning"),
                required=False,
                queryset=Administration.objects.order_by("name"),
                to_field_name="slug",
                empty_label=gettext_lazy("Alla förvaltningar"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "fran" in self.errors or "till" in self.errors:
            return data
        default_start, default_end = default_period()
        start: datetime.date | None = data.get("fran")
        end: datetime.date | None = data.get("till")
        if start is None:
            start = add_months(end, 1 - DEFAULT_MONTHS) if end else default_start
        if end is None:
            end = min(add_months(start, DEFAULT_MONTHS - 1), max(start, default_end))
        end = month_end(end)
        if end < start:
            self.add_error("till", _("Slutmånaden kan inte vara före startmånaden."))
        elif len(months_between(start, end)) > MAX_MONTHS:
            self.add_error(
                "till", _("Välj en period på högst %(months)s månader.") % {"months": MAX_MONTHS}
            )
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for case_statistics (call after is_valid())."""
        administration = self.cleaned_data.get("forvaltning")
        return {
            "start": self.cleaned_data["start"],
            "end": self.cleaned_data["end"],
            "kind_group": self.cleaned_data.get("typ") or "",
            "administration_id": administration.pk if administration else None,
        }


def _figures(form: StatisticsFilterForm, *, shared: bool = False) -> dict[str, Any]:
    if not form.is_valid():
        return {"form": form, "stats": None}
    if shared:
        filters = form.filters()
        stats = case_statistics_shared(
            start=filters["start"], end=filters["end"], kind_group=filters["kind_group"]
        )
    else:
        stats = case_statistics(**form.filters())
    return {
        "form": form,
        "stats": stats,
        "months_chart": stats_charts.months_svg(stats.per_month),
        "categories_chart": stats_charts.rows_svg(
            stats.per_category, title=_("Ärenden per kategori"), chart_id="arenden-per-kategori"
        ),
    }


@require_safe
def public_statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsFilterForm(request.GET)
    return render(request, "feedback/statistics_public.html", _figures(form, shared=True))


def _require_statistics(user: Actor) -> None:
    if not has_perm(user, STATISTICS_PERMISSION):
        raise PermissionDenied


@login_required
@require_safe
def staff_statistics(request: HttpRequest) -> HttpResponse:
    _require_statistics(request.user)
    form = StatisticsFilterForm(request.GET, staff=True)
    context = _figures(form)
    context["query"] = request.GET.urlencode()
    context["can_handle"] = can_handle(request.user)
    return render(request, "feedback/statistics_staff.html", context)


# --- CSV export ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    # A name a spreadsheet would read as a formula stays text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # Excel in Sweden reads a decimal comma
    return "" if value is None else value


def csv_rows(stats: CaseStatistics) -> Iterator[list[Any]]:
    """The aggregate figures, one per line: section, what, value. No personal data."""
    yield [_("Period"), _("Från"), stats.start.isoformat()]
    yield [_("Period"), _("Till"), stats.end.isoformat()]
    yield [_("Antal ärenden"), _("Totalt"), stats.total]
    yield [_("Antal ärenden"), _("Öppna"), stats.open]
    yield [_("Antal ärenden"), _("Avslutade"), stats.closed]
    for month, count in stats.per_month:
        yield [_("Per månad"), f"{month:%Y-%m}", count]
    sections: list[tuple[str, list[Row]]] = [
        (_("Per typ"), stats.per_kind),
        (_("Per kategori"), stats.per_category),
        (_("Per område"), stats.per_area),
        (_("Per förvaltning"), stats.per_administration),
    ]
    for section, rows in sections:
        for row in rows:
            yield [section, row.label, row.count]
    first = _("Tid till första svar (arbetsdagar)")
    yield [first, _("Antal besvarade"), stats.first_response_days.count]
    yield [first, _("Median"), stats.first_response_days.median]
    yield [first, _("90:e percentilen"), stats.first_response_days.p90]
    resolution = _("Tid till avslut (kalenderdagar)")
    yield [resolution, _("Antal avslutade"), stats.resolution_days.count]
    yield [resolution, _("Median"), stats.resolution_days.median]
    yield [resolution, _("90:e percentilen"), stats.resolution_days.p90]
    level = _("Besvarade inom servicenivån (%(days)s arbetsdagar)") % {
        "days": stats.service_level_days
    }
    yield [level, _("I tid"), stats.answered_in_time]
    yield [level, _("Bedömda"), stats.service_level_measured]
    yield [level, _("Andel i procent"), stats.share_in_time]
    # The handling unit of the cases and its service-level result, one line per figure.
    for result in stats.per_unit:
        section = _("Per handläggande enhet: %(unit)s") % {"unit": result.label}
        yield [section, _("Antal ärenden"), result.count]
        yield [section, _("I tid"), result.answered_in_time]
        yield [section, _("Bedömda"), result.service_level_measured]
        yield [section, _("Andel i procent"), result.share_in_time]
        yield [section, _("Median till första svar (arbetsdagar)"), result.first_response_median]


@login_required
@require_safe
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, as the proposals' export: what Excel
    in Sweden opens as is. A few hundred lines at most, so not streamed."""
    _require_statistics(request.user)
    form = StatisticsFilterForm(request.GET, staff=True)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stats = case_statistics(**form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Avsnitt"), _("Vad"), _("Värde")])
    for row in csv_rows(stats):
        writer.writerow([_cell(value) for value in row])
    suffix = f"{stats.start:%Y-%m}-{stats.end:%Y-%m}"
    response["Content-Disposition"] = f'attachment; filename="arendestatistik-{suffix}.csv"'
    response["Cache-Control"] = "no-store"
    return response
