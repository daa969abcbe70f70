"""Samråd om alternativ: citizens choose between prepared alternatives (or rank them) within a
dialogue (DOMAIN §7: "alternativ 1 eller 2, A eller B").

A choice is stored under a keyed hash of the person, per consultation: no link to the user,
the e-ID verification or the e-mail address, and no time finer than the date, so nobody who
reads the tables can see who chose what. One row per person and consultation (a constraint),
changed in place while the consultation is open.
"""

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.geo.population import age_band_choices

# The age bands of the background question: the population statistics' bands (12 and
# older), so that the choices can be compared with the population.
AGE_BANDS: list[tuple[str, Any]] = age_band_choices()


class Status(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    APPROVED = "godkant", _("Godkänt")
    OPEN = "oppet", _("Öppet")
    CLOSED = "stangt", _("Stängt")
    PUBLISHED = "publicerat", _("Resultatet publicerat")


PUBLIC_STATUSES = frozenset({Status.APPROVED, Status.OPEN, Status.CLOSED, Status.PUBLISHED})


class Mode(models.TextChoices):
    CHOOSE_ONE = "valj", _("Välj ett alternativ")
    RANK = "rangordna", _("Rangordna alternativen")


class Eligibility(models.TextChoices):
    EID = "e-legitimation", _("Med e-legitimation")
    EMAIL = "e-post", _("Med bekräftad e-postadress")


class Consultation(models.Model):
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialog"),
        on_delete=models.CASCADE,
        # "consultations" is the dialogue's consultations with presidia.
        related_name="alternative_consultations",
    )
    planned_method = models.ForeignKey(
        "dialogues.PlannedMethod",
        verbose_name=_("metod i planen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    question = models.CharField(_("frågan"), max_length=300)
    description = models.TextField(_("bakgrund"), max_length=5000, blank=True)
    mode = models.CharField(
        _("sätt att välja"), max_length=12, choices=Mode.choices, default=Mode.CHOOSE_ONE
    )
    eligibility = models.CharField(
        _("vem får välja"), max_length=16, choices=Eligibility.choices, default=Eligibility.EID
    )
    eligibility_reason = models.TextField(
        _("varför"),
        max_length=1000,
        help_text=_("Visas för medborgarna: varför just det här sättet att identifiera sig."),
    )
    opens_at = models.DateTimeField(_("öppnar"))
    closes_at = models.DateTimeField(_("stänger"))
    ask_age_band = models.BooleanField(_("fråga om ålder"), default=True)
    ask_area = models.BooleanField(_("fråga om område"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The approval in the dialogue's plan by the responsible politicians.
    approved_by_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("beslutande organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by_names = models.CharField(_("godkänt av (politiker)"), max_length=300, blank=True)
    approved_on = models.DateField(_("godkänt datum"), null=True, blank=True)
    approval_reference = models.CharField(_("diarienummer"), max_length=40, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The published result: the official's summary and the counts as published.
    result_text = models.TextField(_("sammanfattning av resultatet"), max_length=10000, blank=True)
    result = models.JSONField(_("resultat"), default=dict, blank=True)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("samråd om alternativ")
        verbose_name_plural = _("samråd om alternativ")
        ordering = ["dialogue", "opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultations_closes_after_opens",
            ),
            # DOMAIN §7: it cannot open before the politicians' approval is recorded.
            models.CheckConstraint(
                condition=Q(status="utkast")
                | Q(approved_on__isnull=False, approved_by_body__isnull=False),
                name="consultations_approved_before_use",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.dialogue_id, self.pk])

    def staff_url(self) -> str:
        return reverse("consultations:staff_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def is_taking_choices(self, now: object = None) -> bool:
        now = now or timezone.now()
        return bool(self.status == Status.OPEN and self.opens_at <= now < self.closes_at)  # type: ignore[operator]

    def is_over(self, now: object = None) -> bool:
        """Closed for choices for good: closed by staff, or its period has ended."""
        now = now or timezone.now()
        return self.status in (Status.CLOSED, Status.PUBLISHED) or (
            self.status == Status.OPEN and now >= self.closes_at  # type: ignore[operator]
        )

    @property
    def is_rank(self) -> bool:
        return self.mode == Mode.RANK


def image_path(alternative: "Alternative", filename: str) -> str:
    return f"consultations/{secrets.token_hex(16)}.jpg"


def document_path(alternative: "Alternative", filename: str) -> str:
    return f"consultations/{secrets.token_hex(16)}.pdf"


class Alternative(models.Model):
    """One prepared alternative: text, an image, a document, a place or an area."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="alternatives"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=5000, blank=True)
    image = models.ImageField(
        _("bild"), upload_to=image_path, blank=True, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    image_alt = models.CharField(
        _("bildtext för den som inte ser bilden"), max_length=250, blank=True
    )
    document = models.FileField(_("dokument (PDF)"), upload_to=document_path, blank=True)
    document_title = models.CharField(_("dokumentets rubrik"), max_length=200, blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alternativ")
        verbose_name_plural = _("alternativ")
        ordering = ["consultation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="consultations_alternative_place_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_place(self) -> bool:
        return self.lat is not None and self.lon is not None


class Choice(models.Model):
    """Ett val: one person's choice in one consultation, anonymous.

    `person_hash` is a keyed hash (HMAC with a secret from the settings, per consultation) of
    the e-ID person key or the verified e-mail address: the same person always gets the same
    hash in one consultation, so a second choice replaces the first, but nothing here leads
    back to the person. The key is random (not a sequence) and only the date is kept, so the
    order of rows says nothing about when someone chose either.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="choices")
    person_hash = models.CharField(max_length=64, editable=False)
    # Choose-one: the choice; rank: the first preference (the full order is `ranking`).
    alternative = models.ForeignKey(Alternative, on_delete=models.CASCADE, related_name="choices")
    ranking = models.JSONField(default=list, blank=True)  # alternative ids, first to last
    comment = models.TextField(_("kommentar"), max_length=2000, blank=True)
    age_band = models.CharField(_("ålder"), max_length=8, choices=AGE_BANDS, blank=True)
    area = models.ForeignKey(
        "geo.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_on = models.DateField(_("datum"))

    class Meta:
        verbose_name = _("val")
        verbose_name_plural = _("val")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "person_hash"], name="consultations_one_choice_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.alternative_id}"
