"""Synpunkter och felanmälan: "en väg in" (seed 002) and the contact centre's cases (seed 000).

A citizen gives an opinion (complaint, question, suggestion, praise) or reports a fault; each
becomes a `Case` with a number, routed by its category (and, for faults, its area) to the
responsible förvaltning/unit. Fault reports are public (place, category, status, public
replies); opinions are private between citizen and municipality. The reporter's personal data
(name, contact details, free text, photos) is never public, and is removed by the retention
rule (gallring) once a case has been closed long enough; the anonymous statistics remain.
"""

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from torget.feedback import replies
from torget.notifications import phones

DESCRIPTION_MAX = 4000  # Open311 GeoReport v2's limit, used for every channel


def new_case_token() -> str:
    return secrets.token_urlsafe(32)


class Kind(models.TextChoices):
    """What the citizen wants: one of the four opinions, or a fault report."""

    COMPLAINT = "klagomal", _("Klagomål")
    QUESTION = "fraga", _("Fråga")
    SUGGESTION = "ide", _("Förslag eller idé")
    PRAISE = "berom", _("Beröm")
    FAULT = "fel", _("Felanmälan")


OPINION_KINDS = (Kind.COMPLAINT, Kind.QUESTION, Kind.SUGGESTION, Kind.PRAISE)


class CategoryUse(models.TextChoices):
    OPINION = "synpunkt", _("Synpunkter")
    FAULT = "fel", _("Felanmälan")


