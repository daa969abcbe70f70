from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")


def normalize_email(email: str) -> str:
    """One spelling per address: the whole address lower-cased and trimmed. Local parts are
    case-sensitive in theory, never in practice, and two accounts for Anna@ and anna@ would
    break "one person, one account"."""
    return email.strip().lower()


class Language(models.TextChoices):
    SWEDISH = "sv", _("Svenska")
    ENGLISH = "en", _("Engelska")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: citizen or staff. Log-in is by e-mail address.

    Accounts are never deleted: closing one removes the personal data and keeps the row, because
    what the person submitted is a public record (allmän handling) that refers to it.
    """

    email = models.EmailField(_("e-postadress"), max_length=254, unique=True)
    full_name = models.CharField(_("namn"), max_length=150, blank=True)
    display_name = models.CharField(
        _("visningsnamn"),
        max_length=80,
        blank=True,
        help_text=_("Visas offentligt vid det du skriver på webbplatsen, till exempel förslag."),
    )
    phone = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    language = models.CharField(
        _("språk"), max_length=5, choices=Language.choices, default=Language.SWEDISH
    )
    email_verified_at = models.DateTimeField(_("e-post bekräftad"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("personal"),
        default=False,
        help_text=_("Kan logga in i personalens del av Torget."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)  # type: ignore[misc]
    date_joined = models.DateTimeField(_("registrerad"), default=timezone.now)
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    @property
    def audit_repr(self) -> str:
        return f"användare {self.pk}"

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def public_name(self) -> str:
        """The name shown next to what the person publishes; never the e-mail address."""
        if self.is_closed:
            return str(_("Avslutat konto"))
        return self.display_name or self.full_name or str(_("Medborgare"))

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.display_name or self.full_name
