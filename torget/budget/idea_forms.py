"""Forms of the ideas part: the citizen's idea (works without JavaScript: the place in words,
the position on the map optional), a comment, and the staff's review, criteria, merge,
consent and moderation forms. The services check the rules; the forms parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.budget.models import Idea


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=120,
        help_text=_("Kort och tydligt, till exempel ”Utegym vid Bergaskolan”."),
        error_messages={"required": _("Skriv en rubrik.")},
    )
    description = forms.CharField(
        label=_("Beskriv idén"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Vad vill du ska göras, och vem har nytta av det?"),
        error_messages={"required": _("Beskriv idén.")},
    )
    place = forms.CharField(
        label=_("Plats"),
        required=False,
        max_length=200,
        help_text=_("Till exempel en adress, en park eller ”skolgården vid Bergaskolan”."),
    )
    lat = forms.FloatField(
        label=_("Latitud"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lon = forms.FloatField(
        label=_("Longitud"), required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    estimated_cost = forms.IntegerField(
        label=_("Uppskattad kostnad i kronor"),
        required=False,
        min_value=0,
        max_value=10**12,
        help_text=_("Om du vet ungefär vad idén kostar. Förvaltningen räknar fram kostnaden."),
        error_messages={"invalid": _("Ange kostnaden i hela kronor, utan mellanslag.")},
    )
    image = forms.FileField(
        label=_("Bild"),
        required=False,
        help_text=_(
            "JPEG, PNG eller WebP, högst 10 MB. Platsinformation och andra uppgifter i filen "
            "tas bort. Fotografera inte människor så att de känns igen."
        ),
    )
    image_alt = forms.CharField(
        label=_("Vad visar bilden?"),
        required=False,
        max_length=200,
        help_text=_("Krävs om du lägger till en bild, för den som inte kan se den."),
    )
    shown_name = forms.CharField(
        label=_("Namn som visas"),
        max_length=80,
        help_text=_("Till exempel ditt förnamn och området du bor i."),
        error_messages={"required": _("Skriv ett namn som visas.")},
    )

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and getattr(actor, "is_authenticated", False):
            self.initial.setdefault("shown_name", getattr(actor, "public_name", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None) and not self.errors:
            self.add_error("place", _("Platsen på kartan kunde inte läsas. Välj den igen."))
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Beskriv vad bilden visar, för den som inte kan se den."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "place": data.get("place", ""),
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "estimated_cost": data.get("estimated_cost"),
            "image": data.get("image"),
            "image_alt": data.get("image_alt", ""),
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

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and getattr(actor, "is_authenticated", False):
            self.initial.setdefault("shown_name", getattr(actor, "public_name", ""))


class MergeAnswerForm(forms.Form):
    """The author's answer to a proposed merge."""

    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[
            ("ja", _("Ja, slå ihop idéerna")),
            ("nej", _("Nej, låt idéerna vara var för sig")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ja eller nej.")},
    )


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Förvaltningens bedömning"),
        choices=[("ja", _("Genomförbar: med på röstsedeln")), ("nej", _("Inte genomförbar"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj genomförbar eller inte genomförbar.")},
    )
    cost = forms.IntegerField(
        label=_("Kostnad i kronor"),
        required=False,
        min_value=0,
        max_value=10**12,
        help_text=_(
            "Förvaltningens beräkning. Krävs för en genomförbar idé. Kostar idén mer än hela "
            "budgeten avslås den med det som skäl."
        ),
        error_messages={"invalid": _("Ange kostnaden i hela kronor, utan mellanslag.")},
    )
    reason = forms.CharField(
        label=_("Motivering (visas för alla)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv en motivering som invånarna kan läsa.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("feasible") is True and data.get("cost") is None and "cost" not in self.errors:
            self.add_error(
                "cost", _("Ange förvaltningens kostnadsberäkning för en genomförbar idé.")
            )
        return data


class BreachForm(forms.Form):
    reason = forms.CharField(
        label=_("Vilket kriterium bryter idén mot, och varför? (visas för alla)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en motivering som invånarna kan läsa.")},
    )


class MergeProposeForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("Slå ihop med idé"),
        coerce=int,
        error_messages={
            "required": _("Välj den idé som blir kvar."),
            "invalid_choice": _("Välj en av omgångens idéer."),
        },
    )
    reason = forms.CharField(
        label=_("Varför liknar idéerna varandra?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv varför idéerna bör slås ihop.")},
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = (
            idea.round.ideas.exclude(pk=idea.pk).exclude(status="sammanslagen").order_by("number")
        )
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)  # noqa: S101
        target.choices = [("", _("Välj en idé"))] + [(o.number, str(o)) for o in others]


class ConsentForm(forms.Form):
    """Staff record an author's answer given by phone, e-mail or on paper."""

    side = forms.ChoiceField(
        label=_("Vems svar?"),
        choices=[
            ("source", _("Förslagsställaren till idén som slås ihop")),
            ("target", _("Förslagsställaren till idén som blir kvar")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vems svar det är.")},
    )
    answer = forms.ChoiceField(
        label=_("Svaret"),
        choices=[("ja", _("Ja, samtycker")), ("nej", _("Nej"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ja eller nej.")},
    )
    note = forms.CharField(
        label=_("Hur lämnades svaret?"),
        max_length=150,
        help_text=_("Till exempel ”per telefon 3 december”."),
        error_messages={"required": _("Skriv hur förslagsställaren lämnade sitt svar.")},
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl (visas i stället för kommentaren)"),
        max_length=200,
        error_messages={"required": _("Skriv ett skäl.")},
    )
