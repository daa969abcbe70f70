"""Public reads of the forum, and the `access_*` functions that fetch and authorise.

What the public sees: a forum once its dialogue is public; threads whose opening post is
published; published posts; a hidden post only as its placeholder ("Dolt av moderator:
<reason>"), never its text; a waiting post (pre-moderation) only by its own author.
The thread page is read in a fixed number of queries whatever its size: one page of
top-level posts, their replies, and the reader's own agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from torget.core.inputs import parse_id
from torget.core.richtext import plain_to_html
from torget.dialogues.models import Dialogue
from torget.forum.models import Agree, Forum, HideReason, Post, PostStatus, Thread
from torget.forum.permissions import can_view_public

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50
FEED_SIZE = 50

# The thread list's orders, by their address (?ordning=…).
ORDERS: dict[str, list[str]] = {
    "aktivast": ["-last_post_at", "-id"],
    "nyast": ["-created_at", "-id"],
    "mest-medhall": ["-agree_count", "-last_post_at", "-id"],
}
DEFAULT_ORDER = "aktivast"


def _forums() -> QuerySet[Forum]:
    return Forum.objects.select_related("dialogue", "planned_method")


def access_public_forum(forum_pk: int, dialogue_pk: int) -> Forum:
    """A forum as the public sees it: 404 unless its dialogue is public, or under another
    dialogue's address."""
    forum = get_object_or_404(_forums(), pk=forum_pk, dialogue_id=dialogue_pk)
    if not can_view_public(forum):
        raise Http404
    return forum


def _is_user(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False))


def access_public_thread(thread_pk: int, viewer: Any = None) -> Thread:
    """A thread of a public forum. A hidden thread is not shown; a waiting one only to the
    person who started it."""
    thread = get_object_or_404(
        Thread.objects.select_related("forum__dialogue", "forum__planned_method"), pk=thread_pk
    )
    if not can_view_public(thread.forum):
        raise Http404
    if thread.status == PostStatus.PUBLISHED:
        return thread
    if (
        thread.status == PostStatus.PENDING
        and _is_user(viewer)
        and thread.started_by_id == viewer.pk
    ):
        return thread
    raise Http404


def access_public_post(post_pk: int, viewer: Any = None) -> Post:
    """A post in a thread the viewer may see; published, or the viewer's own."""
    post = get_object_or_404(
        Post.objects.only("pk", "thread_id", "author_id", "status"), pk=post_pk
    )
    thread = access_public_thread(post.thread_id, viewer)
    own = _is_user(viewer) and post.author_id == viewer.pk
    if post.status != PostStatus.PUBLISHED and not own:
        raise Http404
    post = Post.objects.get(pk=post.pk)
    post.thread = thread
    return post


def access_own_post(viewer: Any, post_pk: int) -> Post:
    """The viewer's own post, to change it; someone else's is refused."""
    post = access_public_post(post_pk, viewer)
    if post.author_id != viewer.pk:
        raise PermissionDenied
    return post


# --- Lists ------------------------------------------------------------------------------------


def public_forums_of(dialogue: Dialogue) -> QuerySet[Forum]:
    return Forum.objects.filter(dialogue=dialogue).select_related("planned_method")


def threads_for(forum: Forum, order: str = DEFAULT_ORDER) -> QuerySet[Thread]:
    """The forum's visible threads in one of ORDERS, with the name shown by the person who
    started each (from the opening post, in the same query)."""
    opener = Post.objects.filter(thread=OuterRef("pk"), is_opening=True).values("shown_name")[:1]
    return (
        Thread.objects.filter(forum=forum, status=PostStatus.PUBLISHED)
        .annotate(opener_name=Subquery(opener))
        .order_by(*ORDERS.get(order, ORDERS[DEFAULT_ORDER]))
    )


def threads_page(forum: Forum, order: str, page: Any) -> Page:  # type: ignore[type-arg]
    return Paginator(threads_for(forum, order), THREADS_PER_PAGE).get_page(page)


def own_waiting_threads(forum: Forum, viewer: Any) -> list[Thread]:
    if not _is_user(viewer):
        return []
    return list(
        Thread.objects.filter(forum=forum, status=PostStatus.PENDING, started_by=viewer).order_by(
            "-created_at"
        )[:20]
    )


# --- A thread's posts -------------------------------------------------------------------------


