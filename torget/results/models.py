"""Results of dialogues and their handling (seed 000), feedback at the end of a dialogue and with the decision proposal (004 §9).

A `ResultItem` (resultatpunkt) is one question or result that came up in a dialogue. It is
classified as one of the three kinds of seed 000 (party-political, needs preparation in a
nämnd, simple), or as a citizen proposal, and moves through a small state machine
(`PROCESS` in workflow.py). `ResultStep` is one dated entry on a nämnd item's timeline.
`FeedbackPoint` is one of the dialogue-level feedback points: the summary of results at the
end of the dialogue and the decision proposal when it goes to the deciding body.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PARTY_POLITICAL = "partipolitisk", _("Partipolitisk")
    COMMITTEE = "namnd", _("Behöver beredas i en nämnd")
    SIMPLE = "enkel", _("Enkel fråga")
    PROPOSAL = "forslag", _("Medborgarförslag")


class ItemStatus(models.TextChoices):
    NEW = "ny", _("Ny")
    HELD = "vantar-politiken", _("Väntar på politiken")
    PREPARING = "under-beredning", _("Under beredning")
    CONTACT_CENTRE = "kontaktcenter", _("Hos kontaktcenter")
    PROPOSAL = "medborgarforslag", _("Registrerad som medborgarförslag")
    HANDLED = "hanterad", _("Hanterad, återkopplad till utskottet")
    CLOSED = "stangd", _("Stängd")


class RaisedHow(models.TextChoices):
    BUDGET = "budgetuppdrag", _("Budgetuppdrag")
    MOTION = "motion", _("Motion")
    INTERPELLATION = "interpellation", _("Interpellation")
    OTHER = "annat", _("Annat sätt")


class RaisedVia(models.TextChoices):
    PARTY = "partikollegor", _("Partikollegor i nämnden")
    PRESIDIUM = "presidiet", _("Förvaltningen till nämndens presidium")


class ResultItem(models.Model):
    """Resultatpunkt: a question or result raised in a dialogue, and how it is taken care of."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("medborgardialog"),
        on_delete=models.CASCADE,
        related_name="result_items",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_items",
    )
    utskott = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("utskott"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_items",
        limit_choices_to={"kind": "utskott"},
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=4000, blank=True)
    kind = models.CharField(_("typ"), max_length=15, choices=Kind.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW
    )

    # Party-political: held until the elected official has raised it (seed 000).
    politician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("förtroendevald"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_items_to_raise",
    )
    raised_how = models.CharField(
        _("lyft politiskt som"), max_length=15, choices=RaisedHow.choices, blank=True
    )
    raised_note = models.TextField(_("anteckning om hur frågan lyftes"), blank=True)
    raised_at = models.DateTimeField(_("lyft politiskt"), null=True, blank=True)

    # Needs preparation in a nämnd.
    body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("nämnd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "namnd"},
    )
    raised_via = models.CharField(
        _("lyfts genom"), max_length=15, choices=RaisedVia.choices, blank=True
    )
    matter_reference = models.CharField(
        _("pågående ärende (diarienummer)"), max_length=60, blank=True
    )

    # Simple: a case for the contact centre; citizen proposal: the proposal's page.
    case = models.ForeignKey(
        "feedback.Case",
        verbose_name=_("ärende hos kontaktcenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_items",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("medborgarförslag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_items",
    )

    utskott_feedback = models.TextField(_("återkoppling till utskottet"), blank=True)
    utskott_feedback_at = models.DateTimeField(null=True, blank=True)
    utskott_feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resultatpunkt")
        verbose_name_plural = _("resultatpunkter")
        ordering = ["dialogue", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="stangd") | Q(closed_at__isnull=False),
                name="results_item_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind="partipolitisk") | Q(politician__isnull=False),
                name="results_item_party_political_has_politician",
            ),
            models.CheckConstraint(
                condition=~Q(status="hanterad") | ~Q(utskott_feedback=""),
                name="results_item_handled_has_feedback",
            ),
        ]
        indexes = [models.Index(fields=["utskott", "status"], name="results_item_utskott")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("results:item", kwargs={"pk": self.pk})

    @property
    def is_held(self) -> bool:
        return self.status == ItemStatus.HELD

    @property
    def is_closed(self) -> bool:
        return self.status == ItemStatus.CLOSED


class ResultStep(models.Model):
    """One dated entry on the timeline of an item being prepared in a nämnd; the utskott's
    members see it and get an e-mail about it (seed 000)."""

    item = models.ForeignKey(ResultItem, on_delete=models.CASCADE, related_name="steps")
    date = models.DateField(_("datum"))
    text = models.TextField(_("vad händer"), max_length=2000)
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("steg i tidplanen")
        verbose_name_plural = _("tidplan")
        ordering = ["item", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(
            self.due_on and self.due_on < today and self.item.status == ItemStatus.PREPARING
        )


class PointKind(models.TextChoices):
    SUMMARY = "sammanstallning", _("Sammanställning av resultat")
    DECISION_PROPOSAL = "beslutsforslag", _("Beslutsförslag")


def document_path(point: "FeedbackPoint", filename: str) -> str:
    # A random name: the uploader's file name says nothing to whoever finds the path.
    return f"results/{point.dialogue_id}/{secrets.token_hex(16)}.pdf"


class FeedbackPoint(models.Model):
    """Återkopplingspunkt (004 §9): published on the dialogue's page and sent to the registered
    participants of its meetings and its followers. Points 2 and 3; point 1 (end of each
    meeting) belongs to the meetings part."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="feedback_points"
    )
    kind = models.CharField(_("typ"), max_length=15, choices=PointKind.choices)
    text = models.TextField(_("text"), max_length=10000)
    # The summary as published: {"kind": count} and [{"title", "kind"}], so later changes to
    # items do not change what participants were sent.
    counts = models.JSONField(_("antal per typ"), default=dict, blank=True)
    items = models.JSONField(_("punkter"), default=list, blank=True)
    deciding_body = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("beslutande organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_on = models.DateField(_("beslut väntas"), null=True, blank=True)
    document = models.FileField(_("dokument (PDF)"), upload_to=document_path, blank=True)
    published_at = models.DateTimeField(_("publicerad"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.PositiveIntegerField(_("anmälda deltagare som fick utskicket"), default=0)

    class Meta:
        verbose_name = _("återkopplingspunkt")
        verbose_name_plural = _("återkopplingspunkter")
        ordering = ["dialogue", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "kind"], name="results_one_point_per_kind"),
            models.CheckConstraint(
                condition=Q(kind="sammanstallning")
                | Q(deciding_body__isnull=False, expected_on__isnull=False),
                name="results_decision_proposal_has_body_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.dialogue}"  # type: ignore[attr-defined]

    def count_rows(self) -> list[tuple[str, int]]:
        return [(str(kind.label), int(self.counts.get(kind.value, 0))) for kind in Kind]


class PointSkip(models.Model):
    """A feedback point that was not given, and why (004 §9). Point 3, the decision proposal,
    is sent before the decision; when it cannot be, the reason is recorded before the decision
    is registered, and the dialogue's checklist shows the point as missed."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="skipped_points"
    )
    kind = models.CharField(_("typ"), max_length=15, choices=PointKind.choices)
    reason = models.TextField(_("skäl"), max_length=4000)
    recorded_at = models.DateTimeField(_("registrerat"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("överhoppad återkopplingspunkt")
        verbose_name_plural = _("överhoppade återkopplingspunkter")
        ordering = ["dialogue", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "kind"], name="results_one_skip_per_kind"),
            models.CheckConstraint(condition=~Q(reason=""), name="results_skip_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.dialogue}"  # type: ignore[attr-defined]


class CorrectionKind(models.TextChoices):
    CORRECTED = "rattelse", _("Rättelse")
    RECLASSIFIED = "omklassificering", _("Omklassificering")


class Correction(models.Model):
    """Rättelse: a change to a published summary, decision proposal or result item, made
    afterwards. The earlier version is kept here (`earlier`, with `later` beside it), the
    correction is shown as one on the dialogue's page (date, what changed), and the
    participants and followers are told (004 §9). A result item moved to another kind is a
    correction of its own kind, with its reason."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="result_corrections"
    )
    point = models.ForeignKey(
        FeedbackPoint,
        verbose_name=_("återkopplingspunkt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    item = models.ForeignKey(
        ResultItem,
        verbose_name=_("resultatpunkt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTED
    )
    reason = models.TextField(_("vad som ändrades och varför"), max_length=2000)
    # The fields as they were and as they are now: {"text": "…"}.
    earlier = models.JSONField(_("tidigare version"), default=dict)
    later = models.JSONField(_("ny version"), default=dict)
    # Shown on the public page and sent: a result item only once the summary listing it is out.
    is_public = models.BooleanField(_("publik"), default=True)
    corrected_at = models.DateTimeField(_("rättad"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.PositiveIntegerField(_("anmälda deltagare som fick utskicket"), default=0)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["dialogue", "corrected_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(point__isnull=False, item__isnull=True)
                | Q(point__isnull=True, item__isnull=False),
                name="results_correction_of_point_or_item",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="results_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.point or self.item}"  # type: ignore[attr-defined]

    def subject(self) -> str:
        """What was corrected, in words."""
        if self.point_id is not None:
            return str(self.point.get_kind_display())  # type: ignore[union-attr,attr-defined]
        return str(_("Resultatpunkten ”%(title)s”") % {"title": self.later.get("title", "")})

    def changes(self, *, public: bool) -> list[dict[str, str]]:
        """Each changed field: its label, before and after, for showing. An item's description
        and the elected official named on it are for staff only."""
        shown = CORRECTION_FIELDS if not public else PUBLIC_CORRECTION_FIELDS
        rows = []
        for name, label in shown.items():
            if name not in self.earlier and name not in self.later:
                continue
            before, after = self.earlier.get(name, ""), self.later.get(name, "")
            if before == after:
                continue
            if name == "kind":
                before = str(Kind(before).label) if before else ""
                after = str(Kind(after).label) if after else ""
            if name == "status":
                before = str(ItemStatus(before).label) if before else ""
                after = str(ItemStatus(after).label) if after else ""
            rows.append({"label": str(label), "before": str(before), "after": str(after)})
        return rows


PUBLIC_CORRECTION_FIELDS = {
    "title": _("Rubrik"),
    "kind": _("Typ"),
    "text": _("Text"),
    "deciding_body": _("Beslutande organ"),
    "expected_on": _("Beslut väntas"),
}
CORRECTION_FIELDS = PUBLIC_CORRECTION_FIELDS | {
    "description": _("Beskrivning"),
    "status": _("Status"),
    "politician": _("Förtroendevald"),
}
