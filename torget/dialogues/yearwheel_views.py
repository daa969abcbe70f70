"""Year planning pages (seed 004 §2): the public year wheel (*årshjul*) at /dialoger/arshjul/,
and for staff the förvaltningar's annual plans (*verksamhetsplaner*) at
/personal/dialoger/verksamhetsplaner/, where the wheel can be shown with initiatives too.

The public wheel starts from `selectors.dialogues_public()`, so an initiative not yet decided
on (or one that was declined) is never on it; only the staff page starts from all dialogues.
"""

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from torget.dialogues import selectors, yearwheel
from torget.dialogues.models import Dialogue, InitiativeKind, Status
from torget.geo.models import Area
from torget.organisation.models import Administration, Body

FIRST_YEAR, LAST_YEAR = 2000, 2100


class WheelFilterForm(forms.Form):
    """The year (default: this year), the political body and the area."""

    ar = forms.IntegerField(
        label=gettext_lazy("År"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    organ = forms.ModelChoiceField(
        label=gettext_lazy("Politiskt organ"),
        required=False,
        queryset=Body.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("Alla organ"),
    )
    omrade = forms.ModelChoiceField(
        label=gettext_lazy("Område"),
        required=False,
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        empty_label=gettext_lazy("Alla områden"),
        help_text=gettext_lazy("Dialoger i områden som ligger inom området kommer också med."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ar"].widget.attrs["placeholder"] = str(timezone.localdate().year)

    def year(self) -> int:
        return self.cleaned_data.get("ar") or timezone.localdate().year

    def filtered(self, dialogues: Any) -> Any:
        return yearwheel.filter_dialogues(
            dialogues, body=self.cleaned_data.get("organ"), area=self.cleaned_data.get("omrade")
        )


class AnnualPlanFilterForm(WheelFilterForm):
    forvaltning = forms.ModelChoiceField(
        label=gettext_lazy("Förvaltning"),
        required=False,
        queryset=Administration.objects.order_by("name"),
        to_field_name="slug",
        empty_label=gettext_lazy("Alla förvaltningar"),
    )
    hjul = forms.BooleanField(
        label=gettext_lazy("Visa årshjulet, med initiativ som ännu inte är beslutade"),
        required=False,
    )
    field_order = ["ar", "forvaltning", "organ", "omrade", "hjul"]

    def filtered(self, dialogues: Any) -> Any:
        dialogues = super().filtered(dialogues)
        if self.cleaned_data.get("forvaltning"):
            dialogues = dialogues.filter(administration=self.cleaned_data["forvaltning"])
        return dialogues


def _year_links(request: HttpRequest, year: int) -> dict[str, str]:
    """The previous and next year, with the other filters kept."""
    links = {}
    for name, other in (("previous", year - 1), ("next", year + 1)):
        if FIRST_YEAR <= other <= LAST_YEAR:
            query = request.GET.copy()
            query["ar"] = str(other)
            links[name] = "?" + query.urlencode()
    return links


@require_safe
def year_wheel(request: HttpRequest) -> HttpResponse:
    form = WheelFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "wheel": None}
    if form.is_valid():
        year = form.year()
        context.update(
            year=year,
            wheel=yearwheel.year_wheel(form.filtered(selectors.dialogues_public()), year=year),
            year_links=_year_links(request, year),
        )
    return render(request, "dialogues/year_wheel.html", context)


def _staff_url(dialogue: Dialogue) -> str:
    return dialogue.staff_url()


@login_required
@require_safe
def annual_plans(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_staff_pages(request.user):
        raise PermissionDenied
    form = AnnualPlanFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "plans": None, "wheel": None}
    if form.is_valid():
        year = form.year()
        # Staff see every dialogue here, initiatives included (never on the public wheel).
        dialogues = form.filtered(Dialogue.objects.all())
        plans = yearwheel.annual_plans(dialogues, year=year)
        if request.GET.get("format") == "csv":
            return _plans_csv(plans, year)
        context.update(
            year=year,
            plans=plans,
            year_links=_year_links(request, year),
            csv_query=_with(request, format="csv"),
        )
        if form.cleaned_data.get("hjul"):
            context["wheel"] = yearwheel.year_wheel(
                dialogues, year=year, url=_staff_url, chart_id="arshjul-personal"
            )
    return render(request, "dialogues/annual_plans.html", context)


def _with(request: HttpRequest, **values: str) -> str:
    query = request.GET.copy()
    for name, value in values.items():
        query[name] = value
    return "?" + query.urlencode()


# --- CSV export ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    # A title a spreadsheet would read as a formula stays text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _plans_csv(plans: list[yearwheel.AnnualPlan], year: int) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, what Excel in Sweden opens as is."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Förvaltning"),
            _("Prioritet"),
            _("Dialog"),
            _("Initiativ"),
            _("Status"),
            _("Delaktighetssteg"),
            _("Börjar"),
            _("Slutar"),
            _("Beslut väntas"),
            _("Särskild tyngd"),
        ]
    )
    for plan in plans:
        for dialogue in plan.dialogues:
            writer.writerow(
                [
                    _cell(value)
                    for value in (
                        plan.administration.name,
                        dialogue.plan_priority,
                        dialogue.title,
                        InitiativeKind(dialogue.initiative_kind).label,
                        Status(dialogue.status).label,
                        dialogue.ladder_step,
                        dialogue.starts_on and dialogue.starts_on.isoformat(),
                        dialogue.ends_on and dialogue.ends_on.isoformat(),
                        dialogue.decision_expected_on and dialogue.decision_expected_on.isoformat(),
                        _("Ja") if dialogue.special_weight else _("Nej"),
                    )
                ]
            )
    response["Content-Disposition"] = f'attachment; filename="verksamhetsplaner-{year}.csv"'
    response["Cache-Control"] = "no-store"
    return response
