"""Medborgardialog: a dialogue process from initiative to evaluation (seeds 001, 004, 000).

    initiativ → beslutad → planering → plan godkänd → pågår → resultat sammanställs
      → beslut fattat → återkoppling given → utvärderad → avslutad
    (avslag from initiativ; inställd, with a reason, from any state between)

The status changes only through `workflow.py`, which says who may take each step, what must
be filled in first, and records it. The catalogues of methods (grouped by the participation
ladder) and target groups are data the administrator extends.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    INITIATIVE = "initiativ", _("Initiativ")
    DECLINED = "avslag", _("Ej beslutad (avslag)")
    DECIDED = "beslutad", _("Beslutad")
    PLANNING = "planering", _("Planeras")
    PLAN_APPROVED = "plan-godkand", _("Plan godkänd")
    OPEN = "pagar", _("Pågår")
    COMPILING = "sammanstalls", _("Resultat sammanställs")
    DECISION_MADE = "beslut-fattat", _("Beslut fattat")
    FEEDBACK_GIVEN = "aterkopplad", _("Återkoppling given")
    EVALUATED = "utvarderad", _("Utvärderad")
    CLOSED = "avslutad", _("Avslutad")
    CANCELLED = "installd", _("Inställd")


# Never public: an initiative not yet decided on, and one the body said no to.
NOT_PUBLIC = frozenset({Status.INITIATIVE, Status.DECLINED})
# What the public list calls planned, ongoing and finished.
PLANNED = frozenset({Status.DECIDED, Status.PLANNING, Status.PLAN_APPROVED})
ONGOING = frozenset({Status.OPEN})
FINISHED = frozenset(
    {
        Status.COMPILING,
        Status.DECISION_MADE,
        Status.FEEDBACK_GIVEN,
        Status.EVALUATED,
        Status.CLOSED,
        Status.CANCELLED,
    }
)
# The plan is shown publicly once approved.
PLAN_PUBLIC = frozenset(
    {
        Status.PLAN_APPROVED,
        Status.OPEN,
        Status.COMPILING,
        Status.DECISION_MADE,
        Status.FEEDBACK_GIVEN,
        Status.EVALUATED,
        Status.CLOSED,
    }
)


class InitiativeKind(models.TextChoices):
    """seed 004 §2: three ways a dialogue starts."""

    POLITICAL = "politiskt", _("Politiskt initiativ")
    CITIZEN = "medborgare", _("Medborgarinitiativ")
    OFFICIALS = "tjanstepersoner", _("Tjänstepersoners initiativ (verksamhetsplan)")


class DialogueKind(models.TextChoices):
    """What kind of dialogue it is. A medborgardialog is on the participation ladder and is
    decided by a presidium; a brukardialog or kunddialog is run by officials to improve a
    service, outside the political ladder, on its own simpler path (seed 001). The workflow
    picks the path by this code, never by a name."""

    CITIZEN_DIALOGUE = "medborgardialog", _("Medborgardialog")
    SERVICE_DIALOGUE = "brukardialog", _("Brukar- eller kunddialog")


class LadderStep(models.IntegerChoices):
    """Delaktighetstrappan. Steps 3–5 are what counts as medborgardialog."""

    INFORMATION = 1, _("Information")
    CONSULTATION = 2, _("Konsultation")
    DIALOGUE = 3, _("Dialog")
    INFLUENCE = 4, _("Inflytande")
    CO_DECISION = 5, _("Medbeslutande")


# "Du kan: …" on the public page, and what the step is called.
LADDER_VERBS = {
    LadderStep.INFORMATION: _("veta"),
    LadderStep.CONSULTATION: _("tycka"),
    LadderStep.DIALOGUE: _("resonera"),
    LadderStep.INFLUENCE: _("planera och genomföra"),
    LadderStep.CO_DECISION: _("bestämma"),
}
LADDER_MEANINGS = {
    LadderStep.INFORMATION: _(
        "Medborgarinformation: kommunen informerar om en fråga, ett beslut eller en verksamhet."
    ),
    LadderStep.CONSULTATION: _(
        "Medborgarkonsultation: kommunen ber invånarna väga förslag mot varandra eller värdera "
        "service."
    ),
    LadderStep.DIALOGUE: _(
        "Medborgardialog: invånarna möter andra och för dialog om en aktuell fråga; alla får "
        "föra fram sin åsikt, och man behöver inte nå konsensus."
    ),
    LadderStep.INFLUENCE: _(
        "Medborgardialog med inflytande: invånarna deltar i en utvecklingsprocess som underlag "
        "till politiska beslut."
    ),
    LadderStep.CO_DECISION: _(
        "Medborgardialog med medbeslutande: ansvar delegeras till ett organ där invånare "
        "deltar som personer."
    ),
}


def ladder_label(step: int) -> str:
    """What the step is called in the seeds (1–2 are not yet medborgardialog)."""
    if step == LadderStep.INFORMATION:
        return str(_("Medborgarinformation"))
    if step == LadderStep.CONSULTATION:
        return str(_("Medborgarkonsultation"))
    return str(_("Medborgardialog"))


class MethodDecision(models.TextChoices):
    """What must be decided before a method from the catalogue is used (seed 004 §5): data on
    the method, so that renaming it changes nothing."""

    NONE = "", _("Inget särskilt beslut")
    FOCUS_GROUP = (
        "fokusgrupp",
        _(
            "Fokusgrupp: kommunstyrelsen beslutar om stående fokusgrupper och deras regler för "
            "urval; kommundirektören beslutar om regler för urval till en fokusgrupp för en fråga"
        ),
    )
    LIGHTHOUSES = (
        "sociala-fyrtorn",
        _(
            "Sociala fyrtorn: ansvarigt presidium beslutar om att använda dem, och "
            "förvaltningschefen väljer ut medarbetarna"
        ),
    )


class FocusGroupKind(models.TextChoices):
    """seed 004 §5: who decides a focus group's rules for selection depends on its kind."""

    STANDING = "staende", _("Stående fokusgrupp (kommunstyrelsen beslutar)")
    ONE_QUESTION = "en-fraga", _("Fokusgrupp för en fråga (kommundirektören beslutar)")


