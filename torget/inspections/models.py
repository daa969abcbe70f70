"""Safety inspections (*trygghetsbesiktningar*), DOMAIN §5.

Each area with a safety council has two inspections a year, one in spring and one in autumn.
An inspection has a date, a meeting point and a route (a line on the map), the groups that
are invited and which of them came. Its season and year follow from its date.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Season(models.TextChoices):
    """The value is a stable code; the label may change."""

    SPRING = "var", _("Vår")
    AUTUMN = "host", _("Höst")


# The last day of each season's inspection, as (month, day). The spring walk is held before
# the summer holidays and the autumn walk when it is dark early but before the first snow;
# an inspection dated in December counts for the autumn it was late for.
SEASON_ENDS: dict[str, tuple[int, int]] = {Season.SPRING: (6, 30), Season.AUTUMN: (11, 30)}
# How long before a season ends the coordinator is warned that it has no inspection planned.
WARN_BEFORE = datetime.timedelta(weeks=4)


def season_of(day: datetime.date) -> str:
    """The season a date belongs to: spring up to and including the end of June."""
    month, last = SEASON_ENDS[Season.SPRING]
    return Season.SPRING if (day.month, day.day) <= (month, last) else Season.AUTUMN


def season_end(year: int, season: str) -> datetime.date:
    month, day = SEASON_ENDS[season]
    return datetime.date(year, month, day)


class InspectionStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    HELD = "genomford", _("Genomförd")
    PROTOCOL_DONE = "protokoll", _("Protokoll klart")
    CANCELLED = "installd", _("Inställd")


# The statuses that count as the season's inspection being done.
DONE_STATUSES = frozenset({InspectionStatus.HELD, InspectionStatus.PROTOCOL_DONE})


class InvitedGroup(models.TextChoices):
    """The groups invited to an inspection (DOMAIN §5); stable codes."""

    COUNCIL = "radet", _("Trygghetsrådets representanter")
    PLANNING = "samhallsbyggnad", _("Miljö- och samhällsbyggnadsförvaltningen")
    NIGHT_WALKERS = "nattvandrare", _("Nattvandrare")
    RESIDENTS = "boende", _("Boendes representanter")
    FAITH = "trossamfund", _("Trossamfund")
    PROPERTY_OWNERS = "fastighetsagare", _("Fastighetsägare")
    POLICE = "polis", _("Lokalpolisen")
    SCHOOLS = "skolor", _("Skolor")
    DISTRICT_COORDINATORS = "omradessamordnare", _("Områdessamordnare")
    BUSINESSES = "naringsidkare", _("Näringsidkare")
    YOUTH = "ungdomsorganisationer", _("Ungdomsorganisationer")
    ASSOCIATIONS = "foreningar", _("Föreningar")


class Inspection(models.Model):
    """Trygghetsbesiktning: a walk through an area with the council and the invited groups."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("trygghetsråd"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    date = models.DateField(_("datum"))
    # Derived from the date by the services (season_of), stored so the planning view is a
    # plain filter.
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    season = models.CharField(_("säsong"), max_length=4, choices=Season.choices, editable=False)
    starts_at = models.TimeField(_("klockan"), null=True, blank=True)
    meeting_point = models.CharField(_("samlingsplats"), max_length=250)
    # A GeoJSON LineString ({"type": "LineString", "coordinates": [[lon, lat], ...]}).
    route = models.JSONField(_("sträckning"), null=True, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    cancelled_reason = models.TextField(_("varför besiktningen ställdes in"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trygghetsbesiktning")
        verbose_name_plural = _("trygghetsbesiktningar")
        ordering = ["-date", "council__name"]
        indexes = [models.Index(fields=["year", "season"], name="inspections_year_season")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="installd") | ~Q(cancelled_reason=""),
                name="inspections_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:staff_detail", kwargs={"pk": self.pk})

    @property
    def route_points(self) -> list[tuple[float, float]]:
        """The route as (lat, lon) pairs, as the form and the page write them."""
        coordinates = (self.route or {}).get("coordinates") or []
        return [(lat, lon) for lon, lat in coordinates]


class InspectionGroup(models.Model):
    """An invited group of an inspection and whether it came (attendance per group)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("grupp"), max_length=30, choices=InvitedGroup.choices)
    # None until attendance is recorded after the walk.
    attended = models.BooleanField(_("deltog"), null=True)
    attendees = models.PositiveSmallIntegerField(_("antal deltagare"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjuden grupp")
        verbose_name_plural = _("inbjudna grupper")
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "group"], name="inspections_group_once"),
        ]

    def __str__(self) -> str:
        return self.get_group_display()
