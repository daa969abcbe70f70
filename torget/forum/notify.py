"""What the forum tells people (through the notifications capability).

Three notices (torget/forum/notices.py; templates in templates/notifications/forum.*):

- forum.post, to the followers of the thread and of its dialogue (the followable "forumtrad"
  widens to both): each hears by the channels they chose, e-mail, SMS or both, at once or in
  their daily or weekly digest, as the notifications capability decides for every follower.
- forum.reply, at once to the author of the post a new post answers or quotes, by e-mail,
  and by SMS too when they follow the thread or its dialogue by SMS.
- forum.hidden, to the author of a post a moderator hid: why, and where the rules are.

The contexts hold ids and strings only, written when the notice is made: a later edit or
moderation of the post does not change what was sent.
"""

import re
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from torget.accounts.models import User
from torget.forum.models import HideReason, Post, PostStatus
from torget.notifications import selectors as notification_selectors
from torget.notifications.models import Channel
from torget.notifications.services import notify

EXCERPT_LENGTH = 300
# Links in a citizen's post are not carried into messages that the municipality sends: a
# message from the municipality must not become a way to spread a link before a moderator
# has seen the post. The reader follows the link to the post instead.
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The post's text as one plain line of at most `length` characters, without links."""
    plain = " ".join(_LINK.sub("[länk]", text).split())
    return Truncator(plain).chars(length)


def _context(post: Post) -> dict[str, Any]:
    thread = post.thread
    forum = thread.forum
    return {
        "post_id": post.pk,
        "thread_id": thread.pk,
        "thread": thread.title,
        "forum": forum.title,
        "dialogue": forum.dialogue.title,
        "name": post.shown_name,
        "badge": post.badge,
        "excerpt": excerpt(post.text),
        "url": thread.get_absolute_url(),
    }


def _is_public(post: Post) -> bool:
    thread = post.thread
    return thread.status == PostStatus.PUBLISHED and bool(thread.forum.dialogue.is_public)


def _can_be_told(user: User | None) -> bool:
    return user is not None and user.is_active and not user.is_closed and bool(user.email)


def _answered(post: Post) -> list[tuple[User, bool]]:
    """The authors of the posts `post` answers (its parent) or quotes, other than its own
    author, each once, with whether it only quoted them."""
    told: dict[int, tuple[User, bool]] = {}
    for other, quoted in ((post.parent, False), (post.quote_of, True)):
        if other is None or other.author_id == post.author_id:
            continue
        if other.author_id in told or not _can_be_told(other.author):
            continue
        told[other.author_id] = (other.author, quoted)
    return list(told.values())


def post_published(post: Post) -> None:
    """A post became visible: followers of its thread and dialogue hear of it by their
    channels (immediately or in their digest), and the author of the post it answers is told
    at once. Called in the transaction that published it."""
    if post.status != PostStatus.PUBLISHED or not _is_public(post):
        return
    context = _context(post)
    answered = _answered(post)
    # Nobody hears of their own post; whoever is told at once below is not told again as a
    # follower (nor in their digest).
    notify(
        template="forum.post",
        context=context,
        followers_of=[post.thread],
        except_users=[post.author, *(user for user, _quoted in answered)],
    )
    for user, quoted in answered:
        _tell_answered(post, user, context | {"quoted": quoted})


def _tell_answered(post: Post, user: User, context: dict[str, Any]) -> None:
    # E-mail always; SMS as well when this is how they chose to hear of the thread or its
    # dialogue (the only choice of channel a person makes, DOMAIN §6).
    notify(template="forum.reply", context=context, users=[user], channels=[Channel.EMAIL])
    phone = notification_selectors.sms_number_chosen_by(user, [post.thread])
    if phone:
        notify(
            template="forum.reply",
            context=context,
            phones=[phone],
            channels=[Channel.SMS],
            language=user.language,
        )


def post_hidden(post: Post) -> None:
    """A moderator hid the post: its author is told why."""
    if post.status != PostStatus.HIDDEN:
        return
    author = post.author
    if not _can_be_told(author):
        return
    # The reason in the author's language: the notice is rendered in it.
    with translation.override(author.language):
        reason = str(HideReason(post.hidden_reason).label) if post.hidden_reason else ""
    notify(
        template="forum.hidden",
        context=_context(post)
        | {
            "url": post.get_absolute_url(),
            "reason": reason,
            "note": post.hidden_note,
            "rules_url": reverse("forum:rules"),
        },
        users=[author],
        channels=[Channel.EMAIL],
    )
