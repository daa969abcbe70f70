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
from torget.feedback.models import Category, CategoryUse
from torget.inspections.models import (
    Cause,
    CauseRemoved,
    FindingCategory,
    FindingPhoto,
    Inspection,
    InvitedGroup,
    ResponsibleKind,
)
from torget.inspections.selectors import inspected_councils
from torget.inspections.workflow import ACTION_PROCESS

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to five photos; each is checked from its content by the service (core.images)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > 5:
            raise forms.ValidationError(_("Du kan lägga till högst fem foton."))
        return [super(PhotosField, self).clean(f, initial) for f in files]


class FindingForm(forms.Form):
    """A finding entered on a phone during the walk. The place is a pin (the map sets the
    coordinates where JavaScript runs; they can be typed too) or an address or description."""

    category = forms.ChoiceField(label=_("Kategori"), choices=FindingCategory.choices)
    description = forms.CharField(
        label=_("Vad såg ni?"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(
        label=_("Plats eller adress"),
        required=False,
        max_length=250,
        help_text=_("Till exempel en adress, en korsning eller ”gångtunneln under Ringvägen”."),
    )
    lat = forms.FloatField(
        label=_("Latitud"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitud"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    photos = PhotosField(
        label=_("Foton"),
        required=False,
        help_text=_("Högst fem. Platsinformation och annan metadata tas bort."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        for name in ("lat", "lon"):
            value = data.get(name)
            if value is not None and not math.isfinite(value):
                self.add_error(name, _("Skriv ett tal."))
                data[name] = None
        if (lat is None) != (lon is None) and not self.errors.get("lat"):
            self.add_error("lon", _("Skriv både latitud och longitud, eller ingen av dem."))
        elif lat is None and not data.get("address") and "address" not in self.errors:
            self.add_error(
                "address",
                _("Markera platsen på kartan, skriv koordinaterna eller beskriv platsen."),
            )
        return data


class FindingEditForm(FindingForm):
    """Correcting a finding after the walk: its place, what was seen and the problem (photos
    are added with a new finding; each one's visibility is set on the finding's page)."""

    problem = forms.CharField(
        label=_("Observerat problem"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vad är problemet som orsaksanalysen ska förklara?"),
    )

    def __init__(self, *args: Any, finding: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "category": finding.category,
                "description": finding.description,
                "address": finding.address,
                "lat": finding.lat,
                "lon": finding.lon,
                "problem": finding.problem,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["photos"]


class PhotoPublicForm(forms.Form):
    photo = forms.ModelChoiceField(label=_("Foto"), queryset=FindingPhoto.objects.none())
    is_public = forms.BooleanField(
        label=_("Godkänt för den publika versionen (inga ansikten eller personuppgifter)"),
        required=False,
    )

    def __init__(self, *args: Any, finding: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].queryset = finding.photos.all()  # type: ignore[attr-defined]


class ProblemForm(forms.Form):
    problem = forms.CharField(
        label=_("Observerat problem"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vad är problemet som orsaksanalysen ska förklara?"),
    )


class CauseForm(forms.Form):
    description = forms.CharField(
        label=_("Orsak"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    influenced_by = forms.CharField(
        label=_("Vem kan påverka den?"),
        max_length=250,
        help_text=_("Till exempel gatukontoret, fastighetsägaren eller polisen."),
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Åtgärd"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    cause = forms.ModelChoiceField(
        label=_("Orsaken den ska ta bort"), queryset=Cause.objects.none(), required=False
    )
    responsible = forms.CharField(label=_("Ansvarig"), max_length=200)
    responsible_kind = forms.ChoiceField(
        label=_("Typ av ansvarig"), choices=ResponsibleKind.choices
    )
    due_on = inputs.DateField(label=_("Klart senast"), widget=DateInput)

    def __init__(self, *args: Any, finding: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = finding.causes.all()  # type: ignore[attr-defined]


class ActionEditForm(ActionForm):
    """Correcting an action: what, who and by when (its status moves by its own steps)."""

    def __init__(self, *args: Any, action: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "description": action.description,
                "responsible": action.responsible,
                "responsible_kind": action.responsible_kind,
                "due_on": action.due_on,
            },
        )
        super().__init__(*args, finding=action.finding, **kwargs)
        del self.fields["cause"]


class ActionStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Ny status"), choices=())
    reason = forms.CharField(
        label=_("Varför genomfördes den inte?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bara när åtgärden inte genomfördes."),
    )

    def __init__(self, *args: Any, action: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (step.name, step.label) for step in ACTION_PROCESS.available(action)
        ]


class FollowUpForm(forms.Form):
    cause_removed = forms.ChoiceField(
        label=_("Är orsaken borta?"), choices=CauseRemoved.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FaultReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Kategori för felanmälan"),
        queryset=Category.objects.none(),
        help_text=_("Felanmälan går till den förvaltning som ansvarar för kategorin i området."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            is_active=True, use=CategoryUse.FAULT
        ).order_by("name")


class ContactForm(forms.Form):
    """Someone the invitation goes to for an invited group; the service checks the address
    and the number (a mobile number, as the SMS needs)."""

    group = forms.ChoiceField(label=_("Grupp"), choices=())
    name = forms.CharField(label=_("Namn"), max_length=120, required=False)
    email = inputs.EmailField(label=_("E-post"), required=False)
    phone = forms.CharField(
        label=_("Mobilnummer"),
        max_length=40,
        required=False,
        help_text=_("Till exempel 070-123 45 67. Inbjudan går som sms till numret."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            (row.group, row.get_group_display()) for row in inspection.groups.all()
        ]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not (data.get("phone") or "").strip():
            if "email" not in self.errors and "phone" not in self.errors:
                self.add_error(
                    "email", _("Skriv en e-postadress eller ett mobilnummer, eller båda.")
                )
        return data
