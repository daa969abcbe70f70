from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SEARCH = "sokning", _("Sökning")
    EXPORT = "export", _("Utdrag")
    ERASURE = "radering", _("Radering och avidentifiering")


class SearchedBy(models.TextChoices):
    EMAIL = "epost", _("E-postadress")
    PHONE = "telefon", _("Mobilnummer")
    PIN = "personnummer", _("Personnummer (styrkt identitet)")


class RightsRequest(models.Model):
    """Registerutdrag eller radering: one handling of a person's request about their data.

    It holds no personal data of the person: the reference number is what the audit log, the
    diary and the reply to the person mention; what was searched for is kept only as its
    kind (e-mail, phone, personnummer), never the value."""

    reference = models.CharField(_("referensnummer"), max_length=20, unique=True)
    action = models.CharField(_("åtgärd"), max_length=20, choices=Action.choices)
    searched_by = models.CharField(_("sökt på"), max_length=20, choices=SearchedBy.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handlagt av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handlagt"), default=timezone.now)
    # Rows per record kind (model label → count), and for an erasure what was done to each.
    counts = models.JSONField(_("antal"), default=dict, blank=True)

    class Meta:
        verbose_name = _("begäran om personuppgifter")
        verbose_name_plural = _("begäranden om personuppgifter")
        ordering = ["-handled_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_repr(self) -> str:
        return self.reference
