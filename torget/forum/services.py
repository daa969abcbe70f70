"""Posting in the forum: starting a thread, replying, editing, agreeing.

Who may post is one guarded function, `forum.posting.posting_refusal`, that names the rule
that refuses (DOMAIN §7, issue 20): a signed-in account with a verified e-mail address at least; a fresh
e-ID step in this browser when the forum asks for e-legitimation (the view passes
`verified`); only while the forum's planned method is running; never during a posting ban;
a new thread only where citizens may start threads, or by those who manage the forum (a
starting question).

With pre-moderation citizens' posts wait (PENDING) until a moderator lets them through;
those who manage the forum publish at once. A thread follows its opening post
(counters.thread_sync). A post that becomes visible is told to the notifications
(`notify.post_published`) in the same transaction.

Editing: the author may change a post at any time while the forum is open. An edit within
EDIT_GRACE (15 minutes) is silent; a later one shows "ändrat" (Post.was_edited). Each edit
keeps the earlier text (PostRevision) for the record. In a pre-moderated forum a citizen's
edit goes back to the moderators.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.audit import services as audit
from torget.forum import notify
from torget.forum.counters import post_recount, thread_sync
from torget.forum.models import (
    Agree,
    Forum,
    Moderation,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from torget.forum.permissions import can_manage
from torget.forum.posting import (  # noqa: F401 (the rules, also used through services)
    SHOWN_NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    PostingRefused,
    Refusal,
    active_ban,
    badge_for,
    check_text,
    check_title,
    default_shown_name,
    ensure_may_post,
    ip_hash,
    limit,
    local_time,
    not_repeated,
    posting_refusal,
    shown_name_for,
)

QUOTE_MAX = 300


def _status_for(forum: Forum, actor: Any) -> str:
    if forum.moderation == Moderation.PRE and not can_manage(actor, forum):
        return PostStatus.PENDING
    return PostStatus.PUBLISHED


def _lock_thread(thread: Thread) -> Thread:
    # Serialises the writes of one thread, so its counters are counted from committed rows.
    return (
        Thread.objects.select_for_update().select_related("forum__planned_method").get(pk=thread.pk)
    )


def _published(post: Post) -> None:
    if post.status == PostStatus.PUBLISHED:
        notify.post_published(post)


# --- Threads and posts -------------------------------------------------------------------------


@transaction.atomic
def thread_start(
    *,
    forum: Forum,
    actor: Any,
    title: str,
    text: str,
    shown_name: str = "",
    badge_kind: str = "",
    badge_label: str = "",
    verified: bool = False,
    ip: str = "",
    starting_question: bool = False,
) -> Thread:
    """A new thread with its opening post. A starting question (startfråga) only by those
    who manage the forum; they may start threads even where citizens may not."""
    ensure_may_post(forum=forum, actor=actor, verified=verified, new_thread=True)
    if starting_question and not can_manage(actor, forum):
        raise PostingRefused(
            Refusal("starting_question", _("Bara de som håller i forumet ställer startfrågor."))
        )
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, check in (
        ("title", lambda: check_title(title)),
        ("text", lambda: check_text(text)),
        ("shown_name", lambda: shown_name_for(shown_name, actor)),
        ("badge", lambda: badge_for(actor, badge_kind, badge_label)),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    not_repeated(actor, values["text"])
    limit(actor, ip)
    status = _status_for(forum, actor)
    now = timezone.now()
    thread = Thread(
        forum=forum,
        title=values["title"],
        is_starting_question=starting_question,
        status=status,
        started_by=actor,
        created_at=now,
        last_post_at=now,
    )
    thread.full_clean()
    thread.save()
    kind, label = values["badge"]
    post = Post(
        thread=thread,
        is_opening=True,
        author=actor,
        shown_name=values["shown_name"],
        badge_kind=kind,
        badge=label,
        text=values["text"],
        status=status,
        ip_hash=ip_hash(ip),
        created_at=now,
    )
    post.full_clean()
    post.save()
    thread_sync(thread)
    audit.record(
        actor=actor,
        action="forum.thread_started",
        obj=thread,
        changes={
            "forum": forum.pk,
            "post": post.pk,
            "status": status,
            "starting_question": starting_question,
            "badge": label,
        },
    )
    _published(post)
    return thread


def quote_excerpt(quoted: Post | None, thread: Thread) -> str:
    if quoted is None:
        return ""
    if quoted.thread_id != thread.pk or quoted.status != PostStatus.PUBLISHED:
        # Never an excerpt of a hidden or waiting post.
        raise ValidationError({"quote_of": _("Det inlägget går inte att citera.")})
    text = " ".join(quoted.text.split())
    if len(text) <= QUOTE_MAX:
        return text
    cut = text[:QUOTE_MAX].rsplit(" ", 1)[0]
    return cut + " …"


@transaction.atomic
def post_reply(
    *,
    thread: Thread,
    actor: Any,
    text: str,
    parent: Post | None = None,
    quote_of: Post | None = None,
    shown_name: str = "",
    badge_kind: str = "",
    badge_label: str = "",
    verified: bool = False,
    ip: str = "",
) -> Post:
    """A post in a thread: top-level, or a reply to a top-level post. Replies nest one
    level: a reply to a reply is attached to the top-level post it answers."""
    thread = _lock_thread(thread)
    forum = thread.forum
    ensure_may_post(forum=forum, actor=actor, verified=verified)
    if thread.status != PostStatus.PUBLISHED:
        raise ValidationError({"text": _("Tråden tar inte emot svar just nu.")})
    if parent is not None:
        if parent.parent_id is not None:
            parent = Post.objects.get(pk=parent.parent_id)
        if parent.thread_id != thread.pk or parent.status != PostStatus.PUBLISHED:
            raise ValidationError({"parent": _("Det inlägget går inte att svara på.")})
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, check in (
        ("text", lambda: check_text(text)),
        ("shown_name", lambda: shown_name_for(shown_name, actor)),
        ("badge", lambda: badge_for(actor, badge_kind, badge_label)),
        ("quote", lambda: quote_excerpt(quote_of, thread)),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    not_repeated(actor, values["text"])
    limit(actor, ip)
    kind, label = values["badge"]
    post = Post(
        thread=thread,
        parent=parent,
        quote_of=quote_of,
        quote_text=values["quote"],
        author=actor,
        shown_name=values["shown_name"],
        badge_kind=kind,
        badge=label,
        text=values["text"],
        status=_status_for(forum, actor),
        ip_hash=ip_hash(ip),
    )
    post.full_clean()
    post.save()
    thread_sync(thread)
    audit.record(
        actor=actor,
        action="forum.post_written",
        obj=post,
        changes={
            "thread": thread.pk,
            "parent": parent.pk if parent else None,
            "quote_of": quote_of.pk if quote_of else None,
            "status": post.status,
            "badge": label,
        },
    )
    _published(post)
    return post


@transaction.atomic
def post_edit(*, post: Post, actor: Any, text: str) -> Post:
    """The author changes their post; the earlier text is kept (PostRevision)."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    forum = thread.forum
    if not getattr(actor, "is_authenticated", False) or post.author_id != actor.pk:
        raise PermissionDenied(_("Bara den som skrev inlägget kan ändra det."))
    if post.status == PostStatus.HIDDEN:
        raise PostingRefused(
            Refusal("hidden", _("Inlägget är dolt av en moderator och kan inte ändras."))
        )
    if not forum.is_open():
        raise PostingRefused(
            Refusal("closed", _("Forumet är stängt. Det går inte längre att ändra inlägg."))
        )
    ban = active_ban(actor)
    if ban is not None:
        raise PostingRefused(
            Refusal(
                "banned",
                _("Du är avstängd från att skriva i forumen till och med %(until)s.")
                % {"until": local_time(ban.until)},
            )
        )
    new_text = check_text(text)
    if new_text == post.text:
        return post
    revision = PostRevision.objects.create(
        post=post, text=post.text, written_at=post.edited_at or post.created_at
    )
    before = post.status
    post.text = new_text
    post.edited_at = timezone.now()
    # Pre-moderation: what a citizen changes is read again before it shows.
    post.status = _status_for(forum, actor) if before == PostStatus.PUBLISHED else before
    post.full_clean()
    post.save(update_fields=["text", "edited_at", "status"])
    if post.status != before:
        thread_sync(thread)
    audit.record(
        actor=actor,
        action="forum.post_edited",
        obj=post,
        changes={"revision": revision.pk, "status": [before, post.status]},
    )
    return post


