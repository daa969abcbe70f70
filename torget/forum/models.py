"""Webbforum: a moderated discussion inside a dialogue (DOMAIN §7, seed 001's web forum).

A forum belongs to a planned method of the dialogue and is open for that method's period.
Threads hold posts; a reply answers a top-level post (one level of nesting). Every post is
kept for the record, whatever happens to it: a moderator hides a post with a public reason
shown in its place, and an edit keeps the earlier text (PostRevision), because what citizens
submit is a public record (allmän handling).

Counters on Thread and Post (posts, agrees, last activity) are kept by the services in the
same transaction as the change, so that the thread list sorts and pages without counting.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Shared with the map; imported from here by the forum's own modules.
from torget.dialogues.online import HideReason, Identification, Moderation

# An author may change a post this long after writing it; later edits are marked "edited".
EDIT_GRACE = datetime.timedelta(minutes=15)


class PostStatus(models.TextChoices):
    PENDING = "granskas", _("Väntar på granskning")
    PUBLISHED = "publicerat", _("Publicerat")
    HIDDEN = "dolt", _("Dolt av moderator")


class BadgeKind(models.TextChoices):
    """A visible role badge: only for someone who holds the role (organisation's records)."""

    NONE = "", _("Ingen")
    ELECTED = "politiker", _("Politiker")
    OFFICIAL = "tjansteperson", _("Tjänsteperson")


class FlagReason(models.TextChoices):
    PERSONAL_ATTACK = "personangrepp", _("Personangrepp")
    OFFENSIVE = "krankande", _("Kränkande eller hotfullt")
    PERSONAL_DATA = "personuppgifter", _("Känsliga personuppgifter")
    OFF_TOPIC = "utanfor-amnet", _("Utanför ämnet")
    SPAM = "reklam", _("Reklam eller spam")
    OTHER = "annat", _("Annat")


class FlagOutcome(models.TextChoices):
    OPEN = "", _("Ej hanterad")
    HIDDEN = "dolt", _("Inlägget doldes")
    KEPT = "kvar", _("Inlägget får stå kvar")


class Forum(models.Model):
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialog"),
        on_delete=models.PROTECT,
        related_name="forums",
    )
    planned_method = models.ForeignKey(
        "dialogues.PlannedMethod",
        verbose_name=_("metod i planen"),
        on_delete=models.PROTECT,
        related_name="forums",
        help_text=_("Forumet är öppet under metodens period."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    intro = models.TextField(_("inledning"), max_length=5000, blank=True)
    citizens_may_start = models.BooleanField(
        _("invånare får starta trådar"),
        default=True,
        help_text=_("Minst en tredjedel av tiden är till för invånarnas egna frågor."),
    )
    identification = models.CharField(
        _("vem får skriva"),
        max_length=16,
        choices=Identification.choices,
        default=Identification.EMAIL,
    )
    moderation = models.CharField(
        _("moderering"), max_length=6, choices=Moderation.choices, default=Moderation.POST
    )
    participants = models.TextField(
        _("vilka från kommunen som deltar"),
        max_length=2000,
        blank=True,
        help_text=_("Till exempel politiker och tjänstepersoner som svarar, och när."),
    )
    summary = models.TextField(_("sammanfattning"), max_length=20000, blank=True)
    summary_published_at = models.DateTimeField(
        _("sammanfattningen publicerad"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        ordering = ["dialogue", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:forum", kwargs={"dialogue_pk": self.dialogue_id, "pk": self.pk})

    @property
    def starts_on(self) -> datetime.date | None:
        return self.planned_method.starts_on

    @property
    def ends_on(self) -> datetime.date | None:
        return self.planned_method.ends_on

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Open for posting during the planned method's period (PlannedMethod.is_open_on)."""
        return self.planned_method.is_open_on(today or timezone.localdate())


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("rubrik"), max_length=200)
    # Set by an official: a starting question of the dialogue.
    is_starting_question = models.BooleanField(_("startfråga"), default=False)
    # Follows the opening post's status: a thread waits, shows or is hidden with it.
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Published posts (opening post included) and agrees on them, kept by the services.
    post_count = models.PositiveIntegerField(default=0)
    agree_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(_("senaste inlägg"), default=timezone.now)
    result_item = models.ForeignKey(
        "results.ResultItem",
        verbose_name=_("resultatpunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    created_at = models.DateTimeField(_("startad"), default=timezone.now)

    class Meta:
        verbose_name = _("tråd")
        verbose_name_plural = _("trådar")
        ordering = ["-last_post_at", "-id"]
        indexes = [
            models.Index(fields=["forum", "status", "-created_at"], name="forum_thread_newest"),
            models.Index(fields=["forum", "status", "-last_post_at"], name="forum_thread_active"),
            models.Index(fields=["forum", "status", "-agree_count"], name="forum_thread_agreed"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk})

    @property
    def audit_repr(self) -> str:
        # The audit log is append-only: it names the entry, never quotes the citizen.
        return f"tråd {self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class Tag(models.Model):
    """An official's tag on posts of one forum, for the results."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("etikett"), max_length=60)

    class Meta:
        verbose_name = _("etikett")
        verbose_name_plural = _("etiketter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="forum_tag_once_per_forum")
        ]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    # A reply answers a top-level post (one level of nesting; the services check it).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("svar på"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    quote_of = models.ForeignKey(
        "self",
        verbose_name=_("citerar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quote_text = models.TextField(_("citat"), max_length=1000, blank=True)
    is_opening = models.BooleanField(_("trådens första inlägg"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skribent"), on_delete=models.PROTECT
    )
    # The name the poster chose to show (first name and area by default).
    shown_name = models.CharField(_("visat namn"), max_length=80)
    # The role badge, from the organisation's records when the post was written.
    badge_kind = models.CharField(
        _("roll"), max_length=15, choices=BadgeKind.choices, blank=True, default=""
    )
    badge = models.CharField(_("rollmärke"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    hidden_reason = models.CharField(
        _("skäl"), max_length=20, choices=HideReason.choices, blank=True
    )
    hidden_note = models.CharField(_("förklaring"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(_("dolt"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agree_count = models.PositiveIntegerField(default=0)
    # Results: tags, a picked quote, a result item (the link is kept).
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    is_picked_quote = models.BooleanField(_("utvalt citat"), default=False)
    result_item = models.ForeignKey(
        "results.ResultItem",
        verbose_name=_("resultatpunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    # A keyed hash of the poster's IP address, for the per-address limits; never the address.
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("skrivet"), default=timezone.now)
    edited_at = models.DateTimeField(_("ändrat"), null=True, blank=True)

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "status", "created_at"], name="forum_post_thread"),
            models.Index(fields=["status", "created_at"], name="forum_post_queue"),
            models.Index(fields=["author", "created_at"], name="forum_post_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dolt") | (~Q(hidden_reason="") & Q(hidden_at__isnull=False)),
                name="forum_post_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(is_opening=False),
                name="forum_post_opening_is_top_level",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="forum_post_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.shown_name}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#inlagg-{self.pk}"

    @property
    def audit_repr(self) -> str:
        # The audit log is append-only: it names the entry, never quotes the citizen.
        return f"inlägg {self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.status == PostStatus.HIDDEN

    @property
    def was_edited(self) -> bool:
        """Shown as "edited" when changed after the grace period."""
        return self.edited_at is not None and self.edited_at - self.created_at > EDIT_GRACE


class PostRevision(models.Model):
    """The text a post had before an edit: kept for the record."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"inlägg {self.post_id}, {self.replaced_at:%Y-%m-%d %H:%M}"


class Agree(models.Model):
    """ "Håller med": one per person and post (a constraint)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="agrees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_agree_once_per_person")
        ]

    def __str__(self) -> str:
        return f"användare {self.user_id} håller med inlägg {self.post_id}"


class Flag(models.Model):
    """Anyone may flag a post with a reason; moderators see flags oldest first."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="flags")
    reason = models.CharField(_("skäl"), max_length=20, choices=FlagReason.choices)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("flaggat"), default=timezone.now)
    outcome = models.CharField(
        _("utfall"), max_length=6, choices=FlagOutcome.choices, blank=True, default=""
    )
    handled_at = models.DateTimeField(_("hanterat"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("flaggning")
        verbose_name_plural = _("flaggningar")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["outcome", "created_at"], name="forum_flag_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: inlägg {self.post_id}"


class Ban(models.Model):
    """Avstängning: after repeated breaches a moderator may stop a person from posting in all
    forums until a time; the reason is told to them and kept in the audit log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_bans"
    )
    until = models.DateTimeField(_("till och med"))
    reason = models.CharField(_("skäl"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(_("hävd"), null=True, blank=True)

    class Meta:
        verbose_name = _("avstängning")
        verbose_name_plural = _("avstängningar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "until"], name="forum_ban_user")]

    def __str__(self) -> str:
        return f"användare {self.user_id} till {self.until:%Y-%m-%d %H:%M}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.until > now
