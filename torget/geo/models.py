from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from torget.geo.geometry import GeometryError, bounds_of, parse_area_geometry


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
