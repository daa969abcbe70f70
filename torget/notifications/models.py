import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    SMS = "sms", _("Sms")


# A context key: the context is emptied once every delivery is sent (notify(secret=True)).
SECRET_CONTEXT = "_secret"  # noqa: S105 — a key name, not a password
# A context key: files sent with every e-mail of the notification (notify(attachments=…)).
ATTACHMENTS_CONTEXT = "_attachments"
# A context key: ids of users whose subscriptions are passed over in the fan-out
# (notify(except_users=…)): the one who wrote what the notice is about, or someone told of
# it directly.
EXCEPT_USERS_CONTEXT = "_except_users"


class Notification(models.Model):
    """Händelse: one thing to tell people, written in the same transaction as the change that
    caused it (the transactional outbox). Its deliveries are the messages to send."""

    template = models.CharField(_("mall"), max_length=100)
    context = models.JSONField(_("innehåll"), default=dict)
    # Subscription targets whose followers are told, as [[content type id, object id], …];
    # expanded into deliveries by the worker, in batches, so a commit stays fast at any size.
    audience = models.JSONField(_("målgrupp"), default=list, blank=True)
    channels = models.JSONField(_("kanaler"), default=list)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, db_index=True)
    expanded_at = models.DateTimeField(_("utskick skapade"), null=True, blank=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(expanded_at__isnull=True),
                name="notification_unexpanded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.created_at:%Y-%m-%d %H:%M})"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckat, försöker igen")
    DEAD = "dead", _("Gav upp")


class Delivery(models.Model):
    """Utskick: one message to one address on one channel, with its delivery status."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("kanal"), max_length=5, choices=Channel.choices)
    to = models.CharField(_("mottagare"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        "Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # A daily or weekly digest lists several notifications; their ids are in `digest_of`.
    digest_of = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=5, default="sv")
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    provider_id = models.CharField(_("leverantörens id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = pgettext_lazy("plural", "utskick")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "failed"]),
                name="delivery_due",
            ),
            models.Index(fields=["status", "created_at"], name="delivery_status_created"),
        ]
        constraints = [
            # Each address hears of each notification once per channel, however often the
            # fan-out is retried.
            models.UniqueConstraint(
                fields=["notification", "channel", "to"], name="delivery_once_per_address"
            ),
        ]
        permissions = [("retry_delivery", _("Kan skicka om utskick som gett upp"))]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to} ({self.get_status_display()})"  # type: ignore[attr-defined]

    @property
    def audit_repr(self) -> str:
        # The audit log is kept longer than deliveries; it must not keep the address.
        return f"utskick {self.pk}"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Direkt")
    # A digest: everything since the last one in one message, by the follower's channels.
    DAILY = "daily", _("En gång om dagen")
    WEEKLY = "weekly", _("En gång i veckan")


# The frequencies whose followers get a digest instead of each notice.
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class Subscription(models.Model):
    """Bevakning: someone follows an area, a topic, a dialogue, a proposal or a case.

    Either a user (signed in) or an e-mail address with double opt-in (no account needed).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    email = models.EmailField(_("e-postadress"), blank=True)
    phone = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    by_email = models.BooleanField(_("e-post"), default=True)
    by_sms = models.BooleanField(_("sms"), default=False)
    frequency = models.CharField(
        _("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(max_length=5, default="sv")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    # When the holder of `phone` showed they hold it: by the code sent to it, or by giving it
    # signed in. No SMS goes to an unconfirmed number (DOMAIN §6).
    phone_confirmed_at = models.DateTimeField(_("mobilnummer bekräftat"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        indexes = [
            models.Index(fields=["target_type", "target_id", "id"], name="subscription_target")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="subscription_has_recipient"
            ),
            models.CheckConstraint(
                condition=Q(by_email=True) | Q(by_sms=True), name="subscription_has_channel"
            ),
            models.CheckConstraint(
                condition=Q(by_sms=False) | ~Q(phone=""), name="subscription_sms_needs_phone"
            ),
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                condition=Q(user__isnull=False),
                name="subscription_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["email", "target_type", "target_id"],
                condition=Q(user__isnull=True),
                name="subscription_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} → {self.target}"

    @property
    def recipient_label(self) -> str:
        return self.email or (f"användare {self.user_id}" if self.user_id else "")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def audit_repr(self) -> str:
        # The audit log is kept longer than subscriptions; it must not keep their addresses.
        return f"bevakning {self.pk}"

    @property
    def is_phone_confirmed(self) -> bool:
        return bool(self.phone) and self.phone_confirmed_at is not None

    @property
    def awaits_phone_code(self) -> bool:
        """SMS is chosen, but the number has not been shown to belong to the chooser."""
        return self.by_sms and bool(self.phone) and self.phone_confirmed_at is None

    def email_address(self) -> str:
        if self.user is not None:
            return "" if not self.user.is_active else self.user.email
        return self.email


class PhoneCode(models.Model):
    """Sms-kod: a short code sent to a phone number given without signing in. Whoever types
    it back holds the phone, and only then does anything else go to the number. The code is
    kept only as a keyed hash; it expires and allows a few attempts."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="phone_codes"
    )
    phone = models.CharField(_("mobilnummer"), max_length=20)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(_("felaktiga försök"), default=0)
    created_at = models.DateTimeField(_("skickad"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("gäller till"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("sms-kod")
        verbose_name_plural = _("sms-koder")
        indexes = [models.Index(fields=["phone", "created_at"], name="phone_code_phone_created")]

    def __str__(self) -> str:
        return f"sms-kod {self.pk}"


class DigestItem(models.Model):
    """A notification waiting for a daily or weekly subscriber's digest."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="digest_items"
    )
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "notification"], name="digest_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.subscription_id}"


class SchedulerState(models.Model):
    """When each periodic job last ran; several worker processes agree through this row."""

    job = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.job


class SmsStop(models.Model):
    """Sms-stopp: a number that answered STOPP to an SMS from the municipality. From then
    on no SMS of any kind goes to it (DOMAIN §6), whichever app sends. Kept as a keyed hash
    of the number (selectors.phone_hash), so the list does not itself keep numbers."""

    phone_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("stoppat"), default=timezone.now)

    class Meta:
        verbose_name = _("sms-stopp")
        verbose_name_plural = _("sms-stopp")

    def __str__(self) -> str:
        return f"sms-stopp {self.pk}"

    @property
    def audit_repr(self) -> str:
        return f"sms-stopp {self.pk}"
