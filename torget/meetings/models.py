"""Dialogue meetings (seeds 000, 004 §7): a meeting of a method from the catalogue, with an
agenda where at least one third of the time is the citizens', registration with an optional
cap and a waiting list, and questions citizens submit to the draft agenda (moderated).

An utskott's meetings are meetings too (`body` instead of `dialogue`); the safety part adds
the councils' minutes to their agendas.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MeetingStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    PUBLISHED = "publicerat", _("Publicerat")
    HELD = "genomfort", _("Genomfört")
    CANCELLED = "installt", _("Inställt")


class Meeting(models.Model):
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("medborgardialog"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("utskott"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("För utskottens egna möten."),
    )
    method = models.ForeignKey(
        "dialogues.Method", verbose_name=_("metod"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    purpose = models.TextField(_("syfte"))
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=250, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    link = models.URLField(_("länk till digitalt möte"), blank=True)
    accessibility = models.TextField(
        _("tillgänglighet"),
        blank=True,
        help_text=_("Till exempel hörslinga, rullstolsplatser, tolk, barnpassning."),
    )
    registration_required = models.BooleanField(_("anmälan krävs"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("max antal deltagare"), null=True, blank=True, help_text=_("Tomt: inget tak.")
    )
    politician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leds av politiker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tjänsteperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    agenda_published_at = models.DateTimeField(_("agendan publicerad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(dialogue__isnull=False) | Q(body__isnull=False),
                name="meetings_meeting_belongs_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meetings_meeting_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_public(self) -> bool:
        if self.status == MeetingStatus.DRAFT:
            return False
        return self.dialogue is None or bool(getattr(self.dialogue, "is_public", False))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("punkt"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minuter"))
    citizens_time = models.BooleanField(
        _("invånarnas frågor"),
        default=False,
        help_text=_("Tid för frågor som invånarna tar upp (minst en tredjedel av mötet, 004 §7)."),
    )

    class Meta:
        verbose_name = _("punkt på agendan")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1), name="meetings_item_has_time"),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "anmald", _("Anmäld")
    WAITING = "reserv", _("På reservlistan")
    CANCELLED = "avanmald", _("Avanmäld")


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("namn"), max_length=120)
    email = models.EmailField(_("e-post"))
    target_group = models.ForeignKey(
        "dialogues.TargetGroup",
        verbose_name=_("jag tillhör (frivilligt)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs = models.CharField(_("behov av stöd"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = pgettext_lazy("plural", "anmälningar")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="avanmald"),
                name="meetings_one_registration_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"  # type: ignore[attr-defined]


class QuestionStatus(models.TextChoices):
    SUBMITTED = "inskickad", _("Inskickad")
    ACCEPTED = "godkand", _("Godkänd")
    REJECTED = "avvisad", _("Avvisad")


class AgendaQuestion(models.Model):
    """A question a citizen submits to the draft agenda; shown on the meeting page once
    accepted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("fråga"), max_length=1000)
    name = models.CharField(_("namn (frivilligt)"), max_length=120, blank=True)
    email = models.EmailField(_("e-post (frivilligt)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.SUBMITTED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fråga till agendan")
        verbose_name_plural = _("frågor till agendan")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