# --- Agree ------------------------------------------------------------------------------------


def _ensure_may_agree(post: Post, actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att hålla med."))
    if not actor.is_email_verified:
        raise PermissionDenied(_("Bekräfta din e-postadress först."))
    if not post.thread.forum.is_open():
        raise PostingRefused(Refusal("closed", _("Forumet är stängt.")))
    if post.status != PostStatus.PUBLISHED or post.thread.status != PostStatus.PUBLISHED:
        raise ValidationError(_("Det går bara att hålla med om publicerade inlägg."))
    if post.author_id == actor.pk:
        raise ValidationError(_("Du kan inte hålla med om ditt eget inlägg."))


@transaction.atomic
def post_agree(*, post: Post, actor: Any) -> bool:
    """ "Håller med", once per person (the database constraint). True when this call added
    it; False when the person already agreed (a second click, or a parallel request)."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().select_related("thread__forum").get(pk=post.pk)
    _ensure_may_agree(post, actor)
    try:
        with transaction.atomic():
            Agree.objects.create(post=post, user=actor)
        added = True
    except IntegrityError:
        added = False
    post_recount(post)
    thread_sync(thread)
    return added


@transaction.atomic
def post_unagree(*, post: Post, actor: Any) -> bool:
    """Takes back one's "håller med"; True when there was one."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att hålla med."))
    removed, _count = Agree.objects.filter(post=post, user=actor).delete()
    post_recount(post)
    thread_sync(thread)
    return bool(removed)
