"""Safety inspections (*trygghetsbesiktningar*), DOMAIN §5.

Each area with a safety council has two inspections a year, one in spring and one in autumn.
An inspection has a date, a meeting point and a route (a line on the map), the groups that
are invited and which of them came. Its season and year follow from its date.
"""

import datetime
import json
import secrets
from pathlib import PurePosixPath

from django.conf import settings
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
    # When the protocol was done: from then it is listed on the agenda of the utskott's next
    # meeting (meetings.minutes).
    protocol_done_at = models.DateTimeField(_("protokollet klart"), null=True, blank=True)
    # When the public version (no personal data) was published under /trygghet/.
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    # When the invitation last went to the groups' contacts and the utskott; each changed
    # invitation counts the sequence up, so calendars take it as newer (RFC 5546).
    invited_at = models.DateTimeField(_("inbjudan skickad"), null=True, blank=True)
    invitation_sequence = models.PositiveIntegerField(default=0, editable=False)
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

    def protocol_url(self) -> str:
        return reverse("inspections:staff_protocol", kwargs={"pk": self.pk})

    def public_url(self) -> str:
        return reverse("inspections:public_protocol", kwargs={"pk": self.pk})

    @property
    def route_points(self) -> list[tuple[float, float]]:
        """The route as (lat, lon) pairs, as the form and the page write them."""
        coordinates = (self.route or {}).get("coordinates") or []
        return [(lat, lon) for lon, lat in coordinates]

    @property
    def route_json(self) -> str:
        """The route as GeoJSON text, for the map that draws it (route.js)."""
        return json.dumps(self.route) if self.route_points else ""


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


