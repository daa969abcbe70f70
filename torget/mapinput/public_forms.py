"""Forms of the map's public side. The placing form works without JavaScript: a category, a
place from the list of places (or the citizen's words for it), a comment; with JavaScript
the map fills the hidden `geometry` field (a point, a line or an area drawn on it)."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.accounts.types import Actor
from torget.geo.population import age_band_choices
from torget.mapinput.models import Category, Map
from torget.mapinput.selectors import Place

MAX_GEOMETRY_CHARS = 60_000


class CategoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if obj.description:
            return f"{obj.name} – {obj.description}"
        return str(obj.name)


class PointForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Välj en kategori."),
            "invalid_choice": _("Välj en av kartans kategorier."),
        },
    )
    place = forms.TypedChoiceField(
        label=_("Plats i listan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Markeringen hamnar mitt i platsen du väljer. Du kan i stället markera på kartan."
        ),
        error_messages={"invalid_choice": _("Välj en plats i listan.")},
    )
    address = forms.CharField(
        label=_("Adress eller plats (valfritt)"),
        required=False,
        max_length=200,
        help_text=_("Till exempel en gatuadress eller ”gångtunneln vid skolan”."),
    )
    geometry = forms.CharField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Skriv en kommentar.")},
    )
    photo = forms.FileField(
        label=_("Foto (valfritt)"),
        required=False,
        help_text=_(
            "JPEG, PNG eller WebP, högst 10 MB. Platsinformation och andra uppgifter i "
            "filen tas bort. Fotografera inte människor så att de känns igen."
        ),
    )
    age_band = forms.ChoiceField(label=_("Din åldersgrupp (valfritt)"), required=False)
    shown_name = forms.CharField(
        label=_("Namn som visas"),
        max_length=80,
        help_text=_("Till exempel ditt förnamn och området du bor i."),
        error_messages={"required": _("Skriv ett namn som visas.")},
    )

    def __init__(
        self, *args: Any, map_: Map, places: list[Place], actor: Actor, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.map = map_
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101
        category.queryset = map_.categories.order_by("order", "id")
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)  # noqa: S101
        place.choices = [("", _("Välj en plats"))] + [(p.pk, p.name) for p in places]
        if not map_.allow_photos:
            del self.fields["photo"]
        if map_.ask_age_band:
            age = self.fields["age_band"]
            assert isinstance(age, forms.ChoiceField)  # noqa: S101
            choices: list[tuple[str, Any]] = [("", _("Vill inte svara"))]
            age.choices = choices + age_band_choices()
        else:
            del self.fields["age_band"]
        if not self.is_bound and getattr(actor, "is_authenticated", False):
            self.initial.setdefault("shown_name", getattr(actor, "public_name", ""))

    def clean_geometry(self) -> Any:
        raw = (self.cleaned_data.get("geometry") or "").strip()
        if not raw:
            return None
        if len(raw) > MAX_GEOMETRY_CHARS:
            raise forms.ValidationError(_("Markeringen har för många punkter. Förenkla den."))
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as error:
            raise forms.ValidationError(_("Markeringen kunde inte läsas.")) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not self.errors.get("geometry")
            and data.get("geometry") is None
            and data.get("place") is None
        ):
            self.add_error("place", _("Välj en plats i listan, eller markera platsen på kartan."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "geometry": data.get("geometry"),
            "place": data.get("place"),
            "address": data.get("address", ""),
            "comment": data["comment"],
            "photo": data.get("photo"),
            "age_band": data.get("age_band", ""),
            "shown_name": data["shown_name"],
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Din kommentar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv en kommentar.")},
    )
    shown_name = forms.CharField(
        label=_("Namn som visas"),
        max_length=80,
        error_messages={"required": _("Skriv ett namn som visas.")},
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and getattr(actor, "is_authenticated", False):
            self.initial.setdefault("shown_name", getattr(actor, "public_name", ""))
