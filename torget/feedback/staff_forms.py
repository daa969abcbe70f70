"""Forms for the contact centre's and the administrations' pages under /personal/arenden/: the
inbox's filters, one form per action on a case, and registering a case received by phone,
e-mail or at the desk."""

from typing import Any, cast

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.accounts.models import User
from torget.accounts.types import Actor
from torget.feedback import selectors
from torget.feedback.forms import ReplyChannelField
from torget.feedback.models import (
    DESCRIPTION_MAX,
    Case,
    CasePhoto,
    CaseStatus,
    Category,
    CategoryUse,
    Kind,
    ReplyChannel,
    ReplyTemplate,
    Source,
    StatusGroup,
)
from torget.geo.models import Area
from torget.organisation.models import Administration, Unit

# The channels through which staff register a case for a citizen.
STAFF_SOURCES = [Source.PHONE, Source.EMAIL, Source.DESK]


def case_handlers() -> QuerySet[User]:
    """People who may be given a case: everyone with the handling permission (through a
    role, directly, or as superuser) whose account is open."""
    handle = Permission.objects.filter(content_type__app_label="feedback", codename="handle_case")
    return (
        User.objects.filter(
            Q(groups__permissions__in=handle)
            | Q(user_permissions__in=handle)
            | Q(is_superuser=True),
            is_active=True,
            closed_at__isnull=True,
        )
        .distinct()
        .order_by("full_name", "email", "pk")
    )


