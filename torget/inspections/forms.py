"""Forms of the inspections part. They only parse input; the rules live in services.py and
workflow.py. The route is typed as coordinates, one point a line, so it works without
JavaScript; the map draws it where JavaScript runs."""

import math
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.councils.models import Council
from torget.dialogues.staff_forms import DateInput
from torget.inspections.models import Inspection, InvitedGroup
from torget.inspections.selectors import inspected_councils

TEXT_MAX = 5000
ROUTE_POINTS_MAX = 500
_NUMBER = r"-?\d{1,3}(?:[.,]\d{1,10})?"
_POINT = re.compile(rf"^\s*({_NUMBER})\s*[ ,;]\s*({_NUMBER})\s*$")


def parse_route(text: str) -> dict[str, Any] | None:
    """'lat, lon' a line (decimal degrees, a comma or point as decimal sign when the two are
    separated by a space) → a GeoJSON LineString with [lon, lat] positions."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) > ROUTE_POINTS_MAX:
        raise forms.ValidationError(_("Sträckningen får ha högst 500 punkter."))
    coordinates = []
    for number, line in enumerate(lines, start=1):
        match = _POINT.match(line) if len(line) < 60 else None
        if match is None:
            raise forms.ValidationError(
                _("Rad %(line)s: skriv en punkt per rad som latitud, longitud."),
                params={"line": number},
            )
        lat, lon = (float(value.replace(",", ".")) for value in match.groups())
        if not (math.isfinite(lat) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError(
                _("Rad %(line)s: punkten finns inte på kartan."), params={"line": number}
            )
        coordinates.append([lon, lat])
    if len(coordinates) < 2:
        raise forms.ValidationError(_("Sträckningen ska ha minst två punkter."))
    return {"type": "LineString", "coordinates": coordinates}


def route_text(route: Any) -> str:
    coordinates = (route or {}).get("coordinates") or []
    return "\n".join(f"{lat}, {lon}" for lon, lat in coordinates)


class InspectionForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Trygghetsråd"), queryset=Council.objects.none())
    date = inputs.DateField(
        label=_("Datum"),
        widget=DateInput,
        help_text=_("Våren räknas till och med 30 juni, hösten till och med 30 november."),
    )
    starts_at = forms.TimeField(
        label=_("Klockan"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    meeting_point = forms.CharField(label=_("Samlingsplats"), max_length=250)
    route = forms.CharField(
        label=_("Sträckning"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Valfritt. En punkt per rad som latitud, longitud, till exempel 58.4108, 15.6214."
        ),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    groups = forms.MultipleChoiceField(
        label=_("Inbjudna grupper"),
        choices=InvitedGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(InvitedGroup.values),
    )

    def __init__(self, *args: Any, inspection: Inspection | None = None, **kwargs: Any) -> None:
        if inspection is not None:
            kwargs.setdefault(
                "initial",
                {
                    "council": inspection.council_id,
                    "date": inspection.date,
                    "starts_at": inspection.starts_at,
                    "meeting_point": inspection.meeting_point,
                    "route": route_text(inspection.route),
                    "description": inspection.description,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = inspected_councils()  # type: ignore[attr-defined]
        if inspection is not None:
            # An inspection stays with its council, and its invitations are sent.
            del self.fields["council"]
            del self.fields["groups"]

    def clean_route(self) -> dict[str, Any] | None:
        return parse_route(self.cleaned_data.get("route") or "")


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Grupper som deltog"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [  # type: ignore[attr-defined]
            (row.group, row.get_group_display()) for row in inspection.groups.all()
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför ställs besiktningen in?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepForm(forms.Form):
    """A step without fields of its own (held, protocol done)."""


class YearForm(forms.Form):
    ar = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)