class Method(models.Model):
    """A method from the catalogue (seed 004 §5), on one step of the ladder.

    The rules read the method's data, never its name, so the administrator may rename it:
    `is_information` for "information first" (DOMAIN §3) and the participant bounds for
    group sizes such as the focus group's 8–12 (seed 004 §5). `code` is what code and data
    migrations refer to."""

    code = models.SlugField(
        _("kod"),
        max_length=60,
        unique=True,
        help_text=_(
            "Stabil kod som systemet känner igen metoden på. Ändras inte efter att den sparats."
        ),
    )
    name = models.CharField(_("namn"), max_length=150, unique=True)
    ladder_step = models.PositiveSmallIntegerField(
        _("delaktighetssteg"), choices=LadderStep.choices
    )
    description = models.TextField(_("beskrivning"))
    is_meeting = models.BooleanField(
        _("är en mötesform"),
        default=False,
        help_text=_("Till exempel dialogmöte eller fokusgrupp."),
    )
    is_information = models.BooleanField(
        _("är en informationsmetod"),
        default=False,
        help_text=_(
            "En dialogplan börjar alltid med en informationsmetod, även när en högre grad av "
            "inflytande är beslutad."
        ),
    )
    min_participants = models.PositiveSmallIntegerField(
        _("minsta antal deltagare"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Ett möte med metoden måste ha ett deltagartak inom gränserna. Tomt: ingen gräns."
        ),
    )
    max_participants = models.PositiveSmallIntegerField(
        _("högsta antal deltagare"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Till exempel 12 för en fokusgrupp. Tomt: ingen gräns."),
    )
    decision = models.CharField(
        _("beslut som krävs"),
        max_length=20,
        choices=MethodDecision.choices,
        blank=True,
        default="",
        help_text=_(
            "Vem som beslutar innan metoden används i en dialog. Planen kan inte godkännas "
            "förrän beslutet är registrerat på metoden i planen."
        ),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("metod")
        verbose_name_plural = _("metodkatalog")
        ordering = ["ladder_step", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_participants__isnull=True)
                | Q(max_participants__isnull=True)
                | Q(max_participants__gte=F("min_participants")),
                name="dialogues_method_participant_bounds_in_order",
                violation_error_message=_(
                    "Högsta antal deltagare kan inte vara mindre än minsta antal."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_group_size(self) -> bool:
        return self.min_participants is not None or self.max_participants is not None


class TargetGroup(models.Model):
    """A target group from the checklist (seed 004 §3); the administrator can add more."""

    code = models.SlugField(
        _("kod"),
        max_length=60,
        unique=True,
        help_text=_(
            "Stabil kod som systemet känner igen målgruppen på. Ändras inte efter att den sparats."
        ),
    )
    name = models.CharField(_("namn"), max_length=150, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    seldom_heard = models.BooleanField(
        _("hörs sällan"),
        default=False,
        help_text=_("Grupper som påverkas mycket men sällan hörs får mest insats."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Dialogue(models.Model):
    title = models.CharField(_("rubrik"), max_length=200)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.INITIATIVE
    )
    summary = models.TextField(_("kort beskrivning"), max_length=2000)
    kind = models.CharField(
        _("typ av dialog"),
        max_length=20,
        choices=DialogueKind.choices,
        default=DialogueKind.CITIZEN_DIALOGUE,
    )

    # Initiative (004 §2).
    initiative_kind = models.CharField(
        _("initiativ"), max_length=20, choices=InitiativeKind.choices
    )
    initiating_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("initiativ från"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiated_dialogues",
        help_text=_("Presidiet i en nämnd, KS eller KF (politiskt initiativ)."),
    )
    administration = models.ForeignKey(
        "organisation.Administration",
        verbose_name=_("förvaltning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    # A citizen's request ("Föreslå en medborgardialog"): who asked, to tell them the outcome.
    requester_name = models.CharField(_("föreslagen av"), max_length=120, blank=True)
    requester_email = models.EmailField(_("förslagsställarens e-post"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("föreslagen av (konto)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_dialogues",
    )
    # 004 §2: KS presidium decides a citizen's or the officials' initiative on the
    # kommundirektör's proposal (date, and its text or the document's reference).
    director_proposal = models.TextField(
        _("kommundirektörens förslag"),
        blank=True,
        help_text=_(
            "Medborgarinitiativ och tjänstepersoners initiativ: kommundirektörens förslag till "
            "KS presidium."
        ),
    )
    director_proposal_on = models.DateField(
        _("datum för kommundirektörens förslag"), null=True, blank=True
    )
    director_proposal_reference = models.CharField(
        _("förslagets dokument"),
        max_length=120,
        blank=True,
        help_text=_("Diarienummer eller namn på dokumentet med förslaget."),
    )
    # Year planning: the förvaltning's annual plan and the shared year wheel (004 §2).
    plan_year = models.PositiveSmallIntegerField(_("verksamhetsår"), null=True, blank=True)
    plan_priority = models.PositiveSmallIntegerField(
        _("prioritet i verksamhetsplanen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("1 är högst."),
    )
    special_weight = models.BooleanField(
        _("särskild tyngd (kommundirektörens årshjul)"), default=False
    )

    # The decision (001): body, date, reference, budget, steering group; 004 §4: leaders.
    deciding_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("beslutande organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_dialogues",
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=40, blank=True)
    budget = models.DecimalField(
        _("budget (kronor)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    steering_group = models.TextField(_("styrgrupp"), blank=True)
    process_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("politisk processledare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_dialogues",
    )
    supporting_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig tjänsteperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_dialogues",
    )

    # Planning (001, 004).
    question = models.TextField(_("frågan"), blank=True)
    open_to_influence = models.TextField(_("det här går att påverka"), blank=True)
    earlier_decisions = models.TextField(_("tidigare beslut i frågan"), blank=True)
    ladder_step = models.PositiveSmallIntegerField(
        _("delaktighetssteg"), choices=LadderStep.choices, null=True, blank=True
    )
    how_to_take_part = models.TextField(_("så kan du delta"), blank=True)
    communication_plan = models.TextField(_("kommunikationsplan"), blank=True)
    documentation_plan = models.TextField(_("dokumentationsplan"), blank=True)
    feedback_plan = models.TextField(
        _("återkopplingsplan"),
        blank=True,
        help_text=_("Hur och när deltagarna får återkoppling."),
    )
    evaluation_plan = models.TextField(_("utvärderingsplan"), blank=True)
    starts_on = models.DateField(_("dialogen börjar"), null=True, blank=True)
    ends_on = models.DateField(_("dialogen slutar"), null=True, blank=True)
    decision_expected_on = models.DateField(_("beslut väntas"), null=True, blank=True)
    areas = models.ManyToManyField(
        "geo.Area", verbose_name=_("områden"), blank=True, related_name="dialogues"
    )
    topics = models.ManyToManyField(
        "organisation.Topic", verbose_name=_("ämnen"), blank=True, related_name="dialogues"
    )

    # Results, the decision in the matter, feedback, evaluation.
    results_summary = models.TextField(_("sammanställning av resultat"), blank=True)
    outcome_decision = models.TextField(_("beslut i frågan"), blank=True)
    outcome_decided_on = models.DateField(_("beslutet fattades"), null=True, blank=True)
    outcome_reference = models.CharField(_("beslutets diarienummer"), max_length=40, blank=True)
    feedback_text = models.TextField(_("återkoppling till deltagarna"), blank=True)
    evaluation = models.TextField(_("utvärdering"), blank=True)
    end_reason = models.TextField(
        _("skäl"), blank=True, help_text=_("Vid avslag eller inställd dialog.")
    )

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_dialogue", _("Planera och driva medborgardialoger")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="dialogues_dialogue_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ladder_step__isnull=True) | Q(ladder_step__gte=1, ladder_step__lte=5),
                name="dialogues_dialogue_ladder_step_1_5",
            ),
            # A brukardialog is run by officials, outside the political ladder (seed 001).
            models.CheckConstraint(
                condition=Q(kind="medborgardialog")
                | Q(initiative_kind="tjanstepersoner", ladder_step__isnull=True),
                name="dialogues_service_dialogue_by_officials_off_the_ladder",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"], name="dialogue_status_start")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The status changes only through workflow.transition(), whatever path saves (admin,
        # a form, the shell): anything else that changes it is refused here.
        if not getattr(self, "_workflow_step", False):
            if self.pk is None:
                stored = Status.INITIATIVE
            else:
                stored = (
                    type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
                    or self.status
                )
            if stored != self.status:
                raise ValidationError(
                    _("Status ändras bara genom dialogprocessens steg."), code="status_locked"
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("dialogues:detail", kwargs={"pk": self.pk})

    def staff_url(self) -> str:
        return reverse("dialogues:staff_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status not in NOT_PUBLIC

    @property
    def plan_is_public(self) -> bool:
        return self.status in PLAN_PUBLIC

    @property
    def is_service_dialogue(self) -> bool:
        return self.kind == DialogueKind.SERVICE_DIALOGUE

    @property
    def decided_by_ks(self) -> bool:
        """004 §2: KS presidium decides a citizen's initiative and the officials' initiative,
        on the kommundirektör's proposal."""
        return not self.is_service_dialogue and self.initiative_kind in (
            InitiativeKind.CITIZEN,
            InitiativeKind.OFFICIALS,
        )

    @property
    def responsible_body(self):  # type: ignore[no-untyped-def]
        """The body whose presidium decides on the initiative: the initiating
        presidium's body for a political initiative, KS for a citizen's and for the officials'
        initiative. A brukardialog has none: officials run it without a presidium decision."""
        from torget.organisation.models import Body, BodyKind

        if self.deciding_body_id:
            return self.deciding_body
        if self.is_service_dialogue:
            return None
        if self.decided_by_ks:
            return Body.objects.filter(kind=BodyKind.EXECUTIVE).first()
        if self.initiating_body_id:
            return self.initiating_body
        return None

    def ladder_verb(self) -> str:
        return str(LADDER_VERBS[LadderStep(self.ladder_step)]) if self.ladder_step else ""


class PlannedTargetGroup(models.Model):
    """A target group in the plan, from the checklist or written in, with the effort planned."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="target_groups")
    group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("målgrupp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other = models.CharField(_("annan målgrupp"), max_length=150, blank=True)
    effort = models.TextField(_("insats"), help_text=_("Hur ni når gruppen, och hur mycket."))

    class Meta:
        verbose_name = _("planerad målgrupp")
        verbose_name_plural = _("planerade målgrupper")
        ordering = ["dialogue", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(other=""))
                | (Q(group__isnull=True) & ~Q(other="")),
                name="dialogues_target_group_from_list_or_written",
            ),
            models.UniqueConstraint(
                fields=["dialogue", "group"],
                condition=Q(group__isnull=False),
                name="dialogues_target_group_once",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name if self.group_id else self.other  # type: ignore[union-attr]


class PlannedMethod(models.Model):
    """A method in the plan, in the order they are used (004 §5: information first), and,
    where the method's `decision` asks for it, who decided on its use: a focus group's rules
    for selection (KS for a standing group, the kommundirektör for one question), or the
    presidium's decision on social lighthouses and the staff the förvaltning head chose."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="methods")
    method = models.ForeignKey(
        Method, verbose_name=_("metod"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    starts_on = models.DateField(_("från"), null=True, blank=True)
    ends_on = models.DateField(_("till"), null=True, blank=True)
    note = models.TextField(_("hur metoden används här"), blank=True)
    focus_group_kind = models.CharField(
        _("typ av fokusgrupp"), max_length=10, choices=FocusGroupKind.choices, blank=True
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=40, blank=True)
    selection_rules = models.TextField(_("regler för urval"), blank=True)
    staff_chosen_by = models.CharField(
        _("medarbetarna valda av"),
        max_length=150,
        blank=True,
        help_text=_("Förvaltningschefen eller avdelningschefen som valde ut medarbetarna."),
    )
    staff_members = models.TextField(_("utvalda medarbetare"), blank=True)

    class Meta:
        verbose_name = _("planerad metod")
        verbose_name_plural = _("planerade metoder")
        ordering = ["dialogue", "order", "id"]

    def __str__(self) -> str:
        return str(self.method)

    @property
    def decision_recorded(self) -> bool:
        decision = self.method.decision
        if decision == MethodDecision.FOCUS_GROUP:
            return bool(self.focus_group_kind and self.decided_on and self.selection_rules)
        if decision == MethodDecision.LIGHTHOUSES:
            return bool(self.decided_on and self.staff_chosen_by and self.staff_members)
        return True

    def decided_by(self) -> str:
        """Who decided on the method's use, in words (seed 004 §5)."""
        if self.method.decision == MethodDecision.FOCUS_GROUP:
            if self.focus_group_kind == FocusGroupKind.STANDING:
                return str(_("Kommunstyrelsen"))
            if self.focus_group_kind == FocusGroupKind.ONE_QUESTION:
                return str(_("Kommundirektören"))
        if self.method.decision == MethodDecision.LIGHTHOUSES:
            body = self.dialogue.responsible_body
            return (
                str(_("Presidiet i %(body)s") % {"body": body.name})
                if body
                else str(_("Ansvarigt presidium"))
            )
        return ""

    def is_open_on(self, day: datetime.date) -> bool:
        """Whether `day` lies in the method's period, both days included. A method without
        both dates is not open: the period is what the dialogue page promises, and a forum or
        map must not take submissions before the plan says when."""
        if self.starts_on is None or self.ends_on is None:
            return False
        return self.starts_on <= day <= self.ends_on


class Consultation(models.Model):
    """Samråd: before KS presidium decides on a citizen's initiative, it holds a dialogue
    with the presidium concerned (004 §2). Which presidium, when, and what came of it."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="consultations")
    body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("berört presidium"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Presidiet i den nämnd som frågan berör."),
    )
    held_on = models.DateField(_("datum för samrådet"))
    outcome = models.TextField(_("utfall"), help_text=_("Vad presidierna kom fram till."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        verbose_name = _("samråd med berört presidium")
        verbose_name_plural = _("samråd med berörda presidier")
        ordering = ["dialogue", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.body}, {self.held_on:%Y-%m-%d}"


class DialogueDate(models.Model):
    """A public date in a dialogue: an information meeting, a survey's last day, a walk.
    (The meetings part adds meetings with agenda and registration; the calendar shows both.)"""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="dates")
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=250, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("datum i dialogen")
        verbose_name_plural = _("datum i dialogen")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="dialogues_date_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """One step in the dialogue's history: which transition, the date it happened (as
    entered), when it was recorded, by whom, with what text."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("steg"), max_length=30)
    status = models.CharField(_("ny status"), max_length=15, choices=Status.choices)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When it was decided or happened, as staff entered it; `occurred_at` is when it was
    # recorded. The public history shows this date.
    happened_on = models.DateField(_("datum"), default=timezone.localdate)
    occurred_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = pgettext_lazy("plural", "händelser")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.dialogue}: {self.get_status_display()}"  # type: ignore[attr-defined]
