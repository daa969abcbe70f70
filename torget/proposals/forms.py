"""Forms for the public proposal pages: the list's filters and submitting a proposal."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import images
from torget.core.inputs import parse_id
from torget.geo.models import Area
from torget.organisation.models import Municipality, Topic
from torget.proposals import selectors
from torget.proposals.models import PUBLIC_STATUSES, Status

IMAGE_MAX_BYTES = 5 * 1024 * 1024
# Pillow's names for the formats accepted, read from the file's content, never from its name.
# What is stored is always re-encoded (torget.core.images): a PNG or GIF as PNG, the rest JPEG.
IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})


class SlugOrIdChoiceField(forms.ModelChoiceField):
    """A choice in the address by its slug (?kategori=trafik), or by its number as older
    links and the API have it (?kategori=4)."""

    def _lookup(self, value: Any) -> Any:
        """The choice named by its slug, or else by its number: one query, remembered for
        drawing the field (prepare_value) after validating it."""
        found_by = self.__dict__.setdefault("_found", {})
        key = str(value)[:100]
        if key not in found_by:
            condition = Q(slug=key)
            if (pk := parse_id(value)) is not None:
                condition |= Q(pk=pk)
            rows = list(self.queryset.filter(condition)[:2])  # type: ignore[union-attr]
            by_slug = [row for row in rows if row.slug == key]
            found_by[key] = (by_slug or rows or [None])[0]
        return found_by[key]

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        found = self._lookup(value)
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        # The choices are slugs; a number in the address still selects its option.
        if isinstance(value, str) and parse_id(value) is not None:
            found = self._lookup(value)
            return found.slug if found is not None else value
        return super().prepare_value(value)


class ProposalFilterForm(forms.Form):
    """The list's search and filters: a GET form, so every result page has its own address."""

    q = forms.CharField(
        label=_("Sök bland förslagen"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))]
        + [(status.value, status.label) for status in Status if status in PUBLIC_STATUSES],
    )
    kategori = SlugOrIdChoiceField(
        label=_("Kategori"),
        queryset=Topic.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Alla kategorier"),
    )
    omrade = SlugOrIdChoiceField(
        label=_("Område"),
        queryset=Area.objects.only("pk", "name", "slug").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Alla områden"),
    )
    sortera = forms.ChoiceField(
        label=_("Sortera"),
        required=False,
        choices=[
            ("", _("Nyast först (eller bäst träff vid sökning)")),
            (selectors.SORT_NEWEST, _("Nyast först")),
            (selectors.SORT_SUPPORTS, _("Flest stöd")),
            (selectors.SORT_ENDING, _("Insamlingen slutar snart")),
        ],
    )

    def filters(self) -> dict[str, Any]:
        """The valid choices as keyword arguments for selectors.proposals_public; a choice that
        is not valid (an old link to a removed category) is left out rather than failing."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "topic": data.get("kategori"),
            "area": data.get("omrade"),
            "sort": data.get("sortera") or "",
        }

    def is_filtered(self) -> bool:
        data = self.filters()
        return any(data[key] for key in ("q", "status", "topic", "area"))


class ProposalForm(forms.Form):
    """A citizen's proposal. Fields the municipality does not use are left out."""

    title = forms.CharField(
        label=_("Rubrik"),
        max_length=140,
        help_text=_("En kort mening som säger vad du föreslår. Högst 140 tecken."),
    )
    body = forms.CharField(
        label=_("Ditt förslag"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Beskriv vad du vill att kommunen ska göra och varför. Högst 6 000 tecken. "
            "Skriv inte namn eller andra uppgifter om andra personer."
        ),
    )
    topic = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Topic.objects.all(),
        empty_label=_("Välj en kategori"),
        error_messages={"required": _("Välj den kategori som passar förslaget bäst.")},
    )
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=_("Hela kommunen eller inget särskilt område"),
        help_text=_("Välj ett område om förslaget gäller en viss plats."),
    )
    # A plain file field: the one image check (torget.core.images) is the only code that opens
    # the upload, with its pixel limit, rather than Django's ImageField decoding it first.
    image = forms.FileField(
        label=_("Bild"),
        required=False,
        help_text=_("JPEG, PNG, WebP eller GIF, högst 5 MB. Bilden får inte visa andra personer."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    image_alt = forms.CharField(
        label=_("Beskriv bilden"),
        required=False,
        max_length=200,
        help_text=_(
            "Behövs om du laddar upp en bild: en kort text för den som inte kan se bilden."
        ),
    )
    organisation_name = forms.CharField(
        label=_("Förening eller organisation"),
        required=False,
        max_length=150,
        help_text=_("Fyll bara i om du lämnar förslaget för en förening eller organisation."),
    )
    signing_days = forms.TypedChoiceField(
        label=_("Hur länge ska förslaget samla stöd?"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        stored_image: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The file name of an image kept from the preview step (see views._draft_image).
        self.stored_image = ""
        self.image_format = ""
        if stored_image:
            self.keep_image(stored_image)
        if not municipality.proposal_organisations_allowed:
            del self.fields["organisation_name"]
        choices = municipality.signing_day_choices()
        if choices:
            field = self.fields["signing_days"]
            field.choices = [  # type: ignore[attr-defined]
                (days, _("%(days)d dagar") % {"days": days}) for days in choices
            ]
            if municipality.proposal_signing_days in choices:
                field.initial = municipality.proposal_signing_days
            else:
                field.initial = choices[0]
        else:
            del self.fields["signing_days"]

    def keep_image(self, filename: str) -> None:
        """An image is stored from an earlier step: say so, and offer to remove it."""
        self.stored_image = filename
        if "remove_image" not in self.fields:
            self.fields["remove_image"] = forms.BooleanField(
                label=_("Ta bort bilden"), required=False
            )
            self.order_fields(["title", "body", "topic", "area", "image", "remove_image"])
        help_text = _(
            "Du har laddat upp bilden %(name)s. Den följer med förslaget. Välj en ny bild om "
            "du vill byta."
        ) % {"name": filename or _("utan namn")}
        self.fields["image"].help_text = help_text
        # A bound field copies the help text when it is made, which may already have happened.
        self["image"].help_text = help_text

    def clean_body(self) -> str:
        # Browsers send CRLF; the limit is on the text as stored.
        return str(self.cleaned_data["body"]).replace("\r\n", "\n")

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if not image:
            return image
        if image.size > IMAGE_MAX_BYTES:
            raise ValidationError(_("Bilden är för stor. Den får vara högst 5 MB."), code="size")
        processed = checked_image(image)
        self.image_format = processed.format
        processed.file.name = image.name  # the citizen's own name for it, shown back to them
        return processed.file

    def has_image(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        if data.get("image"):
            return True
        return bool(self.stored_image) and not data.get("remove_image")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_image() and not cleaned.get("image_alt"):
            self.add_error(
                "image_alt",
                ValidationError(
                    _("Beskriv bilden med några ord, för den som inte kan se den."),
                    code="required",
                ),
            )
        return cleaned

    def image_extension(self) -> str:
        return {"PNG": ".png", "JPEG": ".jpg"}.get(self.image_format, "")


def checked_image(upload: Any) -> images.ProcessedImage:
    """A proposal's image through the one image check (torget.core.images), re-encoded from
    the pixels alone: no EXIF (where and when a phone photo was taken), no GIF or PNG comments,
    nothing else of the file travels to the public page. ValidationError in the form's words."""
    try:
        processed = images.process(
            upload, formats=IMAGE_FORMATS, max_bytes=IMAGE_MAX_BYTES, lossless=True
        )
    except images.ImageError as error:
        messages: dict[str, Any] = {
            "size": _("Bilden är för stor. Den får vara högst 5 MB."),
            "pixels": str(error),  # the shared check's own words
        }
        message = messages.get(error.code, _("Välj en bild i formatet JPEG, PNG, WebP eller GIF."))
        raise ValidationError(message, code=error.code) from error
    return processed
