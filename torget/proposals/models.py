"""Medborgarförslag (e-förslag): a citizen's proposal, its supports and its public timeline.

seed 002: published so citizens can support it digitally; at least 50 supporters registered
in the municipality (configurable) before KF handles it; then KF assigns a nämnd, the nämnd
prepares, KF decides. seed 004 §8: proposals raised at dialogue meetings get their own page,
the responsible politician lifts them to a nämnd, and the decision is published there.
The status changes only through `workflow.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    SUBMITTED = "granskas", _("Granskas")
    REJECTED = "avvisat", _("Avvisat")
    MOVED = "flyttat", _("Flyttat till synpunkter")
    SIGNING = "insamling", _("Samlar stöd")
    UNSUPPORTED = "ej-nog-stod", _("Fick inte tillräckligt stöd")
    TO_COUNCIL = "till-kf", _("Till kommunfullmäktige")
    REGISTERED = "registrerat", _("Registrerat från dialogmöte")
    PREPARING = "bereds", _("Bereds i nämnd")
    DECIDED = "beslutat", _("Beslutat")


# What the public may see: never a proposal under review, rejected or moved.
PUBLIC_STATUSES = frozenset(
    {
        Status.SIGNING,
        Status.UNSUPPORTED,
        Status.TO_COUNCIL,
        Status.REGISTERED,
        Status.PREPARING,
        Status.DECIDED,
    }
)

# The public list's rows (in a fixed order, so that the SQL is the same in every process):
# the condition of its partial indexes, and exactly the filter of selectors.VISIBLE.
VISIBLE_CONDITION = Q(status__in=sorted(PUBLIC_STATUSES), hidden_at__isnull=True)

SIGNING_STATUSES = frozenset({Status.SIGNING, Status.TO_COUNCIL})


class Origin(models.TextChoices):
    WEB = "webb", _("Webbplatsen")
    ASSISTED = "assisterat", _("Registrerat av kommunen (papper eller servicedisk)")
    MEETING = "dialogmote", _("Dialogmöte")


class Outcome(models.TextChoices):
    APPROVED = "bifall", _("Bifallet")
    REJECTED = "avslag", _("Avslaget")
    ANSWERED = "besvarat", _("Besvarat")


class RejectionReason(models.TextChoices):
    """What a municipality can decide on decides what it can take as a proposal."""

    COMPETENCE = "kompetens", _("Utanför kommunens befogenheter")
    INDIVIDUAL = "enskild", _("Gäller beslut om en enskild person")
    COMPANY = "bolag", _("Gäller ett kommunalt bolag")
    OFFENSIVE = "krankande", _("Olagligt, diskriminerande eller kränkande innehåll")
    PERSONAL_DATA = "personuppgifter", _("Innehåller personuppgifter om andra")
    REPEAT = "upprepning", _("Samma fråga har nyligen beslutats")
    OTHER = "annat", _("Annat skäl")


class Proposal(models.Model):
    title = models.CharField(_("rubrik"), max_length=140)
    body = models.TextField(_("förslag"), max_length=6000)
    topic = models.ForeignKey(
        "organisation.Topic",
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    image = models.ImageField(_("bild"), upload_to="proposals/%Y/", blank=True)
    image_alt = models.CharField(_("beskrivning av bilden"), max_length=200, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("förslagsställare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # The name shown publicly; kept when the account closes (submissions are public records).
    author_name = models.CharField(_("namn som visas"), max_length=100)
    organisation_name = models.CharField(_("för organisationen"), max_length=150, blank=True)
    origin = models.CharField(_("kanal"), max_length=12, choices=Origin.choices, default=Origin.WEB)
    # Meeting proposals: where they were raised. `meeting` when it was a meeting in Torget;
    # `source` says it in words (filled from the meeting when nothing else is given).
    source = models.CharField(_("dialogmöte"), max_length=200, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    responsible_politician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig politiker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for_proposals",
    )
    # Assisted channel without an account: where the author wants to hear about it (private).
    contact_email = models.EmailField(_("förslagsställarens e-post"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    created_at = models.DateTimeField(_("inskickat"), default=timezone.now)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    signing_ends_on = models.DateField(_("insamlingen slutar"), null=True, blank=True)
    signing_days = models.PositiveIntegerField(_("insamlingstid (dagar)"), null=True, blank=True)
    # The threshold in force when the proposal was published: rules don't change mid-way.
    threshold = models.PositiveIntegerField(_("stöd som krävs"), null=True, blank=True)
    threshold_reached_at = models.DateTimeField(_("nådde gränsen"), null=True, blank=True)
    diary_number = models.CharField(_("diarienummer"), max_length=30, blank=True)
    # Shown in lists and sorting; refreshed in one periodic step, never +1 per support.
    support_count = models.PositiveIntegerField(_("antal stöd"), default=0)

    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.CharField(
        _("skäl"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_text = models.TextField(_("motivering"), blank=True)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("tidigare beslut i samma fråga"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("dolt"), null=True, blank=True)
    hidden_reason = models.CharField(_("skäl att dölja"), max_length=300, blank=True)

    preparing_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("beredande nämnd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    preparation_due = models.DateField(_("beredning klar senast"), null=True, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    outcome = models.CharField(_("beslut"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("svar"), blank=True)
    decision_document = models.FileField(
        _("beslutsdokument"), upload_to="proposals/decisions/%Y/", blank=True
    )

    class Meta:
        verbose_name = _("medborgarförslag")
        verbose_name_plural = pgettext_lazy("plural", "medborgarförslag")
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("moderate_proposal", _("Granska och publicera medborgarförslag")),
            ("register_proposal_step", _("Registrera beslut och beredning av förslag")),
            ("register_on_behalf", _("Registrera förslag och stöd åt medborgare")),
            ("view_supporters", _("Se vilka som stödjer ett förslag")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="proposal_status_published"),
            models.Index(fields=["status", "-support_count"], name="proposal_status_supports"),
            models.Index(fields=["status", "signing_ends_on"], name="proposal_status_ends"),
            # The public list (selectors.VISIBLE) newest first and most supported first, and
            # newest first in one category or one area: each page is a short walk of one index.
            models.Index(
                fields=["-published_at", "-id"],
                condition=VISIBLE_CONDITION,
                name="proposal_public_newest",
            ),
            models.Index(
                fields=["-support_count", "-published_at", "-id"],
                condition=VISIBLE_CONDITION,
                name="proposal_public_supports",
            ),
            models.Index(
                fields=["topic", "-published_at", "-id"],
                condition=VISIBLE_CONDITION,
                name="proposal_public_topic",
            ),
            models.Index(
                fields=["area", "-published_at", "-id"],
                condition=VISIBLE_CONDITION,
                name="proposal_public_area",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.SIGNING)
                | Q(signing_ends_on__isnull=False, threshold__isnull=False),
                name="proposal_signing_has_period_and_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECIDED) | ~Q(outcome=""),
                name="proposal_decided_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    # The image and the decision are served by views that check who may see them
    # (file_views.py), never from /media/: not before the proposal is published, not once
    # it is hidden.
    def image_url(self) -> str:
        return reverse("proposals:image", args=[self.pk]) if self.image else ""

    def decision_document_url(self) -> str:
        if not self.decision_document:
            return ""
        return reverse("proposals:decision_document", args=[self.pk])

    def audit_repr(self) -> str:
        return f"förslag {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.hidden_at is None

    @property
    def is_signing_open(self) -> bool:
        # Support may still be given after the threshold is reached, until the period ends
        # or a nämnd takes the proposal (as on most e-petition sites).
        return (
            self.status in SIGNING_STATUSES
            and self.hidden_at is None
            and self.signing_ends_on is not None
            and timezone.localdate() <= self.signing_ends_on
        )

    @property
    def days_left(self) -> int | None:
        if self.status != Status.SIGNING or self.signing_ends_on is None:
            return None
        return max((self.signing_ends_on - timezone.localdate()).days, 0)

    @property
    def preparation_overdue(self) -> bool:
        return (
            self.status == Status.PREPARING
            and self.preparation_due is not None
            and self.preparation_due < timezone.localdate()
        )


class Channel(models.TextChoices):
    EID = "e-legitimation", _("E-legitimation")
    ASSISTED = "assisterat", _("Registrerat av kommunen")


# A support that counts: not withdrawn, and not a second support by a person already
# counted (flagged when spellings of one personnummer were found to be one person).
# DOMAIN §2: a support counts once per person.
ACTIVE_SUPPORT = Q(withdrawn_at__isnull=True, duplicate_of__isnull=True)


class Support(models.Model):
    """One person's support. One active support per person and proposal, by the database."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal_supports",
    )
    verification = models.ForeignKey(
        "identity.Verification", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EID)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set when this support turned out to be a second one by the same person (one
    # personnummer written in two digit scripts, issue 15): kept for staff to review, never
    # counted. RESTRICT: the support it duplicates goes only together with it (a proposal's).
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("dubblett av"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="duplicates",
    )

    class Meta:
        verbose_name = _("stöd")
        verbose_name_plural = _("stöd för förslag")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person_key"],
                condition=ACTIVE_SUPPORT,
                name="proposal_one_support_per_person",
            )
        ]
        indexes = [
            models.Index(
                fields=["proposal", "created_at"],
                condition=ACTIVE_SUPPORT,
                name="support_active_by_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.pk}"

    def audit_repr(self) -> str:
        return f"stöd {self.pk} för förslag {self.proposal_id}"


class EventKind(models.TextChoices):
    SUBMITTED = "inskickat", _("Förslaget skickades in")
    REGISTERED = "registrerat", _("Förslaget registrerades")
    PUBLISHED = "publicerat", _("Förslaget publicerades och insamlingen av stöd började")
    REJECTED = "avvisat", _("Förslaget avvisades")
    MOVED = "flyttat", _("Förslaget flyttades till synpunkter och felanmälan")
    HIDDEN = "dolt", _("Förslaget doldes")
    SHOWN = "visat", _("Förslaget visas igen")
    THRESHOLD = "gransen-nadd", _("Förslaget fick tillräckligt stöd och går till kommunfullmäktige")
    UNSUPPORTED = "ej-nog-stod", _("Insamlingen slutade utan tillräckligt stöd")
    ASSIGNED = "till-namnd", _("Kommunfullmäktige lämnade förslaget till en nämnd för beredning")
    LIFTED = "lyft", _("Ansvarig politiker lyfte förslaget till en nämnd")
    DECIDED = "beslut", _("Beslut")


class Event(models.Model):
    """One step of the public timeline, with its date and reference."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    # The date of the step itself (a KF meeting), which may be earlier than its recording.
    occurred_on = models.DateField(_("datum"))
    reference = models.CharField(_("referens"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)
    body = models.ForeignKey(
        "organisation.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(_("dokument"), upload_to="proposals/events/%Y/", blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["occurred_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"

    def document_url(self) -> str:
        if not self.document:
            return ""
        return reverse("proposals:event_document", args=[self.proposal_id, self.pk])