def _units_by_administration() -> list[tuple[str, list[tuple[str, str]]]]:
    """Units as option groups per förvaltning (unit names repeat between förvaltningar)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for pk, name, administration in Unit.objects.order_by(
        "administration__name", "name"
    ).values_list("pk", "name", "administration__name"):
        groups.setdefault(administration, []).append((str(pk), name))
    return list(groups.items())


# --- The inbox -------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """The inbox's filters: a GET form, so every filtered list has its own address."""

    q = forms.CharField(
        label=_("Ärendenummer eller fritext"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        help_text=_("Till exempel 2026-00042, eller ett ord ur beskrivningen eller platsen."),
    )
    grupp = forms.ChoiceField(
        label=_("Öppna eller avslutade"),
        required=False,
        choices=[
            ("", _("Alla ärenden")),
            (StatusGroup.OPEN.value, _("Öppna ärenden")),
            (StatusGroup.CLOSED.value, _("Avslutade ärenden")),
        ],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    typ = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer"))] + list(Kind.choices)
    )
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    omrade = forms.ChoiceField(label=_("Område"), required=False)
    forvaltning = forms.ChoiceField(label=_("Förvaltning"), required=False)
    enhet = forms.ChoiceField(label=_("Enhet"), required=False)
    mina = forms.BooleanField(label=_("Bara ärenden som är tilldelade mig"), required=False)
    forsenade = forms.BooleanField(
        label=_("Bara försenade ärenden"),
        required=False,
        help_text=_("Öppna ärenden som inte har fått något svar och har passerat svarsdatumet."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["status"].choices = [("", _("Alla statusar"))] + [
            (slug, name) for slug, name in selectors.statuses().values_list("slug", "name")
        ]
        categories: dict[str, list[tuple[str, str]]] = {}
        labels = dict(CategoryUse.choices)
        for code, name, use in Category.objects.order_by("use", "order", "name").values_list(
            "code", "name", "use"
        ):
            categories.setdefault(str(labels[use]), []).append((code, name))
        fields["kategori"].choices = [("", _("Alla kategorier")), *categories.items()]
        fields["omrade"].choices = [("", _("Alla områden"))] + list(
            Area.objects.order_by("name").values_list("slug", "name")
        )
        fields["forvaltning"].choices = [("", _("Alla förvaltningar"))] + list(
            Administration.objects.order_by("name").values_list("slug", "name")
        )
        fields["enhet"].choices = [("", _("Alla enheter")), *_units_by_administration()]

    def filters(self, user: Actor) -> dict[str, Any]:
        """Keyword arguments for selectors.inbox. A choice that is no longer valid (an old
        link to a removed category) is left out rather than failing."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "group": data.get("grupp") or "",
            "status": data.get("status") or "",
            "kind": data.get("typ") or "",
            "category": data.get("kategori") or "",
            "area": data.get("omrade") or "",
            "administration": data.get("forvaltning") or "",
            "unit": data.get("enhet") or "",
            "assignee": user if data.get("mina") else None,
            "overdue": bool(data.get("forsenade")),
        }


# --- Actions on a case -----------------------------------------------------------------------


class CaseForm(forms.Form):
    """A form for one action on one case (some choices and labels depend on the case)."""

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)


class StatusForm(CaseForm):
    status = forms.ModelChoiceField(label=_("Ny status"), queryset=CaseStatus.objects.none())
    text = forms.CharField(
        label=_("Meddelande om statusen"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Visas för den som anmälde och, för publika felanmälningar, på den publika sidan."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["status"])
        field.queryset = selectors.statuses()
        field.initial = self.case.status_id

    def clean_status(self) -> CaseStatus:
        status: CaseStatus = self.cleaned_data["status"]
        if status.pk == self.case.status_id:
            raise forms.ValidationError(
                _("Ärendet har redan status ”%(status)s”."), params={"status": status.name}
            )
        return status


class AssignForm(CaseForm):
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Administration.objects.order_by("name")
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.select_related("administration").order_by(
            "administration__name", "name"
        ),
        required=False,
        help_text=_("Enheten måste höra till förvaltningen."),
    )
    assignee = PersonChoiceField(
        label=_("Handläggare"), queryset=User.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Intern kommentar"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visas bara för personal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = case_handlers()
        # Grouped by förvaltning; the service checks that the unit belongs to the one chosen.
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.choices = [("", "---------"), *_units_by_administration()]
        self.initial.setdefault("administration", self.case.administration_id)
        self.initial.setdefault("unit", self.case.unit_id)
        self.initial.setdefault("assignee", self.case.assignee_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "administration" in cleaned and not self.errors:
            unit, assignee = cleaned.get("unit"), cleaned.get("assignee")
            if (
                cleaned["administration"].pk == self.case.administration_id
                and (unit.pk if unit else None) == self.case.unit_id
                and (assignee.pk if assignee else None) == self.case.assignee_id
            ):
                raise forms.ValidationError(
                    _(
                        "Ärendet är redan tilldelat så. Välj en annan förvaltning, enhet "
                        "eller handläggare."
                    )
                )
        return cleaned


class NoteForm(CaseForm):
    text = forms.CharField(
        label=_("Anteckning"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visas bara för personal, aldrig för den som anmälde eller publikt."),
    )


class ReplyForm(CaseForm):
    text = forms.CharField(
        label=_("Svar"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    public = forms.BooleanField(
        label=_("Publicera svaret på felanmälans sida så att alla kan läsa det"), required=False
    )
    status = forms.ModelChoiceField(
        label=_("Ändra status samtidigt"), queryset=CaseStatus.objects.none(), required=False
    )
    # The reply template the text was filled in from (chosen above the form, see the view).
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        template = cast(forms.ModelChoiceField, self.fields["template"])
        template.queryset = selectors.reply_templates_for(case, active_only=False)
        template.error_messages["invalid_choice"] = _(
            "Svarsmallen gäller inte för det här ärendet. Välj en annan mall eller skriv svaret "
            "utan mall."
        )
        field = cast(forms.ModelChoiceField, self.fields["status"])
        field.queryset = selectors.statuses().exclude(pk=case.status_id)
        field.empty_label = _("Behåll nuvarande status (%(status)s)") % {"status": case.status.name}
        if not case.is_public:
            del self.fields["public"]
        if self.channel == ReplyChannel.PHONE:
            self.fields["text"].label = _("Sammanfattning av samtalet")
            self.fields["text"].help_text = _(
                "Skriv vad ni kom fram till. Sammanfattningen sparas som svaret i ärendet."
            )

    @property
    def channel(self) -> str:
        """How the answer reaches the citizen (see selectors.reply_channel_for)."""
        return selectors.reply_channel_for(self.case)


class MergeForm(CaseForm):
    number = forms.CharField(
        label=_("Ärendenummer för ärendet som det här är en dubblett av"),
        max_length=20,
        help_text=_("Till exempel 2026-00042. Det här ärendet avslutas och slås ihop med det."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_number(self) -> Case:
        number = self.cleaned_data["number"].strip()
        other = (
            Case.objects.select_related("category", "status", "area", "administration")
            .filter(number__iexact=number)
            .first()
        )
        if other is None:
            raise forms.ValidationError(
                _("Det finns inget ärende med nummer %(number)s."), params={"number": number}
            )
        if other.pk == self.case.pk:
            raise forms.ValidationError(_("Skriv numret på ett annat ärende än det här."))
        return other


class VisibilityForm(CaseForm):
    is_public = forms.BooleanField(label=_("Visa felanmälan publikt"), required=False)
    public_description = forms.CharField(
        label=_("Publicerad beskrivning"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Visas på den publika sidan. Ta bort namn och annat som kan peka ut en person. "
            "Det som den som anmälde skrev visas aldrig publikt om du inte publicerar det här."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("is_public", self.case.is_public)
        self.initial.setdefault("public_description", self.case.public_description)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and (
            bool(cleaned.get("is_public")) == self.case.is_public
            and (cleaned.get("public_description") or "").strip() == self.case.public_description
        ):
            raise forms.ValidationError(_("Inget ändrades."))
        return cleaned


class PhotoForm(CaseForm):
    """Hide or show one photo; the photo must belong to the case."""

    photo = forms.ModelChoiceField(queryset=CasePhoto.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["photo"]).queryset = self.case.photos.all()


def _percent(label: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )


class RedactForm(PhotoForm):
    """The part of a photo to black out, in percent of its width and height from the top left
    corner: number inputs, so it works without JavaScript."""

    x = _percent(_("Från vänsterkanten (procent)"))
    y = _percent(_("Från överkanten (procent)"))
    width = _percent(_("Bredd (procent)"))
    height = _percent(_("Höjd (procent)"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = [cleaned.get(name) for name in ("x", "y", "width", "height")]
        if all(value is not None for value in values):
            x, y, width, height = cast(list[float], values)
            if width <= 0 or height <= 0:
                raise forms.ValidationError(_("Bredden och höjden måste vara större än 0."))
            if x + width > 100 or y + height > 100:
                raise forms.ValidationError(
                    _("Området går utanför fotot: start plus bredd eller höjd blir mer än 100.")
                )
        return cleaned

    def box(self) -> tuple[float, float, float, float]:
        """(x, y, w, h) as fractions of the photo, as services.photo_redact takes it."""
        data = self.cleaned_data
        return (
            data["x"] / 100,
            data["y"] / 100,
            data["width"] / 100,
            data["height"] / 100,
        )


# --- Registering a case for a citizen --------------------------------------------------------


class RegisterForm(forms.Form):
    """A case received by phone, by e-mail or at the desk, registered by staff."""

    source = forms.ChoiceField(
        label=_("Hur kom ärendet in?"),
        choices=[(source.value, source.label) for source in STAFF_SOURCES],
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=Kind.choices, widget=forms.RadioSelect)
    category = forms.TypedChoiceField(
        label=_("Kategori"),
        coerce=int,
        help_text=_(
            "Välj en kategori för felanmälningar om typen är felanmälan, annars en för synpunkter."
        ),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vad personen berättade. Visas inte publikt."),
    )
    address = forms.CharField(
        label=_("Plats eller adress"),
        required=False,
        max_length=250,
        help_text=_("Krävs för felanmälningar om du inte anger koordinater."),
    )
    lat = forms.FloatField(
        label=_("Latitud"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("WGS 84 i decimalgrader, till exempel 58.4108."),
    )
    lon = forms.FloatField(
        label=_("Longitud"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Till exempel 15.6214."),
    )
    reporter_name = forms.CharField(label=_("Namn"), required=False, max_length=120)
    reporter_email = forms.CharField(
        label=_("E-post"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    reporter_phone = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    reply_channel = ReplyChannelField(label=_("Hur vill personen få svar?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        labels = dict(CategoryUse.choices)
        self._categories = {
            category.pk: category
            for category in Category.objects.filter(is_active=True).order_by(
                "use", "group", "order", "name"
            )
        }
        for category in self._categories.values():
            groups.setdefault(str(labels[category.use]), []).append((category.pk, category.name))
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Välj kategori")),
            *groups.items(),
        ]

    def clean_category(self) -> Category:
        return self._categories[self.cleaned_data["category"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category, kind = cleaned.get("category"), cleaned.get("kind")
        if category is not None and kind:
            expected = CategoryUse.FAULT if kind == Kind.FAULT else CategoryUse.OPINION
            if category.use != expected:
                self.add_error(
                    "category",
                    _("Kategorin hör inte till typen. Välj en kategori under ”%(use)s”.")
                    % {"use": CategoryUse(expected).label},
                )
        return cleaned
