"""Interaktiv karta: citizens say *where* inside a dialogue (DOMAIN §7, seed 002).

A map belongs to a planned method of the dialogue and is open for that method's period.
Citizens place a point, draw a line or mark an area, pick one of the categories the official
set, write a comment and may add a photo (checked and stripped of metadata like a fault
report's photos). Anything outside the map's area is refused. Others agree (once each) and
comment. Entries are kept for the record; a moderator hides one with a public reason.

`geometry` is GeoJSON (WGS 84, lon/lat) of kind Point, LineString or Polygon; `lat`/`lon` is
a point on it (the point itself, or a representative point of a line or an area), stored in
columns so lists, clusters and the GeoJSON feed filter and sort in the database.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Shared with the forum; imported from here by the map's own modules.
from torget.dialogues.online import HideReason, Identification, Moderation


class Status(models.TextChoices):
    PENDING = "granskas", _("Väntar på granskning")
    PUBLISHED = "publicerad", _("Publicerad")
    HIDDEN = "dold", _("Dold av moderator")


class Shape(models.TextChoices):
    POINT = "punkt", _("Punkt")
    LINE = "linje", _("Linje")
    AREA = "yta", _("Yta")


class Map(models.Model):
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialog"),
        on_delete=models.PROTECT,
        related_name="maps",
    )
    planned_method = models.ForeignKey(
        "dialogues.PlannedMethod",
        verbose_name=_("metod i planen"),
        on_delete=models.PROTECT,
        related_name="maps",
        help_text=_("Kartan är öppen under metodens period."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    intro = models.TextField(_("inledning"), max_length=5000, blank=True)
    # Where points may be placed: this area, else the dialogue's areas, else the municipality.
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("kartans område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tomt: dialogens områden, eller hela kommunen om dialogen inte har några."),
    )
    allow_lines = models.BooleanField(_("invånare får rita linjer"), default=True)
    allow_areas = models.BooleanField(_("invånare får markera ytor"), default=True)
    allow_photos = models.BooleanField(_("invånare får bifoga foto"), default=True)
    # The background question (optional to answer), for the officials' filter.
    ask_age_band = models.BooleanField(_("fråga om åldersgrupp"), default=True)
    identification = models.CharField(
        _("vem får markera"),
        max_length=16,
        choices=Identification.choices,
        default=Identification.EMAIL,
    )
    moderation = models.CharField(
        _("moderering"), max_length=6, choices=Moderation.choices, default=Moderation.POST
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("karta")
        verbose_name_plural = _("kartor")
        ordering = ["dialogue", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mapinput:map", kwargs={"dialogue_pk": self.dialogue_id, "pk": self.pk})

    @property
    def starts_on(self) -> datetime.date | None:
        return self.planned_method.starts_on

    @property
    def ends_on(self) -> datetime.date | None:
        return self.planned_method.ends_on

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Open for points and comments during the planned method's period
        (PlannedMethod.is_open_on)."""
        return self.planned_method.is_open_on(today or timezone.localdate())


class Category(models.Model):
    """Set by the official, e.g. "otryggt", "förslag", "bra plats"."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("namn"), max_length=60)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["map", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["map", "name"], name="mapinput_category_once")
        ]

    def __str__(self) -> str:
        return self.name


def photo_path(point: "Point", filename: str) -> str:
    return f"mapinput/{point.map_id}/{timezone.now():%Y%m}/{filename}"


class Point(models.Model):
    """Kartpunkt: a point, a line or an area with a category and a comment."""

    map = models.ForeignKey(Map, on_delete=models.PROTECT, related_name="points")
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="points"
    )
    shape = models.CharField(_("form"), max_length=6, choices=Shape.choices, default=Shape.POINT)
    geometry = models.JSONField(_("geometri (GeoJSON)"))
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    # The citizen's words for the place when placed without the map (no JavaScript).
    address = models.CharField(_("adress eller plats"), max_length=200, blank=True)
    comment = models.TextField(_("kommentar"), max_length=2000)
    photo = models.ImageField(_("foto"), upload_to=photo_path, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skribent"), on_delete=models.PROTECT
    )
    shown_name = models.CharField(_("visat namn"), max_length=80)
    # The optional background answer (geo's age bands), for the officials' filter only.
    age_band = models.CharField(_("åldersgrupp"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(
        _("skäl"), max_length=20, choices=HideReason.choices, blank=True
    )
    hidden_at = models.DateTimeField(_("dold"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agree_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    result_item = models.ForeignKey(
        "results.ResultItem",
        verbose_name=_("resultatpunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="map_points",
    )
    # A fault: the fault report made from the point; the case's page links back.
    case = models.OneToOneField(
        "feedback.Case",
        verbose_name=_("felanmälan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="map_point",
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("markerad"), default=timezone.now)

    class Meta:
        verbose_name = _("kartpunkt")
        verbose_name_plural = _("kartpunkter")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["map", "status", "-created_at"], name="mapinput_point_newest"),
            models.Index(fields=["map", "status", "category"], name="mapinput_point_category"),
            models.Index(fields=["status", "created_at"], name="mapinput_point_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dold") | (~Q(hidden_reason="") & Q(hidden_at__isnull=False)),
                name="mapinput_point_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="mapinput_point_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.comment[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("mapinput:point", kwargs={"pk": self.pk})

    @property
    def audit_repr(self) -> str:
        # The audit log is append-only: it names the entry, never quotes the citizen.
        return f"kartpunkt {self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == Status.PUBLISHED


class Agree(models.Model):
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="agrees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "user"], name="mapinput_agree_once_per_person")
        ]

    def __str__(self) -> str:
        return f"användare {self.user_id} håller med punkt {self.point_id}"


class Comment(models.Model):
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    shown_name = models.CharField(_("visat namn"), max_length=80)
    text = models.TextField(_("kommentar"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(
        _("skäl"), max_length=20, choices=HideReason.choices, blank=True
    )
    hidden_at = models.DateTimeField(_("dold"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["point", "status", "created_at"], name="mapinput_comment_point")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dold") | (~Q(hidden_reason="") & Q(hidden_at__isnull=False)),
                name="mapinput_comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_name}: {self.text[:60]}"

    @property
    def audit_repr(self) -> str:
        # The audit log is append-only: it names the entry, never quotes the citizen.
        return f"kommentar {self.pk} på kartpunkt {self.point_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == Status.PUBLISHED
