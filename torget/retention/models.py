"""Gallringsplan: the municipality's period for each record kind, and the log of every run.

The kinds themselves (what is removed, from when, by which function) are declared in code by
the apps that hold the records (torget.core.retention); a `RetentionRule` row holds what the
municipality decided for one kind. A kind without a row follows its declared default."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("dagar")
    MONTHS = "months", _("månader")


class RetentionRule(models.Model):
    """The municipality's decision for one record kind (beslut om gallring)."""

    kind = models.CharField(_("handlingstyp"), max_length=60, unique=True)
    amount = models.PositiveIntegerField(_("gallringsfrist"))
    unit = models.CharField(_("enhet"), max_length=6, choices=PeriodUnit.choices)
    is_active = models.BooleanField(
        _("gallras"),
        default=True,
        help_text=_("Av: ingenting av den här typen gallras förrän någon slår på det igen."),
    )
    decision_reference = models.CharField(
        _("beslut om gallring"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel nämndens beslut med diarienummer och datum."),
    )
    note = models.TextField(_("kommentar"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("regel i gallringsplanen")
        verbose_name_plural = _("gallringsplan")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class RunTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Nattlig körning")
    MANUAL = "manual", _("Manuell körning")


class RetentionRun(models.Model):
    """One run of the plan: when, what each kind changed (or would change), what failed."""

    started_at = models.DateTimeField(_("startad"), db_index=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    trigger = models.CharField(_("start"), max_length=10, choices=RunTrigger.choices)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    # {kind key: {"cutoff": iso date, "counts": {table or field: n}}}
    results = models.JSONField(_("resultat"), default=dict, blank=True)
    # {kind key: message}
    errors = models.JSONField(_("fel"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("antal ändrade poster"), default=0)

    class Meta:
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
                name="retention_run_finishes_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
