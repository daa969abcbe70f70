"""The period filter of the dashboards and the area report: `?fran=&till=` as dates."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.insight.dashboard import Period, default_period

MAX_DAYS = 5 * 366  # five years at most: the charts over time stay readable


class PeriodForm(forms.Form):
    """From and to (both days included); either may be left out: the default period is the
    last twelve months, and a lone end or start makes a year with it."""

    fran = forms.DateField(
        label=gettext_lazy("Från och med"),
        required=False,
        help_text=gettext_lazy("Datum, till exempel 2026-01-01."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    till = forms.DateField(
        label=gettext_lazy("Till och med"),
        required=False,
        help_text=gettext_lazy("Datum, till exempel 2026-12-31."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        default = default_period()
        start: datetime.date | None = data.get("fran")
        end: datetime.date | None = data.get("till")
        year = datetime.timedelta(days=364)
        if any(day is not None and not 1900 <= day.year <= 9000 for day in (start, end)):
            raise forms.ValidationError(_("Välj datum mellan år 1900 och 9000."))
        if start is None and end is None:
            start, end = default.start, default.end
        elif start is None and end is not None:
            start = end - year
        elif end is None and start is not None:
            end = start + year
        if start is None or end is None:  # not reached: one of the branches above set both
            raise forms.ValidationError(_("Välj en period."))
        if end < start:
            self.add_error("till", _("Slutdatumet kan inte vara före startdatumet."))
        elif (end - start).days > MAX_DAYS:
            self.add_error("till", _("Välj en period på högst fem år."))
        data["period"] = Period(start, end)
        return data

    @property
    def period(self) -> Period:
        """The chosen period (call after is_valid())."""
        return self.cleaned_data["period"]  # type: ignore[no-any-return]


def period_form(request: Any) -> PeriodForm:
    """The form bound to the query string, with the default period filled in when none was
    given, so the visitor sees what is counted."""
    data = request.GET.copy()
    if not data.get("fran") and not data.get("till"):
        default = default_period()
        data["fran"], data["till"] = default.start.isoformat(), default.end.isoformat()
    return PeriodForm(data)