class GroupContact(models.Model):
    """Someone the invitation goes to for an invited group: by e-mail, by SMS or both.
    Contact details are for the inspection's staff only: never on a public page nor in the
    public protocol."""

    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("namn"), max_length=120, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    # E.164 (notifications.phones.normalize_mobile).
    phone = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kontakt för inbjuden grupp")
        verbose_name_plural = _("kontakter för inbjudna grupper")
        ordering = ["group", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="inspections_contact_reachable"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone_display

    @property
    def phone_display(self) -> str:
        from torget.notifications.phones import display

        return display(self.phone) if self.phone else ""


class SeasonWarning(models.Model):
    """That the coordinators were warned of a season with no inspection planned: one row a
    council, year and season, so however many workers tick, the warning goes once."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    season = models.CharField(max_length=4, choices=Season.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("varning om säsong utan besiktning")
        verbose_name_plural = _("varningar om säsonger utan besiktning")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "season"], name="inspections_season_warned_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} {self.year} {self.season}"


class FindingCategory(models.TextChoices):
    """What kind of problem a finding is; stable codes."""

    LIGHTING = "belysning", _("Belysning")
    VEGETATION = "vegetation", _("Vegetation")
    VANDALISM = "skadegorelse", _("Skadegörelse och klotter")
    TRAFFIC = "trafik", _("Trafik")
    LITTER = "nedskrapning", _("Nedskräpning")
    EMPTY_PREMISES = "tomma-lokaler", _("Tomma lokaler")
    OTHER = "ovrigt", _("Övrigt")


class Finding(models.Model):
    """Fynd: a place on the walk that feels unsafe, with what was seen there."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(_("kategori"), max_length=20, choices=FindingCategory.choices)
    description = models.TextField(_("beskrivning"))
    address = models.CharField(_("plats eller adress"), max_length=250, blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    # The root-cause analysis (*orsaksanalys*) starts from the observed problem, put in
    # words that the causes below answer; its causes and actions point here.
    problem = models.TextField(_("observerat problem"), blank=True)
    # A finding the municipality must fix becomes a fault report; its status shows here, and
    # the case's staff page links back (feedback.links).
    case = models.OneToOneField(
        "feedback.Case",
        verbose_name=_("felanmälan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_finding",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="inspections_finding_pin_whole",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=False) | ~Q(address=""),
                name="inspections_finding_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.place}"

    def get_absolute_url(self) -> str:
        return reverse(
            "inspections:staff_finding", kwargs={"pk": self.inspection_id, "finding_pk": self.pk}
        )

    @property
    def place(self) -> str:
        if self.address:
            return self.address
        return f"{self.lat:.5f}, {self.lon:.5f}" if self.lat is not None else ""


def finding_photo_path(photo: "FindingPhoto", filename: str) -> str:
    return f"inspections/{secrets.token_hex(16)}.jpg"


class FindingPhoto(models.Model):
    """A photo of a finding, checked and stripped of all metadata (torget.core.images).
    Not public until a coordinator approves it (a photo of the walk may show faces)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("foto"), upload_to=finding_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    is_public = models.BooleanField(_("godkänt för den publika versionen"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto av fynd")
        verbose_name_plural = _("foton av fynd")
        ordering = ["finding", "id"]

    def __str__(self) -> str:
        return self.image.name

    # Served by a view that checks who may see it, never from /media/; the address carries
    # part of the random file name so it cannot be guessed from the numbers.
    @property
    def key(self) -> str:
        return PurePosixPath(self.image.name).stem[:16]

    def public_url(self) -> str:
        return reverse(
            "inspections:public_photo",
            kwargs={"pk": self.finding.inspection_id, "photo_pk": self.pk, "key": self.key},
        )

    def staff_url(self) -> str:
        return reverse(
            "inspections:staff_photo",
            kwargs={"pk": self.finding.inspection_id, "photo_pk": self.pk, "key": self.key},
        )


class Cause(models.Model):
    """Orsak: one cause of a finding's problem, with who can influence it."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="causes")
    description = models.TextField(_("orsak"))
    influenced_by = models.CharField(_("vem kan påverka den"), max_length=250)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("orsak")
        verbose_name_plural = _("orsaker")
        ordering = ["finding", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class ResponsibleKind(models.TextChoices):
    ADMINISTRATION = "forvaltning", _("Förvaltning")
    PROPERTY_OWNER = "fastighetsagare", _("Fastighetsägare")
    POLICE = "polis", _("Polisen")
    ASSOCIATION = "forening", _("Förening")
    OTHER = "annan", _("Annan")


class ActionStatus(models.TextChoices):
    PROPOSED = "foreslagen", _("Föreslagen")
    AGREED = "beslutad", _("Överenskommen")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "genomford", _("Genomförd")
    NOT_DONE = "ej-genomford", _("Inte genomförd")


OPEN_ACTION_STATUSES = frozenset(
    {ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS}
)


class Action(models.Model):
    """Åtgärd: what someone will do about a cause, by when; followed up at the area's next
    inspection."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    cause = models.ForeignKey(
        Cause,
        verbose_name=_("orsak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    description = models.TextField(_("åtgärd"))
    responsible = models.CharField(_("ansvarig"), max_length=200)
    responsible_kind = models.CharField(
        _("typ av ansvarig"), max_length=20, choices=ResponsibleKind.choices
    )
    due_on = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=15, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    not_done_reason = models.TextField(_("varför den inte genomfördes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["finding", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ej-genomford") | ~Q(not_done_reason=""),
                name="inspections_action_not_done_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class CauseRemoved(models.TextChoices):
    YES = "ja", _("Ja, orsaken är borta")
    PARTLY = "delvis", _("Delvis")
    NO = "nej", _("Nej, orsaken finns kvar")


class FollowUp(models.Model):
    """Uppföljning: at the area's next inspection, whether an action removed its cause."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="follow_ups")
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    cause_removed = models.CharField(
        _("är orsaken borta?"), max_length=10, choices=CauseRemoved.choices
    )
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["inspection", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "inspection"], name="inspections_follow_up_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_cause_removed_display()}"
