import math
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def validate_organisation_number(value: str) -> None:
    """Organisationsnummer: ten digits as NNNNNN-NNNN, the last a Luhn check digit."""
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{6}-?\d{4}", value) or not _luhn_ok(digits):
        raise ValidationError(
            _("Ange organisationsnumret som tio siffror (NNNNNN-NNNN) med rätt kontrollsiffra."),
            code="invalid_organisation_number",
        )


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


class Municipality(models.Model):
    """Kommunen: the one municipality this installation serves, and its settings.

    A singleton (the primary key is always 1); read it with `selectors.municipality_get()`.
    """

    SINGLETON_PK = 1

    name = models.CharField(_("namn"), max_length=120, default="Kommunen")
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    logo = models.ImageField(_("logotyp"), upload_to="municipality/", blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    address = models.TextField(_("postadress"), blank=True)
    website = models.URLField(_("kommunens webbplats"), blank=True)
    population = models.PositiveIntegerField(_("antal invånare"), null=True, blank=True)
    map_center_lat = models.FloatField(
        _("kartans mittpunkt, latitud"),
        default=58.41,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    map_center_lon = models.FloatField(
        _("kartans mittpunkt, longitud"),
        default=15.62,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("kartans zoomnivå"), default=11, validators=[MinValueValidator(1), MaxValueValidator(19)]
    )
    # Medborgarförslag (seed 002: 50 supporters registered in the municipality).
    proposal_support_threshold = models.PositiveIntegerField(
        _("antal stöd som krävs för ett förslag"), default=50, validators=[MinValueValidator(1)]
    )
    proposal_signing_days = models.PositiveIntegerField(
        _("insamlingstid för förslag (dagar)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    proposal_residence_required = models.BooleanField(
        _("stöd kräver folkbokföring i kommunen"), default=True
    )
    # Some municipalities count one supporter per mille of the population instead.
    proposal_threshold_per_mille = models.DecimalField(
        _("stöd som krävs, promille av invånarna"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(1000)],
        help_text=_("Lämna tomt för att använda antalet ovan. Kräver antal invånare."),
    )
    proposal_signing_choices = models.CharField(
        _("insamlingstider förslagsställaren kan välja (dagar)"),
        max_length=60,
        blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Till exempel ”30,90,180”. Tomt: alltid insamlingstiden ovan."),
    )
    proposal_min_age = models.PositiveSmallIntegerField(
        _("lägsta ålder för att stödja förslag"),
        default=0,
        validators=[MaxValueValidator(18)],
        help_text=_("0 betyder ingen åldersgräns."),
    )
    proposal_organisations_allowed = models.BooleanField(
        _("föreningar och organisationer får lämna förslag"), default=False
    )
    proposal_repeat_months = models.PositiveSmallIntegerField(
        _("spärrtid för förslag i en nyligen beslutad fråga (månader)"),
        default=12,
        validators=[MaxValueValidator(120)],
    )
    registrar_email = models.EmailField(
        _("registratorns e-post"),
        blank=True,
        help_text=_("Får besked när ett förslag ska diarieföras."),
    )
    # Synpunkter och felanmälan: first response within this many working days.
    feedback_sla_days = models.PositiveSmallIntegerField(
        _("svarstid för synpunkter (arbetsdagar)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # Gallring: closed cases lose their personal data after this many months.
    feedback_retention_months = models.PositiveSmallIntegerField(
        _("gallring av personuppgifter i avslutade ärenden (månader)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommun")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="organisation_municipality_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.proposal_threshold_per_mille and not self.population:
            raise ValidationError(
                {"population": _("Ange antal invånare när stödet räknas i promille.")}
            )
        for days in self.signing_day_choices():
            if not 1 <= days <= 366:
                raise ValidationError(
                    {"proposal_signing_choices": _("Varje insamlingstid ska vara 1–366 dagar.")}
                )

    def proposal_threshold(self) -> int:
        """Supporters a proposal published now needs (seed 002: 50 in Trelleborg)."""
        if self.proposal_threshold_per_mille and self.population:
            return max(1, math.ceil(self.population * self.proposal_threshold_per_mille / 1000))
        return self.proposal_support_threshold

    def signing_day_choices(self) -> list[int]:
        return [int(d) for d in self.proposal_signing_choices.split(",") if d.strip()]


class Party(models.Model):
    """Parti."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    abbreviation = models.CharField(_("förkortning"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("parti")
        verbose_name_plural = _("partier")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.abbreviation


class BodyKind(models.TextChoices):
    COUNCIL = "kf", _("Kommunfullmäktige")
    EXECUTIVE = "ks", _("Kommunstyrelsen")
    COMMITTEE = "namnd", _("Nämnd")
    DIALOGUE_COMMITTEE = "utskott", _("Utskott för medborgardialog")
    # A standing council (trygghetsråd, pensionärsråd …): its meetings are meetings of this
    # body; the councils part owns it (torget/councils).
    STANDING_COUNCIL = "rad", _("Råd")


class Body(models.Model):
    """Politiskt organ: kommunfullmäktige, kommunstyrelsen, en nämnd or an utskott för
    medborgardialog (seed 000: each utskott is tied to a geographic area)."""

    kind = models.CharField(_("typ"), max_length=10, choices=BodyKind.choices)
    name = models.CharField(_("namn"), max_length=150, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=150, unique=True)
    # Prefix of its diarienummer: "KS" in "KS 2026/17".
    abbreviation = models.CharField(_("förkortning"), max_length=12, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Till exempel kommunstyrelsen för ett utskott."),
    )
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    description = models.TextField(_("beskrivning"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("politiskt organ")
        verbose_name_plural = _("politiska organ")
        ordering = ["kind", "name"]
        constraints = [
            # One council and one executive board per municipality.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=["kf", "ks"]),
                name="organisation_body_one_kf_one_ks",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:body_detail", kwargs={"slug": self.slug})


class MemberRole(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    FIRST_VICE_CHAIR = "forste_vice", _("Förste vice ordförande")
    SECOND_VICE_CHAIR = "andre_vice", _("Andre vice ordförande")
    MEMBER = "ledamot", _("Ledamot")
    DEPUTY = "ersattare", _("Ersättare")


# The presidium (presidiet) is the chair and the vice chairs.
PRESIDIUM_ROLES = (MemberRole.CHAIR, MemberRole.FIRST_VICE_CHAIR, MemberRole.SECOND_VICE_CHAIR)


class BodyMembershipQuerySet(models.QuerySet["BodyMembership"]):
    def current(self) -> "BodyMembershipQuerySet":
        return self.filter(ended_on__isnull=True)

    def presidium(self) -> "BodyMembershipQuerySet":
        return self.filter(role__in=PRESIDIUM_ROLES)


class BodyMembership(models.Model):
    """Uppdrag: an elected official's seat in a body, with party and role."""

    body = models.ForeignKey(
        Body, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("förtroendevald"),
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("parti"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("roll"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    started_on = models.DateField(_("från"))
    ended_on = models.DateField(_("till"), null=True, blank=True)

    objects = BodyMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = pgettext_lazy("plural", "uppdrag")
        ordering = ["body", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"],
                condition=Q(ended_on__isnull=True),
                name="organisation_membership_one_current_seat",
            ),
            models.UniqueConstraint(
                fields=["body", "role"],
                condition=Q(ended_on__isnull=True, role__in=list(PRESIDIUM_ROLES)),
                name="organisation_membership_one_per_presidium_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="organisation_membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.party}), {self.get_role_display()}, {self.body}"  # type: ignore[attr-defined]

    @property
    def is_presidium(self) -> bool:
        return self.role in PRESIDIUM_ROLES


class Administration(models.Model):
    """Förvaltning: the officials' organisation under a nämnd."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=150, unique=True)
    abbreviation = models.CharField(_("förkortning"), max_length=12, blank=True)
    body = models.ForeignKey(
        Body,
        verbose_name=_("ansvarig nämnd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    UNIT = "enhet", _("Enhet")
    CONTACT_CENTRE = "kontaktcenter", _("Kontaktcenter")
    SAFETY = "sakerhet", _("Säkerhetsenhet")


class Unit(models.Model):
    """Enhet within a förvaltning, such as the contact centre or the safety unit."""

    administration = models.ForeignKey(
        Administration,
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    kind = models.CharField(
        _("typ"), max_length=15, choices=UnitKind.choices, default=UnitKind.UNIT
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["administration", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "name"], name="organisation_unit_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Employment(models.Model):
    """Anställning: an official's place in a förvaltning (and unit), and whether they are a
    contact person (kontaktperson) for citizen dialogue there (seed 000)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tjänsteperson"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
    )
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    is_contact_person = models.BooleanField(_("kontaktperson för medborgardialog"), default=False)
    areas = models.ManyToManyField(
        "geo.Area",
        verbose_name=_("ansvarsområden"),
        blank=True,
        related_name="employments",
        help_text=_("Till exempel de områden en trygghetssamordnare ansvarar för."),
    )

    class Meta:
        verbose_name = _("anställning")
        verbose_name_plural = _("anställningar")
        ordering = ["administration", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "administration"], name="organisation_employment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.title or self.administration}"


class DiarySeries(models.Model):
    """One diarienummer series: a prefix (usually a body's abbreviation) and a year.
    `last_serial` is the last number handed out; see services.diary_number_next."""

    prefix = models.CharField(_("prefix"), max_length=12)
    year = models.PositiveSmallIntegerField(_("år"))
    last_serial = models.PositiveIntegerField(_("senaste löpnummer"), default=0)

    class Meta:
        verbose_name = _("diarieserie")
        verbose_name_plural = _("diarieserier")
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="organisation_diaryseries_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}"


class DiaryNumber(models.Model):
    """Diarienummer, e.g. "KS 2026/17": every number handed out, with what it was for."""

    series = models.ForeignKey(DiarySeries, on_delete=models.PROTECT, related_name="numbers")
    serial = models.PositiveIntegerField(_("löpnummer"))
    title = models.CharField(_("ärendemening"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        verbose_name = _("diarienummer")
        verbose_name_plural = _("diarienummer")
        ordering = ["-series__year", "series__prefix", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "serial"], name="organisation_diarynumber_unique"
            ),
            models.CheckConstraint(
                condition=Q(serial__gte=1), name="organisation_diarynumber_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.prefix} {self.series.year}/{self.serial}"


class Topic(models.Model):
    """Ämne: what a dialogue, a proposal or a piece of feedback is about, such as "Trafik och
    gator". Citizens can follow a topic; later parts tag their content with topics."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("ämne")
        verbose_name_plural = _("ämnen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
