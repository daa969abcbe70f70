from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Residence(models.TextChoices):
    YES = "ja", _("Folkbokförd i kommunen")
    NO = "nej", _("Inte folkbokförd i kommunen")
    UNKNOWN = "okant", _("Okänt")


class Verification(models.Model):
    """One identity check: "this user is person P, resident yes/no/unknown".

    Made by an e-ID method (a fresh step each time something counts: BankID's terms forbid
    turning an e-ID log-in into a password account) or by staff who saw an ID document.
    `person_key` is the keyed hash of the personal identity number, never the number.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications",
    )
    person_key = models.CharField(_("person (nyckel)"), max_length=64, db_index=True)
    method = models.CharField(_("metod"), max_length=40)
    residence = models.CharField(
        _("folkbokföring"), max_length=5, choices=Residence.choices, default=Residence.UNKNOWN
    )
    # Kept for age rules (minimum age to support); the year, month and day only.
    birth_date = models.DateField(_("födelsedatum"))
    verified_at = models.DateTimeField(_("kontrollerad"), auto_now_add=True)
    # Assisted channel: the member of staff who checked an ID document, and how.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.CharField(_("hur identiteten kontrollerades"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("identitetskontroll")
        verbose_name_plural = _("identitetskontroller")
        ordering = ["-verified_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.verified_at:%Y-%m-%d %H:%M}"

    def audit_repr(self) -> str:
        return f"identitetskontroll {self.pk}"

    @property
    def is_resident(self) -> bool:
        return self.residence == Residence.YES


class ResidentImport(models.Model):
    """One upload of the residents' register (folkbokförda): replaces the previous one."""

    imported_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inläst av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A fingerprint of the uploaded file (not the file: it held personal identity numbers).
    file_sha256 = models.CharField(_("filens kontrollsumma"), max_length=64)
    row_count = models.PositiveIntegerField(_("antal personer"))
    is_current = models.BooleanField(_("gällande"), default=True)

    class Meta:
        verbose_name = _("inläsning av folkbokförda")
        verbose_name_plural = _("inläsningar av folkbokförda")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="identity_one_current_resident_import",
            )
        ]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d} ({self.row_count})"


class Resident(models.Model):
    """A person registered in the municipality, known only by the keyed hash."""

    person_key = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(ResidentImport, on_delete=models.CASCADE, related_name="residents")

    class Meta:
        verbose_name = _("folkbokförd")
        verbose_name_plural = _("folkbokförda")

    def __str__(self) -> str:
        return f"folkbokförd {self.pk}"
