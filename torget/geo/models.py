from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from torget.geo.geometry import GeometryError, bounds_of, parse_area_geometry
from torget.geo.population import AgeBand


class AreaKind(models.TextChoices):
    MUNICIPALITY = "kommun", _("Kommun")
    MUNICIPAL_PART = "kommundel", _("Kommundel")
    DISTRICT = "stadsdel", _("Stadsdel")
    LOCALITY = "ort", _("Ort")
    COMMITTEE_AREA = "utskottsomrade", _("Utskottsområde")


class Area(models.Model):
    """Område: a named polygon where local things happen (dialogues, safety councils, faults).

    The geometry is GeoJSON (WGS 84, lon/lat) validated on save; the bounding box is kept in
    columns so "which areas contain this point" narrows down in the database before shapely.
    """

    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), max_length=120, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ligger i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("beskrivning"), blank=True)
    geometry = models.JSONField(
        _("geometri (GeoJSON)"),
        help_text=_("En Polygon eller MultiPolygon i WGS 84 (longitud, latitud)."),
    )
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["name"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_lon__lte=F("max_lon")) & Q(min_lat__lte=F("max_lat")),
                name="geo_area_bbox_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="geo_area_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Always validate the geometry, whatever path saves it (admin, import, shell).
        shape = parse_area_geometry(self.geometry)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = bounds_of(shape)
        self.__dict__["shape"] = shape
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # The area's page gathers what every part offers, so the site shell serves it.
        return reverse("core:area_detail", kwargs={"slug": self.slug})

    @cached_property
    def shape(self) -> BaseGeometry:
        return parse_area_geometry(self.geometry)

    def clean(self) -> None:
        super().clean()
        try:
            shape = parse_area_geometry(self.geometry)
        except GeometryError as error:
            raise ValidationError({"geometry": str(error)}) from error
        if self.parent_id:
            ancestor: Area | None = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("Ett område kan inte ligga i sig självt.")})
                ancestor = ancestor.parent
        self.__dict__["shape"] = shape


class PopulationImport(models.Model):
    """One upload of the population figures (*befolkningsstatistik*); a new one replaces it.

    The figures of earlier imports are removed when they are replaced; the row stays, so the
    page and the audit log can say who read in what and when.
    """

    imported_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inläst av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("antal rader"))
    is_current = models.BooleanField(_("gällande"), default=True)

    class Meta:
        verbose_name = _("inläsning av befolkningsstatistik")
        verbose_name_plural = _("inläsningar av befolkningsstatistik")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="geo_one_current_population_import",
            )
        ]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d} ({self.row_count})"

    def audit_repr(self) -> str:
        return f"befolkningsstatistik {self.pk}"


class PopulationFigure(models.Model):
    """How many people live in an area in an age band (or belong to a target group there)."""

    source = models.ForeignKey(PopulationImport, on_delete=models.CASCADE, related_name="figures")
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(_("åldersgrupp"), max_length=8, choices=AgeBand.choices, blank=True)
    # A target group's code as the municipality writes it (e.g. "utrikes-fodda"); empty for
    # the population by age band that representativeness is computed from.
    group = models.CharField(_("målgrupp"), max_length=60, blank=True)
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("befolkningssiffra")
        verbose_name_plural = _("befolkningssiffror")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "area", "age_band", "group"],
                name="geo_population_figure_unique",
            ),
            models.CheckConstraint(
                condition=~Q(age_band="") | ~Q(group=""),
                name="geo_population_figure_band_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.age_band or '-'} {self.group or '-'}: {self.count}"
