"""Surveys (*enkäter*) inside a dialogue, DOMAIN §3 (methods of ladder step 2).

A survey belongs to a dialogue, usually to its planned survey method. It has sections (one
page each when answering) and questions of a fixed set of kinds. Once the first answer has
come in, only the wording may change: a wording change makes a new `QuestionVersion`, and
each answer keeps the version its respondent saw.

Anonymity: a `Response` has no link to a person. Where one answer per person is the rule
(e-ID, verified e-mail), a `Participation` row holds a keyed hash of the person and the
survey, with a random key, no timestamp and no column shared with the response, so the
"has answered" mark cannot be joined to what was answered.
"""

import datetime
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    """Who may answer (chosen per survey; the public page says which and why)."""

    OPEN = "oppen", _("Alla (öppen enkät)")
    EMAIL = "e-post", _("Med bekräftad e-postadress")
    EID = "e-legitimation", _("Med e-legitimation (ett svar per person)")


class Status(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    PUBLISHED = "publicerad", _("Publicerad")
    CLOSED = "stangd", _("Avslutad")


class Channel(models.TextChoices):
    WEB = "webb", _("Webb")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    SINGLE = "ett-val", _("Ett val")
    MULTIPLE = "flera-val", _("Flera val")
    SCALE = "skala", _("Skala 1–5")
    NUMBER = "tal", _("Tal")
    SHORT_TEXT = "kort-text", _("Kort fritext")
    LONG_TEXT = "lang-text", _("Lång fritext")
    RANKING = "rangordning", _("Rangordning")
    PLACE = "plats", _("Plats på kartan")
    YES_NO = "ja-nej", _("Ja eller nej")


# The kinds whose answers are one of the question's options.
OPTION_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}
# The kinds an SMS survey can ask: one short reply each.
SMS_KINDS = {Kind.SINGLE, Kind.SCALE, Kind.YES_NO, Kind.SHORT_TEXT}
SCALE_POINTS = range(1, 6)


class Source(models.TextChoices):
    """How an answer came in."""

    WEB = "webb", _("Webb")
    PAPER = "papper", _("Papper, inmatat av personal")
    SMS = "sms", _("SMS")


class Gender(models.TextChoices):
    WOMAN = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "annat", _("Annat")
    UNSAID = "vill-inte-svara", _("Vill inte svara")


def _localized(obj: models.Model, field: str) -> str:
    """The English text where the page is in English and there is one, else the Swedish."""
    if (get_language() or "sv").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, field))


