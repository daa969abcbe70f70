"""Evaluation of a dialogue (seed 001): the participants' anonymous survey and the internal evaluation.

*Deltagarenkät*: after participation has ended the dialogue's participants get a short survey
by e-mail, each with a personal one-time link. The survey's questions are a snapshot of the
administrator's template at sending time. Anonymity is built into the tables: an invitation
holds only a hash of its token (no address, no person), and a response holds only the survey,
the day it came in and its answers (no invitation, no user, no IP address), so nothing in the
database ties an answer to the person who gave it.

*Intern utvärdering*: the officials' own evaluation (goals, representativeness, what worked,
what to improve, cost); its summary is shown publicly when they choose to publish it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LIKERT_MIN, LIKERT_MAX = 1, 5
# 256 bits of randomness in every link.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Only the hash is stored: a copy of the database cannot be used to answer in anyone's
    name."""
    return hashlib.sha256(token.encode()).hexdigest()


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Påstående (instämmer 1–5)")
    TEXT = "fritext", _("Fritext")


class SurveyTemplate(models.Model):
    """Mallen för deltagarenkäten: the questions every new survey starts from."""

    name = models.CharField(_("namn"), max_length=150)
    intro = models.TextField(
        _("inledning"),
        blank=True,
        help_text=_("Visas överst i enkäten."),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("enkätmall")
        verbose_name_plural = _("enkätmallar")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class QuestionFields(models.Model):
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.CharField(_("fråga"), max_length=300)
    kind = models.CharField(_("typ"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("obligatorisk"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text

    @property
    def is_likert(self) -> bool:
        return self.kind == QuestionKind.LIKERT


class TemplateQuestion(QuestionFields):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")

    class Meta:
        verbose_name = _("fråga i mallen")
        verbose_name_plural = _("frågor i mallen")
        ordering = ["template", "order", "id"]


class Survey(models.Model):
    """The participants' survey of one dialogue; sent once (the one-to-one says so too)."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue",
        verbose_name=_("medborgardialog"),
        on_delete=models.CASCADE,
        related_name="survey",
    )
    intro = models.TextField(_("inledning"), blank=True)
    sent_at = models.DateTimeField(_("skickad"))
    closes_on = models.DateField(_("sista svarsdag"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deltagarenkät")
        verbose_name_plural = _("deltagarenkäter")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return str(self.dialogue)


class SurveyQuestion(QuestionFields):
    """A question as it was when the survey was sent (later template edits leave it alone)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")

    class Meta:
        verbose_name = _("fråga i enkäten")
        verbose_name_plural = _("frågor i enkäten")
        ordering = ["survey", "order", "id"]


class Invitation(models.Model):
    """One recipient's one-time link. No address is kept: only the token's hash, and whether it
    has been used. Not when: a time of use next to a response's date would tie the two
    together whenever a single answer came in that day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(_("använd"), default=False)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return str(_("Inbjudan %(id)s") % {"id": self.pk})


class Response(models.Model):
    """One participant's answers. Deliberately without invitation, user or IP address."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("inkommet"))

    class Meta:
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return str(_("Svar %(id)s") % {"id": self.pk})


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(_("värde"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("svar på en fråga")
        verbose_name_plural = _("svar på frågor")
        ordering = ["response", "question__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=LIKERT_MIN, value__lte=LIKERT_MAX),
                name="evaluation_answer_value_1_5",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], name="evaluation_answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else self.text[:50]


class GoalsMet(models.TextChoices):
    YES = "ja", _("Ja")
    PARTLY = "delvis", _("Delvis")
    NO = "nej", _("Nej")


class InternalEvaluation(models.Model):
    """Den interna utvärderingen: the officials' own evaluation of the dialogue."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue",
        verbose_name=_("medborgardialog"),
        on_delete=models.CASCADE,
        related_name="internal_evaluation",
    )
    goals_met = models.CharField(
        _("nåddes målen?"), max_length=10, choices=GoalsMet.choices, blank=True
    )
    goals_comment = models.TextField(_("om målen"), blank=True)
    representativeness = models.TextField(
        _("vilka deltog"),
        blank=True,
        help_text=_("Vilka deltog, jämfört med de målgrupper som planerades?"),
    )
    what_worked = models.TextField(_("det här fungerade"), blank=True)
    to_improve = models.TextField(_("det här kan bli bättre"), blank=True)
    resources = models.TextField(
        _("kostnad och resurser"),
        blank=True,
        help_text=_("Vad dialogen kostade och hur mycket tid den tog, jämfört med budgeten."),
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    publish_summary = models.BooleanField(
        _("publicera sammanfattning"),
        default=False,
        help_text=_("Sammanfattningen visas på dialogens publika sida."),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("intern utvärdering")
        verbose_name_plural = _("interna utvärderingar")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return str(self.dialogue)