@dataclass
class ShownPost:
    """A post as a page shows it. A hidden post has no text here at all, only its
    placeholder, so no template can show what a moderator hid."""

    pk: int
    shown_name: str
    badge: str
    badge_kind: str
    created_at: Any
    is_opening: bool
    status: str
    html: SafeString | None
    quote_html: SafeString | None
    hidden_label: str
    was_edited: bool
    edited_at: Any
    agree_count: int
    is_own: bool
    agreed: bool = False
    replies: list[ShownPost] = field(default_factory=list)

    @property
    def is_hidden(self) -> bool:
        return self.status == PostStatus.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == PostStatus.PENDING

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED


def _visible_to(viewer: Any) -> Q:
    shown = Q(status__in=[PostStatus.PUBLISHED, PostStatus.HIDDEN])
    if _is_user(viewer):
        shown |= Q(status=PostStatus.PENDING, author_id=viewer.pk)
    return shown


_FIELDS = (
    "pk",
    "parent_id",
    "author_id",
    "shown_name",
    "badge",
    "badge_kind",
    "created_at",
    "edited_at",
    "is_opening",
    "status",
    "text",
    "quote_text",
    "hidden_reason",
    "agree_count",
)


def _rows(queryset: QuerySet[Post]) -> QuerySet[Any]:
    return queryset.annotate(quoted_status=F("quote_of__status")).values(*_FIELDS, "quoted_status")


def _shown(row: dict[str, Any], viewer: Any) -> ShownPost:
    hidden = row["status"] == PostStatus.HIDDEN
    quote = row["quote_text"] if row["quoted_status"] == PostStatus.PUBLISHED else ""
    reason = HideReason(row["hidden_reason"]).label if row["hidden_reason"] else ""
    edited = row["edited_at"]
    post = Post(created_at=row["created_at"], edited_at=edited)
    return ShownPost(
        pk=row["pk"],
        shown_name=row["shown_name"],
        badge="" if hidden else row["badge"],
        badge_kind="" if hidden else row["badge_kind"],
        created_at=row["created_at"],
        is_opening=row["is_opening"],
        status=row["status"],
        html=None if hidden else plain_to_html(row["text"]),
        quote_html=plain_to_html(quote) if quote and not hidden else None,
        hidden_label=(_("Dolt av moderator: %(reason)s") % {"reason": reason}) if hidden else "",
        was_edited=post.was_edited,
        edited_at=edited,
        agree_count=row["agree_count"],
        is_own=_is_user(viewer) and row["author_id"] == viewer.pk,
    )


def thread_posts(thread: Thread, viewer: Any, page: Any = 1) -> tuple[Page, list[ShownPost]]:  # type: ignore[type-arg]
    """One page of the thread's top-level posts (the opening post first), each with its
    replies: three queries (count, page, replies) and one more for the reader's agrees."""
    visible = _visible_to(viewer)
    top = Post.objects.filter(visible, thread=thread, parent__isnull=True).order_by(
        "-is_opening", "created_at", "pk"
    )
    paginated = Paginator(_rows(top), POSTS_PER_PAGE).get_page(page)
    posts = [_shown(row, viewer) for row in paginated.object_list]
    by_pk = {post.pk: post for post in posts}
    everything = list(posts)
    if by_pk:
        replies = Post.objects.filter(visible, parent_id__in=list(by_pk)).order_by(
            "created_at", "pk"
        )
        for row in _rows(replies):
            reply = _shown(row, viewer)
            by_pk[row["parent_id"]].replies.append(reply)
            everything.append(reply)
    if _is_user(viewer) and everything:
        agreed = set(
            Agree.objects.filter(
                user=viewer, post_id__in=[post.pk for post in everything]
            ).values_list("post_id", flat=True)
        )
        for post in everything:
            post.agreed = post.pk in agreed
    return paginated, posts


def post_for_form(thread: Thread, pk: Any) -> Post | None:
    """A published post of the thread, for the reply and quote links (?svar-pa=, ?citera=);
    None for anything else."""
    number = parse_id(pk)
    if number is None:
        return None
    return Post.objects.filter(thread=thread, pk=number, status=PostStatus.PUBLISHED).first()


def feed_posts(forum: Forum) -> list[Post]:
    """The forum's latest published posts in visible threads (never hidden or waiting)."""
    return list(
        Post.objects.filter(
            thread__forum=forum,
            status=PostStatus.PUBLISHED,
            thread__status=PostStatus.PUBLISHED,
        )
        .select_related("thread")
        .order_by("-created_at", "-pk")[:FEED_SIZE]
    )
