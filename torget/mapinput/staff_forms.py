"""Forms of the map's staff pages: the map's settings, its categories, the filter of the
officials' view, and one form per moderation step. The rules live in staff_services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core import inputs
from torget.dialogues.catalogue import INTERACTIVE_MAP
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.staff_forms import DateInput
from torget.feedback.models import Category as FaultCategory
from torget.feedback.models import CategoryUse
from torget.geo.models import Area
from torget.geo.population import age_band_choices
from torget.mapinput import staff_selectors
from torget.mapinput.models import Category, HideReason, Identification, Map, Moderation, Status
from torget.results.forms import ClassifyFields
from torget.results.models import Kind as ItemKind

DEFAULT_CATEGORIES = "Otryggt\nFörslag\nBra plats"


class MapForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    intro = forms.CharField(
        label=_("Inledning (frivilligt)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad kartan frågar om, och vad svaren används till."),
    )
    planned_method = forms.ModelChoiceField(
        label=_("Metod i dialogens plan"),
        queryset=PlannedMethod.objects.none(),
        empty_label=None,
        help_text=_("Kartan tar emot markeringar under metodens period."),
    )
    area = forms.ModelChoiceField(
        label=_("Kartans område (frivilligt)"),
        required=False,
        queryset=Area.objects.none(),
        empty_label=_("Dialogens områden"),
        help_text=_("Markeringar utanför området tas inte emot."),
    )
    allow_lines = forms.BooleanField(label=_("Invånare får rita linjer"), required=False)
    allow_areas = forms.BooleanField(label=_("Invånare får markera ytor"), required=False)
    allow_photos = forms.BooleanField(label=_("Invånare får bifoga foto"), required=False)
    ask_age_band = forms.BooleanField(
        label=_("Fråga om åldersgrupp (frivilligt att svara)"), required=False
    )
    identification = forms.ChoiceField(
        label=_("Vem får markera"), choices=Identification.choices, widget=forms.RadioSelect
    )
    moderation = forms.ChoiceField(
        label=_("Moderering"), choices=Moderation.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        methods = (
            PlannedMethod.objects.filter(dialogue=dialogue)
            .select_related("method")
            .order_by("order", "id")
        )
        field = self.fields["planned_method"]
        field.queryset = methods  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.method.name} ({m.starts_on or '…'} – {m.ends_on or '…'})"
        )
        if "planned_method" not in self.initial:
            suggested = next((m for m in methods if m.method.code == INTERACTIVE_MAP), None)
            if suggested is not None:
                self.initial["planned_method"] = suggested.pk
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]


class MapCreateForm(MapForm):
    categories = forms.CharField(
        label=_("Kategorier, en per rad"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_CATEGORIES,
        help_text=_("Invånarna väljer en av dem för varje markering. Du kan ändra dem senare."),
    )

    def clean_categories(self) -> list[str]:
        return [line for line in self.cleaned_data["categories"].splitlines() if line.strip()]


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=60)
    description = forms.CharField(
        label=_("Beskrivning (frivilligt)"), max_length=300, required=False
    )


class CategoryEditForm(CategoryForm):
    order = forms.IntegerField(label=_("Plats i listan"), min_value=1, max_value=100)


class FilterForm(forms.Form):
    """The officials' filter (GET). Bad values are dropped, never an error page."""

    kategori = forms.TypedMultipleChoiceField(
        label=_("Kategori"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    fran = inputs.DateField(label=_("Från och med"), required=False, widget=DateInput)
    till = inputs.DateField(label=_("Till och med"), required=False, widget=DateInput)
    alder = forms.MultipleChoiceField(
        label=_("Åldersgrupp"), required=False, widget=forms.CheckboxSelectMultiple
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kategori"].choices = [(c.pk, c.name) for c in categories]  # type: ignore[attr-defined]
        self.fields["alder"].choices = [  # type: ignore[attr-defined]
            *age_band_choices(),
            (staff_selectors.NO_AGE_BAND, _("Inget svar")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if start and end and end < start:
            self.add_error("till", _("Slutdatumet ligger före startdatumet."))
        return data

    def filters(self) -> staff_selectors.Filters:
        """The valid part of the filter; a field with a bad value counts as not set."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start = data.get("fran") if "fran" not in self.errors else None
        end = data.get("till") if "till" not in self.errors else None
        return staff_selectors.Filters(
            categories=tuple(data.get("kategori") or ()) if "kategori" not in self.errors else (),
            starts_on=start,
            ends_on=end,
            age_bands=tuple(data.get("alder") or ()) if "alder" not in self.errors else (),
            statuses=tuple(data.get("status") or ()) if "status" not in self.errors else (),
        )


class ConfirmForm(forms.Form):
    pass


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Skäl (visas i stället för texten)"),
        choices=HideReason.choices,
        widget=forms.RadioSelect,
        help_text=_("Originalet sparas. Skribenten får veta att det är dolt, och varför."),
    )


class CommentForm(forms.Form):
    comment = inputs.IdField(label=_("Kommentar"), widget=forms.HiddenInput)


class CommentHideForm(CommentForm, HideForm):
    pass


class ResultItemForm(ClassifyFields):
    """A question or result of the dialogue from the point: one of the three kinds."""

    title = forms.CharField(label=_("Rubrik"), max_length=200)
    field_order = ["title", "kind", "politician"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = (ItemKind.PARTY_POLITICAL, ItemKind.COMMITTEE, ItemKind.SIMPLE)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]  # type: ignore[attr-defined]


class FaultReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Kategori för felanmälan"),
        queryset=FaultCategory.objects.none(),
        help_text=_("Felanmälan går till den förvaltning som ansvarar för kategorin i området."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FaultCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True, use=CategoryUse.FAULT
        ).order_by("name")


def map_initial(map_: Map) -> dict[str, Any]:
    return {
        "title": map_.title,
        "intro": map_.intro,
        "planned_method": map_.planned_method_id,
        "area": map_.area_id,
        "allow_lines": map_.allow_lines,
        "allow_areas": map_.allow_areas,
        "allow_photos": map_.allow_photos,
        "ask_age_band": map_.ask_age_band,
        "identification": map_.identification,
        "moderation": map_.moderation,
    }
