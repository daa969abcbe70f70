"""Moderation of the forums (DOMAIN §7, seed 004 §6): flags, hiding with a public reason,
letting pre-moderated posts through, closing flags that need nothing, and time-limited
posting bans; and the reads the moderators' pages need (fetching-and-authorising, the queue).

Nothing a citizen writes is ever deleted: a hidden post keeps its text for the record
(allmän handling) and only its public place shows the reason. Every step a moderator takes
is in the audit log, on the post (or the ban), so the post's trail tells its whole story.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Min, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from torget.accounts.models import User
from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.dialogues.permissions import can_work_with
from torget.forum import counters, notify
from torget.forum.models import (
    Ban,
    Flag,
    FlagOutcome,
    FlagReason,
    Forum,
    HideReason,
    Post,
    PostStatus,
    Thread,
)
from torget.forum.permissions import can_moderate, can_read_staff, can_view_public
from torget.notifications.services import notify as send_notice

# --- Who moderates what ------------------------------------------------------------------------


def forums_moderated_by(user: Actor) -> QuerySet[Forum]:
    """The forums `user` may moderate: all for those who run dialogues and administrators;
    for a presidium or a process leader those of their dialogues (each dialogue checked
    once: there are few forums)."""
    forums = Forum.objects.select_related("dialogue")
    if not getattr(user, "is_authenticated", False):
        return forums.none()
    if can_work_with(user, None):
        return forums
    allowed: dict[int, bool] = {}
    for forum in forums:
        if forum.dialogue_id not in allowed:
            allowed[forum.dialogue_id] = can_moderate(user, forum)
    return forums.filter(dialogue_id__in=[pk for pk, ok in allowed.items() if ok])


def moderates_any(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        can_work_with(user, None) or forums_moderated_by(user).exists()
    )


# --- Fetching and authorising ------------------------------------------------------------------


def _forums() -> QuerySet[Forum]:
    return Forum.objects.select_related("dialogue", "planned_method__method")


def access_forum_for_reading(user: Actor, pk: int) -> Forum:
    forum = get_object_or_404(_forums(), pk=pk)
    if not can_read_staff(user, forum):
        raise PermissionDenied
    return forum


def access_forum_for_work(user: Actor, pk: int) -> Forum:
    forum = get_object_or_404(_forums(), pk=pk)
    if not can_moderate(user, forum):
        raise PermissionDenied
    return forum


def access_thread_for_reading(user: Actor, pk: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related(
            "forum__dialogue", "forum__planned_method__method", "result_item"
        ),
        pk=pk,
    )
    if not can_read_staff(user, thread.forum):
        raise PermissionDenied
    return thread


def access_post_for_moderation(user: Actor, pk: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("thread__forum__dialogue", "author", "result_item"), pk=pk
    )
    if not can_moderate(user, post.thread.forum):
        raise PermissionDenied
    return post


def access_post_to_flag(pk: int) -> Post:
    """A post as the public may flag it: published or hidden (its place shows the reason) in
    a public forum; a post waiting for moderation does not exist for the public."""
    post = get_object_or_404(
        Post.objects.select_related("thread__forum__dialogue"),
        pk=pk,
        status__in=[PostStatus.PUBLISHED, PostStatus.HIDDEN],
    )
    if post.thread.status == PostStatus.PENDING or not can_view_public(post.thread.forum):
        raise Http404
    return post


# --- The moderators' queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    flagged_posts: int
    open_flags: int


def queue(user: Actor, forum: Forum | None = None) -> QuerySet[Post]:
    """Posts that wait for a moderator in the forums `user` moderates (or in one of them):
    held by pre-moderation, or flagged with a flag nobody has handled; the one that has
    waited longest first (a pending post since it was written, a flagged one since its
    first open flag)."""
    forums = forums_moderated_by(user)
    if forum is not None:
        forums = forums.filter(pk=forum.pk)
    open_flag = Q(flags__outcome=FlagOutcome.OPEN)
    return (
        Post.objects.filter(thread__forum__in=forums)
        .annotate(
            open_flag_count=Count("flags", filter=open_flag),
            first_flag_at=Min("flags__created_at", filter=open_flag),
        )
        .filter(Q(status=PostStatus.PENDING) | Q(open_flag_count__gt=0))
        .annotate(
            waiting_since=Case(
                When(status=PostStatus.PENDING, then=F("created_at")),
                default=F("first_flag_at"),
            )
        )
        .select_related("thread__forum__dialogue")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(outcome=FlagOutcome.OPEN).order_by("created_at"),
                to_attr="open_flags",
            )
        )
        .order_by("waiting_since", "pk")
    )


def queue_counts(user: Actor, forum: Forum | None = None) -> QueueCounts:
    forums = forums_moderated_by(user)
    if forum is not None:
        forums = forums.filter(pk=forum.pk)
    posts = Post.objects.filter(thread__forum__in=forums)
    figures = posts.aggregate(
        pending=Count("pk", filter=Q(status=PostStatus.PENDING), distinct=True),
        flagged=Count("pk", filter=Q(flags__outcome=FlagOutcome.OPEN), distinct=True),
        flags=Count("flags", filter=Q(flags__outcome=FlagOutcome.OPEN), distinct=True),
    )
    return QueueCounts(figures["pending"], figures["flagged"], figures["flags"])


def active_bans() -> QuerySet[Ban]:
    now = timezone.now()
    return (
        Ban.objects.filter(lifted_at__isnull=True, until__gt=now)
        .select_related("user", "created_by")
        .order_by("until", "pk")
    )


def active_ban_of(user: Actor) -> Ban | None:
    if not isinstance(user, User):
        return None
    return active_bans().filter(user=user).first()


# --- Services ----------------------------------------------------------------------------------


def _require_moderator(actor: Actor, forum: Forum) -> None:
    if not can_moderate(actor, forum):
        raise PermissionDenied(_("Bara de som modererar forumet kan göra det."))


def _locked(post: Post) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    locked.thread = post.thread
    return locked


@transaction.atomic
def flag_add(*, post: Post, user: Actor, reason: str, note: str = "") -> Flag:
    """Anyone signed in may flag a published post with a reason; one open flag per person
    and post is enough (a second one is refused with a clear message)."""
    if not isinstance(user, User):
        raise PermissionDenied(_("Logga in för att flagga ett inlägg."))
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Välj varför inlägget bryter mot reglerna.")})
    # Lock the post, so that two quick clicks make one flag, and read its status as it is now.
    post = _locked(post)
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("Inlägget kan inte flaggas."), code="not_published")
    if post.author_id == user.pk:
        raise ValidationError(_("Du kan inte flagga ditt eget inlägg."), code="own")
    if Flag.objects.filter(post=post, flagged_by=user, outcome=FlagOutcome.OPEN).exists():
        raise ValidationError(
            _("Du har redan flaggat inlägget. En moderator tittar på det."), code="already"
        )
    flag = Flag(post=post, reason=reason, note=(note or "").strip(), flagged_by=user)
    flag.full_clean()
    flag.save()
    audit.record(actor=user, action="forum.flagged", obj=post, changes={"reason": reason})
    return flag


def _close_flags(post: Post, actor: User, outcome: str) -> int:
    return Flag.objects.filter(post=post, outcome=FlagOutcome.OPEN).update(
        outcome=outcome, handled_at=timezone.now(), handled_by=actor
    )


@transaction.atomic
def post_hide(*, post: Post, actor: Actor, reason: str, note: str = "") -> Post:
    """Hide a post with a public reason shown in its place ("Dolt av moderator:
    personangrepp"). The text is kept; the author is told why; its open flags are closed;
    an opening post hides its thread with it."""
    _require_moderator(actor, post.thread.forum)
    assert isinstance(actor, User)  # noqa: S101 (a moderator is signed in)
    post = _locked(post)
    if post.status == PostStatus.HIDDEN:
        raise ValidationError(_("Inlägget är redan dolt."), code="hidden")
    if reason not in HideReason.values:
        raise ValidationError({"reason": _("Välj vilken regel inlägget bryter mot.")})
    was = post.status
    post.status = PostStatus.HIDDEN
    post.hidden_reason = reason
    post.hidden_note = (note or "").strip()
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.full_clean()
    post.save(update_fields=["status", "hidden_reason", "hidden_note", "hidden_at", "hidden_by"])
    closed = _close_flags(post, actor, FlagOutcome.HIDDEN)
    counters.thread_sync(post.thread)
    audit.record(
        actor=actor,
        action="forum.post_hidden",
        obj=post,
        changes={
            "status": [was, post.status],
            "reason": reason,
            "note": post.hidden_note,
            "flags_closed": closed,
        },
    )
    notify.post_hidden(post)
    return post


@transaction.atomic
def post_approve(*, post: Post, actor: Actor) -> Post:
    """Pre-moderation: let a waiting post through; it is published as if just written
    (followers hear of it now)."""
    _require_moderator(actor, post.thread.forum)
    post = _locked(post)
    if post.status != PostStatus.PENDING:
        raise ValidationError(_("Inlägget väntar inte på granskning."), code="not_pending")
    post.status = PostStatus.PUBLISHED
    post.save(update_fields=["status"])
    counters.thread_sync(post.thread)
    audit.record(
        actor=actor,
        action="forum.post_approved",
        obj=post,
        changes={"status": [PostStatus.PENDING, PostStatus.PUBLISHED]},
    )
    notify.post_published(post)
    return post


@transaction.atomic
def flag_keep(*, post: Post, actor: Actor) -> int:
    """The post may stay: its open flags are closed as handled. Returns how many."""
    _require_moderator(actor, post.thread.forum)
    assert isinstance(actor, User)  # noqa: S101
    post = _locked(post)
    closed = _close_flags(post, actor, FlagOutcome.KEPT)
    if not closed:
        raise ValidationError(_("Inlägget har inga flaggningar att hantera."), code="no_flags")
    audit.record(actor=actor, action="forum.flags_kept", obj=post, changes={"flags_closed": closed})
    return closed


def _ban_limit() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.FORUM_BAN_MAX_DAYS)


def ban_end(until: datetime.date) -> datetime.datetime:
    """A ban "till och med" a date ends as that day ends, in the municipality's time."""
    return timezone.make_aware(datetime.datetime.combine(until, datetime.time(23, 59, 59)))


@transaction.atomic
def ban_add(*, post: Post, actor: Actor, until: datetime.datetime, reason: str) -> Ban:
    """After repeated breaches: stop the author of `post` from posting in every forum until a
    time (at most FORUM_BAN_MAX_DAYS ahead). The reason is told to them and kept in the
    audit log, on the ban and on the post that led to it."""
    _require_moderator(actor, post.thread.forum)
    assert isinstance(actor, User)  # noqa: S101 (a moderator is signed in)
    person = post.author
    errors: dict[str, Any] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Skriv skälet till avstängningen. Det skickas till skribenten.")
    now = timezone.now()
    if until is None or until <= now:
        errors["until"] = _("Avstängningen måste gälla till ett datum framåt i tiden.")
    elif timezone.localtime(until).date() > _ban_limit():
        errors["until"] = _("En avstängning får gälla högst %(days)s dagar.") % {
            "days": settings.FORUM_BAN_MAX_DAYS
        }
    if person.pk == actor.pk:
        errors["__all__"] = _("Du kan inte stänga av dig själv.")
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=person.pk).first()
    current = active_ban_of(person)
    if current is not None:
        raise ValidationError(
            _("Skribenten är redan avstängd till %(until)s.")
            % {"until": formats.date_format(timezone.localtime(current.until), "j F Y")},
            code="already",
        )
    ban = Ban(user=person, until=until, reason=reason, created_by=actor)
    ban.full_clean()
    ban.save()
    changes = {"user": person.pk, "until": until.isoformat(), "reason": reason, "post": post.pk}
    audit.record(actor=actor, action="forum.ban_added", obj=ban, changes=changes)
    audit.record(actor=actor, action="forum.author_banned", obj=post, changes=changes)
    send_notice(
        template="forum.banned",
        context={
            "until": formats.date_format(timezone.localtime(until), "j F Y"),
            "reason": reason,
            "url": reverse("forum:rules"),
        },
        users=[person],
    )
    return ban


@transaction.atomic
def ban_lift(*, ban: Ban, actor: Actor) -> Ban:
    """End a ban before its time (a mistake, or the person has been heard)."""
    if not moderates_any(actor):
        raise PermissionDenied(_("Bara moderatorer kan häva en avstängning."))
    ban = Ban.objects.select_for_update().get(pk=ban.pk)
    if not ban.is_active():
        raise ValidationError(_("Avstängningen gäller inte längre."), code="inactive")
    ban.lifted_at = timezone.now()
    ban.save(update_fields=["lifted_at"])
    audit.record(
        actor=actor,
        action="forum.ban_lifted",
        obj=ban,
        changes={"user": ban.user_id, "until": ban.until.isoformat()},
    )
    return ban