class Category(models.Model):
    """Kategori, configured by the municipality; each is routed to a förvaltning (and unit).

    Fault categories are the services of the Open311 API (`code` is the service_code).
    """

    name = models.CharField(_("namn"), max_length=120)
    code = models.SlugField(
        _("kod"),
        max_length=60,
        unique=True,
        help_text=_("Stabil kod, används som service_code i Open311-gränssnittet."),
    )
    use = models.CharField(_("används för"), max_length=10, choices=CategoryUse.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    group = models.CharField(_("grupp"), max_length=120, blank=True)
    keywords = models.CharField(
        _("sökord"), max_length=250, blank=True, help_text=_("Kommaseparerade.")
    )
    administration = models.ForeignKey(
        "organisation.Administration",
        verbose_name=_("ansvarig förvaltning"),
        on_delete=models.PROTECT,
        related_name="feedback_categories",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("ansvarig enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_categories",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("kategori för synpunkter och fel")
        verbose_name_plural = _("kategorier för synpunkter och fel")
        ordering = ["use", "order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_fault(self) -> bool:
        return self.use == CategoryUse.FAULT


class CategoryRoute(models.Model):
    """For fault reports: in this area, this category goes to another förvaltning/unit
    (e.g. snow clearing in the outer areas is handled by the service unit out there)."""

    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.CASCADE, related_name="routes"
    )
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("område"), on_delete=models.CASCADE, related_name="+"
    )
    administration = models.ForeignKey(
        "organisation.Administration",
        verbose_name=_("ansvarig förvaltning"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("ansvarig enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ansvar per område")
        verbose_name_plural = _("ansvar per område")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="feedback_route_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.area}"


class AttributeType(models.TextChoices):
    STRING = "string", _("Kort text")
    NUMBER = "number", _("Tal")
    DATETIME = "datetime", _("Datum och tid")
    TEXT = "text", _("Lång text")
    SINGLE = "singlevaluelist", _("Ett val från en lista")
    MULTI = "multivaluelist", _("Flera val från en lista")


class CategoryAttribute(models.Model):
    """An extra question for a fault category (Open311 "attributes"), such as the number on
    the lamp post. `values` is a list of {"key": …, "name": …} for the list types."""

    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("kod"), max_length=60)
    description = models.CharField(_("fråga"), max_length=250)
    datatype = models.CharField(
        _("typ"), max_length=20, choices=AttributeType.choices, default=AttributeType.STRING
    )
    datatype_description = models.CharField(_("hjälptext"), max_length=250, blank=True)
    required = models.BooleanField(_("obligatorisk"), default=False)
    variable = models.BooleanField(
        _("besvaras av den som anmäler"),
        default=True,
        help_text=_("Av: bara information till den som anmäler."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    values = models.JSONField(_("svarsalternativ"), default=list, blank=True)

    class Meta:
        verbose_name = _("extra fråga")
        verbose_name_plural = _("extra frågor")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="feedback_attribute_unique"),
        ]

    def __str__(self) -> str:
        return self.description

    def value_keys(self) -> list[str]:
        return [str(v.get("key")) for v in self.values if isinstance(v, dict)]


class StatusGroup(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status group", "Öppet")
    CLOSED = "closed", pgettext_lazy("case status group", "Avslutat")


class CaseStatus(models.Model):
    """Statuses are data the municipality can extend; each belongs to the open or closed
    group (Open311's `open`/`closed`, the service level, retention)."""

    slug = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=80)
    group = models.CharField(_("grupp"), max_length=6, choices=StatusGroup.choices)
    is_initial = models.BooleanField(_("status för nya ärenden"), default=False)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("ärendestatus")
        verbose_name_plural = _("ärendestatusar")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_initial"], condition=Q(is_initial=True), name="feedback_one_initial"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.group == StatusGroup.CLOSED


class ReplyChannel(models.TextChoices):
    NONE = "inget", _("Jag vill inte ha svar")
    EMAIL = "epost", _("E-post")
    SMS = "sms", _("Sms")
    PHONE = "telefon", _("Telefonsamtal")


class Source(models.TextChoices):
    WEB = "webb", _("Webbplatsen")
    OPEN311 = "open311", _("Open311-gränssnittet")
    PHONE = "telefon", _("Telefon")
    EMAIL = "epost", _("E-post")
    DESK = "besok", _("Besök")
    PROPOSAL = "forslag", _("Flyttat från medborgarförslag")
    DIALOGUE = "dialog", _("Från en medborgardialog")
    INSPECTION = "besiktning", _("Från en trygghetsbesiktning")


class Case(models.Model):
    number = models.CharField(_("ärendenummer"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="cases"
    )
    description = models.TextField(_("beskrivning"), max_length=DESCRIPTION_MAX)
    # Place: a pin (WGS 84) and/or a description/address; the area is found from the pin.
    lat = models.FloatField(
        _("latitud"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitud"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address = models.CharField(_("plats eller adress"), max_length=250, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    attributes = models.JSONField(_("svar på extra frågor"), default=dict, blank=True)

    status = models.ForeignKey(
        CaseStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="cases"
    )
    # Kept in step with status.group so lists, the map and Open311 filter without a join.
    is_open = models.BooleanField(default=True, editable=False)
    administration = models.ForeignKey(
        "organisation.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )

    # The reporter: all optional (anonymous reports are allowed), never public.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inloggad anmälare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    reporter_name = models.CharField(_("namn"), max_length=120, blank=True)
    reporter_email = models.EmailField(_("e-post"), blank=True)
    reporter_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    reply_channel = models.CharField(
        _("svar via"), max_length=10, choices=ReplyChannel.choices, default=ReplyChannel.NONE
    )

    source = models.CharField(_("kanal"), max_length=10, choices=Source.choices, default=Source.WEB)
    api_client = models.ForeignKey(
        "feedback.ApiClient",
        verbose_name=_("integration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    media_url = models.URLField(_("bildlänk"), max_length=500, blank=True)
    # Fault reports are public unless staff hide one (e.g. it names a person).
    is_public = models.BooleanField(_("visas publikt"), default=False)
    # The free text is public only when the municipality publishes it (edited if need be).
    public_description = models.TextField(_("publicerad beskrivning"), blank=True)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sammanslaget med"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # The private follow link (/arende/<token>/) and the Open311 token (tokens/<token>).
    token = models.CharField(max_length=64, unique=True, default=new_case_token, editable=False)
    api_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("inkom"), db_index=True)
    updated_at = models.DateTimeField(_("senast ändrat"), auto_now=True)
    # Service level: first response due by (end of) this working day.
    respond_by = models.DateField(_("ska besvaras senast"))
    first_response_at = models.DateTimeField(_("första svar"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("personuppgifter gallrade"), null=True, blank=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("handle_case", _("Handlägga synpunkter och felanmälningar")),
            ("view_feedback_statistics", _("Se statistik över synpunkter och felanmälningar")),
            ("redact_case_photo", _("Maskera foton i ärenden")),
        ]
        indexes = [
            # The public map: a bounding box of public fault reports (see selectors).
            models.Index(
                fields=["lat", "lon"],
                condition=Q(is_public=True, merged_into__isnull=True),
                name="feedback_case_public_map",
            ),
            models.Index(fields=["is_open", "respond_by"], name="feedback_case_open_due"),
            models.Index(fields=["category", "created_at"], name="feedback_case_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__isnull=False) & Q(lon__isnull=False)),
                name="feedback_case_point_whole",
            ),
            models.CheckConstraint(
                condition=Q(kind="fel") | Q(is_public=False), name="feedback_opinions_private"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="feedback_case_not_merged_in_self"
            ),
            models.CheckConstraint(
                condition=Q(reply_channel="inget")
                | (Q(reply_channel="epost") & ~Q(reporter_email=""))
                | (Q(reply_channel__in=["sms", "telefon"]) & ~Q(reporter_phone=""))
                | Q(anonymized_at__isnull=False),
                name="feedback_reply_channel_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    def get_absolute_url(self) -> str:
        """The public page of a fault report (opinions have none: see follow_url)."""
        return reverse("feedback:public_detail", kwargs={"number": self.number})

    @property
    def reporter_phone_display(self) -> str:
        """The number as people write it (013-20 00 00); stored as E.164."""
        return phones.display(self.reporter_phone) if self.reporter_phone else ""

    def follow_url(self) -> str:
        return reverse("feedback:follow", kwargs={"token": self.token})

    def staff_url(self) -> str:
        return reverse("feedback:staff_detail", kwargs={"pk": self.pk})

    @property
    def is_fault(self) -> bool:
        return self.kind == Kind.FAULT

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_id or self.reporter_email or self.reporter_phone)


class ReplyTemplate(models.Model):
    """Svarsmall (rutin för återkoppling): an answer the administrators keep for a category
    and kind of feedback, with placeholders for the case (see replies.py). The official picks
    one on the case page, edits the filled-in text and sends it as the reply.

    A template that has been used in a reply stays: the reply refers to it (PROTECT below, and
    `delete()` and the services refuse). It is deactivated instead."""

    name = models.CharField(_("namn"), max_length=120)
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        help_text=_("Tom: mallen kan användas för alla kategorier."),
    )
    kind = models.CharField(
        _("typ av synpunkt"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_("Tom: mallen kan användas för alla typer."),
    )
    text = models.TextField(_("text"), max_length=DESCRIPTION_MAX)
    is_active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("Bara aktiva mallar kan väljas i ärenden.")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("svarsmall")
        verbose_name_plural = _("svarsmallar")
        ordering = ["order", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            replies.check(self.text)
        except ValidationError as error:
            raise ValidationError({"text": error}) from None
        category = self.category if self.category_id else None
        if category and self.kind and (self.kind == Kind.FAULT) != category.is_fault:
            # A fault category never gets an opinion, nor the other way round.
            raise ValidationError(
                {"kind": _("Kategorin och typen passar inte ihop, så mallen skulle aldrig visas.")}
            )

    @property
    def is_used(self) -> bool:
        return self.pk is not None and self.uses.exists()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_used:
            raise ProtectedError(
                str(
                    _("En svarsmall som har använts i ett svar kan inte tas bort; inaktivera den.")
                ),
                set(self.uses.all()[:1]),
            )
        return super().delete(*args, **kwargs)


class UpdateKind(models.TextChoices):
    CREATED = "skapat", _("Ärendet togs emot")
    STATUS = "status", _("Ny status")
    ASSIGNED = "tilldelat", _("Tilldelat")
    NOTE = "anteckning", _("Intern anteckning")
    REPLY = "svar", _("Svar till den som anmälde")
    PUBLIC_REPLY = "publikt", _("Publikt svar")
    MERGED = "sammanslaget", _("Sammanslaget")
    PHOTO_REDACTED = "maskerat", _("Foto maskerat")
    VISIBILITY = "synlighet", _("Synlighet ändrad")


# What the reporter's follow page shows; notes are internal.
REPORTER_VISIBLE_UPDATES = (
    UpdateKind.CREATED,
    UpdateKind.STATUS,
    UpdateKind.REPLY,
    UpdateKind.PUBLIC_REPLY,
    UpdateKind.MERGED,
)
# What the public page of a fault report shows.
PUBLIC_UPDATES = (UpdateKind.CREATED, UpdateKind.STATUS, UpdateKind.PUBLIC_REPLY, UpdateKind.MERGED)


class CaseUpdate(models.Model):
    """One entry in a case's history: what happened, who did it, and what the citizen was told.
    (Every change is also in the audit log; this is what the pages show.)"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("typ"), max_length=15, choices=UpdateKind.choices)
    text = models.TextField(_("text"), blank=True)
    status = models.ForeignKey(
        CaseStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("svar via"), max_length=10, choices=ReplyChannel.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The message that told the citizen (a reply, the receipt), so staff see whether it
    # actually went out; cleared when the outbox's retention removes it.
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("utskick"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The reply template the answer started from, if any; a used template can't be deleted.
    template = models.ForeignKey(
        ReplyTemplate,
        verbose_name=_("svarsmall"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
    )
    created_at = models.DateTimeField(_("tid"))

    class Meta:
        verbose_name = _("händelse i ärende")
        verbose_name_plural = _("händelser i ärenden")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="feedback_update_case")]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.get_kind_display()}"


def photo_path(photo: "CasePhoto", filename: str) -> str:
    return f"feedback/{secrets.token_hex(16)}.jpg"


class CasePhoto(models.Model):
    """A photo, already checked, rotated, stripped of all metadata and resized (see photos.py).
    Public with a public fault report unless staff hide it; staff can black out a part."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("foto"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    is_public = models.BooleanField(_("visas publikt"), default=True)
    redacted_at = models.DateTimeField(_("maskerat"), null=True, blank=True)
    created_at = models.DateTimeField(_("uppladdat"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foton")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.image.name}"

    # Photos are served by views that check who may see them (photo_views.py), never from
    # /media/. The address carries part of the file's random name: it cannot be guessed from
    # the numbers, and it changes when a redaction replaces the file, so no cache or browser
    # keeps showing what was blacked out.
    @property
    def key(self) -> str:
        return PurePosixPath(self.image.name).stem[:16]

    def public_url(self) -> str:
        return reverse(
            "feedback:public_photo",
            kwargs={"number": self.case.number, "pk": self.pk, "key": self.key},
        )

    def reporter_url(self) -> str:
        return reverse(
            "feedback:follow_photo",
            kwargs={"token": self.case.token, "pk": self.pk, "key": self.key},
        )

    def staff_url(self) -> str:
        return reverse(
            "feedback:staff_photo",
            kwargs={"case_pk": self.case_id, "pk": self.pk, "key": self.key},
        )


class ApiClient(models.Model):
    """An integration allowed to post to the Open311 API; the key is shown once and stored
    only as a hash."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    contact_email = models.EmailField(_("kontakt"), blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("nyckelns början"), max_length=8, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311-integration")
        verbose_name_plural = _("Open311-integrationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
