"""Medborgarbudget: citizens propose how a set part of the budget is spent, the förvaltning
costs the ideas, citizens vote within the budget, the votes are counted by a published rule,
the politicians decide, and the funded projects are followed to completion (DOMAIN §5, SKR's
steps: criteria → ideas → processing against the criteria → vote → decision → implementation
→ follow-up).

Ballot secrecy: a ballot carries no person, no account, no verification, no channel and no
time at all, under a random key. That a person has voted, on which day and whether with the
staff's help, is a separate row (`VoteMark`) under the identity's keyed hash, as for a
proposal's support. The ballots of one person in one round are
linked only by `Ballot.chain`, a keyed hash under a key derived from the server's secret (never
stored), so that a changed ballot can supersede the earlier one; nobody reading the tables, an
export or the API can join a ballot to a person or to a mark.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    APPROVED = "godkand", _("Godkänd av presidiet")
    IDEAS = "ideer", _("Idéer tas emot")
    REVIEW = "granskning", _("Granskning och kostnadsberäkning")
    VOTING = "omrostning", _("Omröstning")
    COUNTING = "rakning", _("Rösterna räknas")
    RESULT = "resultat", _("Resultatet publicerat")
    DECIDED = "beslutad", _("Beslutad, genomförs")
    FINISHED = "avslutad", _("Avslutad")


PUBLIC_PHASES = frozenset(set(Phase) - {Phase.DRAFT})


class VotingRule(models.TextChoices):
    KNAPSACK = "budget", _("Välj projekt inom budgeten")
    FIXED = "fast-antal", _("Ett bestämt antal röster")
    APPROVAL = "godkannande", _("Rösta på upp till ett antal projekt")
    RANKING = "rangordning", _("Rangordna projekten")


class CountingMethod(models.TextChoices):
    GREEDY = "girig", _("Flest röster först (girig regel)")
    EQUAL_SHARES = "lika-andelar", _("Metoden med lika andelar (Method of Equal Shares)")


class ResidenceRule(models.TextChoices):
    NONE = "", _("Inget krav på folkbokföring")
    MUNICIPALITY = "kommunen", _("Folkbokförd i kommunen")
    AREA = "omradet", _("Bor i området (intygas av väljaren)")


class Channel(models.TextChoices):
    EID = "e-legitimation", _("E-legitimation")
    ASSISTED = "assisterad", _("Med hjälp av personal")


def _chain_salt() -> str:
    return secrets.token_hex(16)


class BudgetRound(models.Model):
    """Medborgarbudgetomgång: one round of a citizen budget, within a ladder-step-5 dialogue."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialog"),
        on_delete=models.PROTECT,
        related_name="budget_rounds",
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
    description = models.TextField(_("om omgången"), max_length=5000, blank=True)
    amount = models.PositiveBigIntegerField(_("belopp (kronor)"))
    areas = models.ManyToManyField(
        "geo.Area",
        verbose_name=_("områden"),
        blank=True,
        related_name="budget_rounds",
        help_text=_("Lämna tomt om omgången gäller hela kommunen."),
    )
    criteria = models.TextField(
        _("kriterier för idéer"),
        max_length=5000,
        help_text=_("Visas för invånarna: vad en idé måste uppfylla."),
    )
    responsible_administration = models.ForeignKey(
        "organisation.Administration",
        verbose_name=_("ansvarig förvaltning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(_("lägsta ålder för att rösta"), default=13)
    residence = models.CharField(
        _("krav på boende"),
        max_length=10,
        choices=ResidenceRule.choices,
        default=ResidenceRule.MUNICIPALITY,
        blank=True,
    )
    voting_rule = models.CharField(
        _("röstningsregel"), max_length=12, choices=VotingRule.choices, default=VotingRule.KNAPSACK
    )
    # FIXED: exactly this many votes; APPROVAL and RANKING: at most this many projects.
    votes_per_ballot = models.PositiveSmallIntegerField(
        _("antal röster per valsedel"), null=True, blank=True
    )
    counting_method = models.CharField(
        _("räknemetod"),
        max_length=12,
        choices=CountingMethod.choices,
        default=CountingMethod.GREEDY,
    )
    ideas_open_on = models.DateField(_("idéer tas emot från"))
    ideas_close_on = models.DateField(_("idéer tas emot till och med"))
    review_ends_on = models.DateField(_("granskningen klar"))
    voting_opens_on = models.DateField(_("omröstningen öppnar"))
    voting_closes_on = models.DateField(_("omröstningen stänger (sista dagen)"))
    phase = models.CharField(_("fas"), max_length=12, choices=Phase.choices, default=Phase.DRAFT)
    # The responsible presidium's approval of the set-up.
    approved_by_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("godkänt av (organ)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by_names = models.CharField(_("godkänt av (presidiet)"), max_length=300, blank=True)
    approved_on = models.DateField(_("godkänt datum"), null=True, blank=True)
    approval_reference = models.CharField(_("diarienummer"), max_length=40, blank=True)
    # The counted result as published (budget.counting.Outcome.as_dict()).
    result = models.JSONField(_("resultat"), default=dict, blank=True)
    result_published_at = models.DateTimeField(_("resultatet publicerat"), null=True, blank=True)
    # The political decision on the winners.
    decision_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("beslutande organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_reference = models.CharField(_("diarienummer för beslutet"), max_length=40, blank=True)
    decision_text = models.TextField(_("beslutet"), max_length=5000, blank=True)
    # Per round: makes the ballot chains of one person differ between rounds.
    chain_salt = models.CharField(max_length=32, default=_chain_salt, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("medborgarbudgetomgång")
        verbose_name_plural = _("medborgarbudgetomgångar")
        ordering = ["-voting_opens_on", "-pk"]
        permissions = [("vote_assisted", _("Kan registrera en röst åt en invånare"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ideas_close_on__gte=F("ideas_open_on"))
                & Q(review_ends_on__gte=F("ideas_close_on"))
                & Q(voting_opens_on__gte=F("review_ends_on"))
                & Q(voting_closes_on__gte=F("voting_opens_on")),
                name="budget_round_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_round_amount_positive"),
            # The presidium approves the set-up before citizens see anything.
            models.CheckConstraint(
                condition=Q(phase="utkast")
                | Q(approved_on__isnull=False, approved_by_body__isnull=False),
                name="budget_round_approved_before_use",
            ),
            # The politicians decide before anything is carried out.
            models.CheckConstraint(
                condition=~Q(phase__in=["beslutad", "avslutad"])
                | Q(decided_on__isnull=False, decision_body__isnull=False),
                name="budget_round_decided_before_implementation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budget:round", args=[self.pk])

    def staff_url(self) -> str:
        return reverse("budget:staff_round", args=[self.pk])

    def audit_repr(self) -> str:
        return f"medborgarbudget {self.pk} ({self.title})"

    @property
    def is_public(self) -> bool:
        return self.phase in PUBLIC_PHASES

    def takes_ideas(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.phase == Phase.IDEAS and self.ideas_open_on <= day <= self.ideas_close_on

    def takes_votes(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.phase == Phase.VOTING and self.voting_opens_on <= day <= self.voting_closes_on


class IdeaStatus(models.TextChoices):
    SUBMITTED = "inlamnad", _("Inlämnad")
    BREACHES = "uppfyller-inte", _("Uppfyller inte kriterierna")
    MERGED = "sammanslagen", _("Sammanslagen med en annan idé")
    FEASIBLE = "genomforbar", _("Genomförbar, med på röstsedeln")
    NOT_FEASIBLE = "inte-genomforbar", _("Inte genomförbar")


class Progress(models.TextChoices):
    NONE = "", _("Inte beslutad")
    PLANNED = "planerad", _("Planerad")
    STARTED = "paborjad", _("Påbörjad")
    DONE = "klar", _("Klar")


def image_path(idea: "Idea", filename: str) -> str:
    return f"budget/{idea.round_id}/{timezone.now():%Y%m}/{filename}"


class Idea(models.Model):
    """Idé: a citizen's idea for the round. A feasible, costed idea is a project on the ballot;
    a funded project is followed until it is done."""

    round = models.ForeignKey(BudgetRound, on_delete=models.PROTECT, related_name="ideas")
    # The public number within the round ("Idé 7"): also the last tie-break.
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=120)
    description = models.TextField(_("beskrivning"), max_length=4000)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    image = models.ImageField(_("bild"), upload_to=image_path, blank=True)
    image_alt = models.CharField(_("bildbeskrivning"), max_length=200, blank=True)
    estimated_cost = models.PositiveBigIntegerField(
        _("uppskattad kostnad (kronor)"), null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("förslagsställare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_ideas",
    )
    shown_name = models.CharField(_("visat namn"), max_length=80)
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    # The public reason for a criteria breach, for "not feasible", or for a refusal over budget.
    status_reason = models.TextField(_("motivering"), max_length=3000, blank=True)
    # The förvaltning's estimate: what the project costs on the ballot.
    cost = models.PositiveBigIntegerField(_("kostnad (kronor)"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sammanslagen med"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    interest_count = models.PositiveIntegerField(_("intresse"), default=0)
    # Implementation (after the political decision): funded projects only.
    funded = models.BooleanField(_("får pengar"), default=False)
    progress = models.CharField(
        _("genomförande"),
        max_length=10,
        choices=Progress.choices,
        default=Progress.NONE,
        blank=True,
    )
    money_spent = models.PositiveBigIntegerField(_("använt (kronor)"), null=True, blank=True)
    done_on = models.DateField(_("klar datum"), null=True, blank=True)
    created_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("idé")
        verbose_name_plural = _("idéer")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="budget_idea_number_unique"),
            # A project on the ballot has the förvaltning's cost.
            models.CheckConstraint(
                condition=~Q(status="genomforbar") | Q(cost__isnull=False),
                name="budget_idea_feasible_has_cost",
            ),
            models.CheckConstraint(
                condition=Q(status="sammanslagen", merged_into__isnull=False)
                | (~Q(status="sammanslagen") & Q(merged_into__isnull=True)),
                name="budget_idea_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(funded=True) | Q(progress=""),
                name="budget_idea_progress_only_when_funded",
            ),
            models.CheckConstraint(
                condition=~Q(progress="klar") | Q(done_on__isnull=False),
                name="budget_idea_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("budget:idea", args=[self.round_id, self.number])

    def audit_repr(self) -> str:
        return f"idé {self.number} i medborgarbudget {self.round_id}"

    @property
    def on_ballot(self) -> bool:
        return self.status == IdeaStatus.FEASIBLE


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shown_name = models.CharField(_("visat namn"), max_length=80)
    text = models.TextField(_("kommentar"), max_length=2000)
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("dold"), null=True, blank=True)
    hidden_reason = models.CharField(_("skäl"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["idea", "created_at", "pk"]

    def __str__(self) -> str:
        return f"kommentar {self.pk}"


class Interest(models.Model):
    """ "Jag är intresserad": once per person and idea, by the database."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_interests"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="budget_interest_once")
        ]

    def __str__(self) -> str:
        return f"intresse {self.pk}"


class Merge(models.Model):
    """Staff propose to merge `source` into `target`; it happens when each idea's author has
    consented (recorded here, by the author or by staff on the author's word)."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    reason = models.TextField(_("varför"), max_length=2000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    source_consent_at = models.DateTimeField(
        _("samtycke (idén som slås ihop)"), null=True, blank=True
    )
    source_consent_by = models.CharField(_("samtycke lämnat av"), max_length=200, blank=True)
    target_consent_at = models.DateTimeField(
        _("samtycke (idén som blir kvar)"), null=True, blank=True
    )
    target_consent_by = models.CharField(_("samtycke lämnat av"), max_length=200, blank=True)
    declined_at = models.DateTimeField(_("nej tack"), null=True, blank=True)
    done_at = models.DateTimeField(_("genomförd"), null=True, blank=True)

    class Meta:
        verbose_name = _("sammanslagning")
        verbose_name_plural = _("sammanslagningar")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="budget_merge_two_ideas"),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(done_at__isnull=True, declined_at__isnull=True),
                name="budget_merge_one_open_per_idea",
            ),
        ]

    def __str__(self) -> str:
        return f"sammanslagning {self.pk}"


class VoteMark(models.Model):
    """Röstlängdsmarkering: that a person has voted in a round, and nothing about how.

    `person_key` is identity's keyed hash of the personal identity number. `channel` is how
    the person's current ballot was given (the count of assisted votes is read here, never
    from the ballots, so that a lone assisted ballot cannot be found beside the staff's
    audited verification). No time finer than the date, and a random key, so that neither
    order nor time joins it to a ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(BudgetRound, on_delete=models.PROTECT, related_name="vote_marks")
    person_key = models.CharField(max_length=64)
    marked_on = models.DateField(default=timezone.localdate)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EID)
    # The age band the voter chose to give (geo's bands), for representativeness only: it is
    # on the has-voted mark, never on the ballot, so it says nothing of how anyone voted.
    age_band = models.CharField(_("åldersgrupp"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("markering att någon röstat")
        verbose_name_plural = _("markeringar att någon röstat")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person_key"], name="budget_one_mark_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"röstmarkering {self.pk}"


class Ballot(models.Model):
    """Valsedel: the projects chosen (ordered, for ranking), with no person, channel or time
    on it (the day of a lone voter would join the ballot to the day's verification).

    Never edited in place: a changed ballot is a new row and the earlier one is marked
    superseded. `chain` (see the module docstring) allows one current ballot per person and
    round, by the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(BudgetRound, on_delete=models.PROTECT, related_name="ballots")
    chain = models.CharField(max_length=64)
    # Idea numbers in the voter's order (for ranking, the first is the most wanted).
    choices = models.JSONField(default=list)
    total_cost = models.PositiveBigIntegerField(default=0)
    superseded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("valsedel")
        verbose_name_plural = _("valsedlar")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "chain"],
                condition=Q(superseded=False),
                name="budget_one_current_ballot_per_person",
            )
        ]
        indexes = [models.Index(fields=["round", "superseded"], name="budget_ballot_count_idx")]

    def __str__(self) -> str:
        return f"valsedel {self.pk}"


class ProgressUpdate(models.Model):
    """One public step of a funded project's implementation: what happened, with a photo."""

    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="updates")
    progress = models.CharField(_("genomförande"), max_length=10, choices=Progress.choices)
    text = models.TextField(_("vad som hänt"), max_length=3000)
    money_spent = models.PositiveBigIntegerField(
        _("använt hittills (kronor)"), null=True, blank=True
    )
    photo = models.ImageField(_("foto"), upload_to="budget/updates/%Y%m/", blank=True)
    photo_alt = models.CharField(_("bildbeskrivning"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("publicerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")
        ordering = ["idea", "created_at", "pk"]

    def __str__(self) -> str:
        return f"lägesrapport {self.pk}"