class Survey(models.Model):
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialog"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    method = models.ForeignKey(
        "dialogues.PlannedMethod",
        verbose_name=_("planerad metod"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    intro = models.TextField(_("inledning"), blank=True)
    intro_en = models.TextField(_("inledning på engelska"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("kanal"), max_length=6, choices=Channel.choices, default=Channel.WEB
    )
    access = models.CharField(
        _("vem får svara"), max_length=16, choices=Access.choices, default=Access.OPEN
    )
    access_reason = models.TextField(
        _("varför"),
        blank=True,
        help_text=_("Visas på enkätens sida, till exempel varför bara ett svar per person räknas."),
    )
    opens_at = models.DateTimeField(_("öppnar"), null=True, blank=True)
    closes_at = models.DateTimeField(_("stänger"), null=True, blank=True)
    # Background questions for representativeness; all optional to answer.
    ask_age_band = models.BooleanField(_("fråga om åldersgrupp"), default=True)
    ask_area = models.BooleanField(_("fråga om område"), default=True)
    ask_target_groups = models.BooleanField(_("fråga om dialogens målgrupper"), default=False)
    ask_gender = models.BooleanField(_("fråga om kön"), default=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("kopierad från"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    # Set by the first answer: from then on only the wording may change.
    locked_at = models.DateTimeField(_("första svaret kom"), null=True, blank=True)
    summary = models.TextField(_("sammanfattning av resultatet"), blank=True)
    summary_published_at = models.DateTimeField(
        _("sammanfattningen publicerad"), null=True, blank=True
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
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_repr(self) -> str:
        return f"enkät {self.pk} {self.title}"

    @property
    def localized_title(self) -> str:
        return _localized(self, "title")

    @property
    def localized_intro(self) -> str:
        return _localized(self, "intro")

    @property
    def is_locked(self) -> bool:
        """Whether answers have come in, so that questions may no longer be added or removed."""
        return self.locked_at is not None

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class Section(models.Model):
    """A part of the survey; one page when answering on the web."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    intro = models.TextField(_("inledning"), blank=True)
    intro_en = models.TextField(_("inledning på engelska"), blank=True)

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        return _localized(self, "title")

    @property
    def localized_intro(self) -> str:
        return _localized(self, "intro")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    kind = models.CharField(_("frågetyp"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("fråga"), max_length=500)
    text_en = models.CharField(_("fråga på engelska"), max_length=500, blank=True)
    help_text = models.CharField(_("hjälptext"), max_length=500, blank=True)
    help_text_en = models.CharField(_("hjälptext på engelska"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatorisk"), default=False)
    # Multiple choice: at most this many (blank: no limit).
    max_choices = models.PositiveSmallIntegerField(_("högst antal val"), null=True, blank=True)
    # Scale: the words at its ends.
    scale_low_label = models.CharField(_("skalans lägsta (1)"), max_length=60, blank=True)
    scale_low_label_en = models.CharField(_("lägsta på engelska"), max_length=60, blank=True)
    scale_high_label = models.CharField(_("skalans högsta (5)"), max_length=60, blank=True)
    scale_high_label_en = models.CharField(_("högsta på engelska"), max_length=60, blank=True)
    # Number: the range accepted.
    number_min = models.IntegerField(_("minsta tal"), null=True, blank=True)
    number_max = models.IntegerField(_("största tal"), null=True, blank=True)
    # A simple condition: shown only when `condition_question` was answered with
    # `condition_value` (an option's code, "ja"/"nej", or a scale point).
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("visas när frågan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
    )
    condition_value = models.CharField(_("har svaret"), max_length=40, blank=True)
    # Raised by each wording change after the survey is locked; answers keep theirs.
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["survey", "section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=models.F("number_min")),
                name="question_number_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def localized_text(self) -> str:
        return _localized(self, "text")

    @property
    def localized_help_text(self) -> str:
        return _localized(self, "help_text")

    @property
    def localized_scale_low_label(self) -> str:
        return _localized(self, "scale_low_label")

    @property
    def localized_scale_high_label(self) -> str:
        return _localized(self, "scale_high_label")

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS


class Option(models.Model):
    """An answer option of a choice or ranking question. `code` is what an SMS reply or a
    condition names: "A", "B", … (or "1", "2", … in an SMS survey, which accepts both)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    code = models.CharField(_("kod"), max_length=10)
    text = models.CharField(_("alternativ"), max_length=300)
    text_en = models.CharField(_("alternativ på engelska"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("svarsalternativ")
        verbose_name_plural = _("svarsalternativ")
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="option_code_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def localized_text(self) -> str:
        return _localized(self, "text")


class QuestionVersion(models.Model):
    """The wording of a question as it was before a change made after answers came in:
    the texts, and its options' texts by code."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.CharField(_("fråga"), max_length=500)
    text_en = models.CharField(_("fråga på engelska"), max_length=500, blank=True)
    help_text = models.CharField(_("hjälptext"), max_length=500, blank=True)
    help_text_en = models.CharField(_("hjälptext på engelska"), max_length=500, blank=True)
    options = models.JSONField(_("svarsalternativ"), default=dict, blank=True)
    replaced_at = models.DateTimeField(_("ersattes"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("frågeversion")
        verbose_name_plural = _("frågeversioner")
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.text} (v{self.number})"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ResponseStatus(models.TextChoices):
    STARTED = "paborjad", _("Påbörjad")
    SUBMITTED = "inskickad", _("Inskickad")


class Response(models.Model):
    """One respondent's answers: no person, no IP, no e-mail address; dates, not times.

    `token` is the secret of the resume link (only its holder continues the answers); it is
    cleared when the answers are sent in. The background answers are here, optional, and
    reach exports and charts only as counts or as columns without anything that names anyone.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.STARTED
    )
    source = models.CharField(_("kanal"), max_length=8, choices=Source.choices, default=Source.WEB)
    token = models.CharField(_("länknyckel"), max_length=64, blank=True, db_index=True)
    language = models.CharField(_("språk"), max_length=8, default="sv")
    # The page (section order) to come back to.
    page = models.PositiveSmallIntegerField(_("sida"), default=1)
    started_on = models.DateField(_("påbörjad"), default=timezone.localdate)
    submitted_on = models.DateField(_("inskickad"), null=True, blank=True)
    receipt = models.CharField(_("kvittens"), max_length=12, blank=True)
    # Paper answers: who entered them (staff), so they are marked as such.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_note = models.CharField(_("var svaren samlades in"), max_length=200, blank=True)
    # Background (representativeness), each optional.
    age_band = models.CharField(_("åldersgrupp"), max_length=10, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gender = models.CharField(_("kön"), max_length=16, choices=Gender.choices, blank=True)
    target_groups = models.JSONField(_("målgrupper"), default=list, blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["survey", "submitted_on"]
        indexes = [models.Index(fields=["survey", "status"])]

    def __str__(self) -> str:
        return self.receipt or str(self.pk)

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    """The answer to one question, in the question's version that the respondent saw.

    `value` holds what was chosen: an option code (single), a list of codes (multiple), the
    codes in order (ranking), a scale point or number (int), "ja"/"nej" (yes/no), or
    {"lat": …, "lon": …} (place). Free text is in `text`, so that it can be searched.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    question_version = models.PositiveSmallIntegerField(_("frågeversion"), default=1)
    value = models.JSONField(_("svar"), null=True, blank=True)
    text = models.TextField(_("fritext"), blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    tags: "models.ManyToManyField[AnswerTag, Any]" = models.ManyToManyField(
        "AnswerTag", verbose_name=_("taggar"), blank=True, related_name="answers"
    )

    class Meta:
        verbose_name = _("svar på fråga")
        verbose_name_plural = _("svar på frågor")
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text}"


class AnswerTag(models.Model):
    """A tag an official puts on free-text answers to sort them (per survey)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tagg"), max_length=60)

    class Meta:
        verbose_name = _("tagg")
        verbose_name_plural = _("taggar")
        ordering = ["survey", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="answer_tag_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """The "has answered" mark of a survey with one answer per person (DOMAIN: anonymous
    answers). A keyed hash of the survey and the person (e-ID key or verified e-mail), a
    random primary key, no time and nothing shared with `Response`: the two cannot be joined.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person_hash"], name="one_answer_per_person"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


# --- sms ---


class ConversationStatus(models.TextChoices):
    WAITING = "vantar", _("Väntar på svar")
    DONE = "klar", _("Klar")
    STOPPED = "stoppad", _("Stoppad")


class SmsConversation(models.Model):
    """One number's way through an SMS survey: which question it was last sent, and the
    response its answers go into.

    The number and the link to the response are needed only while the conversation runs:
    the link is cut when the last answer is in (or the number answers STOPP), and the number
    is erased when the survey closes (`sms.conversations_erase`, from the worker's sweep).
    After that nothing joins a number to what it answered; the counts stay.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sms_conversations")
    phone = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    response = models.OneToOneField(
        Response,
        verbose_name=_("svar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_conversation",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("väntar på svar på"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ConversationStatus.choices,
        default=ConversationStatus.WAITING,
    )
    reminded = models.BooleanField(_("påmind"), default=False)
    sent_count = models.PositiveSmallIntegerField(_("skickade sms"), default=0)
    received_count = models.PositiveSmallIntegerField(_("mottagna sms"), default=0)
    last_sent_at = models.DateTimeField(_("senast skickat"), default=timezone.now)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("sms-samtal")
        verbose_name_plural = _("sms-samtal")
        ordering = ["survey", "created_at", "id"]
        constraints = [
            # A number is asked once per survey …
            models.UniqueConstraint(
                fields=["survey", "phone"], condition=~Q(phone=""), name="sms_once_per_survey"
            ),
            # … and by one survey at a time, so that a reply belongs to exactly one question.
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(status="vantar") & ~Q(phone=""),
                name="sms_one_waiting_conversation_per_phone",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_sent_at"], name="sms_waiting_since")]

    def __str__(self) -> str:
        return f"sms-samtal {self.pk}"

    def audit_repr(self) -> str:
        return f"sms-samtal {self.pk}"


class SmsInbound(models.Model):
    """The gateway's id of each SMS received, so that a webhook call the gateway repeats
    (it retries until it hears 200) is handled once. Neither the number nor the text."""

    message_id = models.CharField(max_length=100, unique=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mottaget sms")
        verbose_name_plural = _("mottagna sms")

    def __str__(self) -> str:
        return self.message_id
