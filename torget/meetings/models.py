"""Dialogue meetings (seeds 000): a meeting of a method from the catalogue, with an
agenda where at least one third of the time is the citizens', registration with an optional
cap and a waiting list, and questions citizens submit to the draft agenda (moderated).

An utskott's meetings are meetings too (`body` instead of `dialogue`); the safety part adds
the councils' minutes to their agendas.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
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
    cancellation_reason = models.TextField(_("varför mötet är inställt"), blank=True)
    # Kallelse (an utskott's meetings): when the members were first called, and the iCalendar
    # SEQUENCE of the last invitation sent (counted up by each change and the cancellation).
    called_at = models.DateTimeField(_("kallelsen skickad"), null=True, blank=True)
    notice_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["starts_at", "id"]
        permissions = [
            (
                "prepare_utskott_meetings",
                _("Kan förbereda utskottens möten och skicka handlingar till utskotten"),
            ),
        ]
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

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    def staff_url(self) -> str:
        return reverse("meetings:staff_detail", kwargs={"pk": self.pk})

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
        help_text=_("Tid för frågor som invånarna tar upp (minst en tredjedel av mötet)."),
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


# --- Documentation and feedback point 1 ---------------------------------------------------------


class Documentation(models.Model):
    """Dokumentation av mötet: the official's notes, the participants by target group, and
    the feedback at the end of the meeting (seed 004 §9, point 1). Shown publicly only once
    approved; any change afterwards takes the approval away again."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="documentation")
    notes = models.TextField(_("anteckningar"), blank=True)
    participants_total = models.PositiveIntegerField(_("antal deltagare totalt"), null=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Feedback point 1 (seed 004 §9): what happens next, told to the participants.
    feedback_questions = models.TextField(_("frågor som går vidare och hur"), blank=True)
    feedback_notes_where = models.CharField(
        _("här publiceras anteckningarna"), max_length=250, blank=True
    )
    feedback_next_on = models.DateField(_("deltagarna får veta mer"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("återkopplingen skickad"), null=True, blank=True)
    feedback_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dokumentation")
        verbose_name_plural = _("dokumentation")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class ParticipantCount(models.Model):
    """How many of the participants belonged to one target group."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participant_counts"
    )
    target_group = models.ForeignKey(
        "dialogues.TargetGroup",
        verbose_name=_("målgrupp"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("deltagare per målgrupp")
        verbose_name_plural = _("deltagare per målgrupp")
        ordering = ["meeting", "target_group__order", "target_group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "target_group"], name="meetings_one_count_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_group}: {self.count}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    return f"meetings/attachments/{secrets.token_hex(16)}.{attachment.extension}"


class Attachment(models.Model):
    """A document from the meeting (PDF, office formats), its type checked from its content.
    Served through a view that checks the documentation is approved."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("rubrik"), max_length=200)
    file = models.FileField(_("fil"), upload_to=attachment_path)
    extension = models.CharField(max_length=8, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title


def photo_path(photo: "Photo", filename: str) -> str:
    return f"meetings/photos/{secrets.token_hex(16)}.jpg"


class Photo(models.Model):
    """A photo from the meeting, processed like the feedback photos (no metadata, resized)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("foto"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("bildtext för den som inte ser bilden"),
        max_length=250,
        help_text=_("Beskriv vad bilden visar, till exempel ”Deltagare vid kartan över parken”."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foton")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.alt_text


# --- Documents forwarded to an utskott -----------------------------------------------------------


def forwarded_document_path(document: "ForwardedDocument", filename: str) -> str:
    return f"meetings/handlingar/{secrets.token_hex(16)}.{document.extension}"


class ForwardedDocument(models.Model):
    """Handling: a document forwarded to an utskott before its meeting (a report, a nämnd's
    answer, a safety council's minutes), e-mailed to each member as a link. Only the members
    and those who prepare the meeting may fetch it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="forwarded_documents"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    note = models.TextField(_("meddelande till ledamöterna"), blank=True)
    file = models.FileField(_("fil"), upload_to=forwarded_document_path)
    extension = models.CharField(max_length=8, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("handling till utskottet")
        verbose_name_plural = _("handlingar till utskottet")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "meetings:staff_forwarded_document",
            kwargs={"pk": self.meeting_id, "document_pk": self.pk},
        )
