"""Posting in the forum: starting a thread, replying, editing, agreeing.

Who may post is one guarded function, `posting_refusal`, that names the rule that refuses
(DOMAIN §7, issue 20): a signed-in account with a verified e-mail address at least; a fresh
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

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from torget.audit import services as audit
from torget.core import ratelimit
from torget.core.inputs import CONTROL_CHARACTERS
from torget.forum import badges, notify
from torget.forum.counters import post_recount, thread_sync
from torget.forum.models import (
    Agree,
    Ban,
    Forum,
    Identification,
    Moderation,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from torget.forum.permissions import can_manage
from torget.geo.models import Area
from torget.notifications.models import Subscription

IP_HASH_SALT = "torget.forum.ip"
TEXT_MIN, TEXT_MAX = 2, 10_000
TITLE_MIN, TITLE_MAX = 3, 200
SHOWN_NAME_MAX = 80
QUOTE_MAX = 300
REPEAT_WINDOW = datetime.timedelta(hours=24)
# A run of one character this long is noise, not writing.
_RUN = re.compile(r"(\S)\1{49,}")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


# --- Who may post ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why this person may not post here now, and what they can do about it."""

    rule: str  # login, verify_email, identify, closed, banned, no_threads
    message: str
    action_url: str = ""
    action_label: str = ""


class PostingRefused(PermissionDenied):
    """A posting rule refused; `refusal.rule` names it."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def active_ban(user: Any) -> Ban | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Ban.objects.filter(user=user, lifted_at__isnull=True, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def posting_refusal(
    *,
    forum: Forum,
    actor: Any,
    verified: bool,
    new_thread: bool = False,
    next_url: str = "",
) -> Refusal | None:
    """The first rule that stops `actor` from posting in `forum` now, or None. `verified`:
    a fresh e-ID step was made in this browser (identity.selectors.fresh_verification)."""
    next_url = next_url or forum.get_absolute_url()
    if not forum.is_open():
        today = timezone.localdate()
        if forum.starts_on and today < forum.starts_on:
            return Refusal(
                "closed",
                _("Forumet öppnar %(date)s. Då kan du skriva.")
                % {"date": formats.date_format(forum.starts_on, "j F Y")},
            )
        return Refusal("closed", _("Forumet är stängt. Det går inte längre att skriva här."))
    if actor is None or not actor.is_authenticated:
        return Refusal(
            "login",
            _(
                "Logga in med ett konto som har en bekräftad e-postadress för att skriva. "
                "Har du inget konto kan du skapa ett; det tar en minut."
            ),
            reverse("accounts:login") + "?" + urlencode({"next": next_url}),
            _("Logga in"),
        )
    if not actor.is_email_verified:
        return Refusal(
            "verify_email",
            _(
                "Din e-postadress är inte bekräftad än. Klicka på länken i mejlet vi skickade, "
                "eller be om ett nytt."
            ),
            reverse("accounts:resend_verification"),
            _("Skicka bekräftelsen igen"),
        )
    if forum.identification == Identification.EID and not verified:
        return Refusal(
            "identify",
            _(
                "I det här forumet legitimerar du dig med e-legitimation innan du skriver. "
                "Ditt personnummer visas inte."
            ),
            reverse("identity:choose") + "?" + urlencode({"next": next_url}),
            _("Legitimera dig"),
        )
    ban = active_ban(actor)
    if ban is not None:
        return Refusal(
            "banned",
            _("Du är avstängd från att skriva i forumen till och med %(until)s. Skäl: %(reason)s")
            % {"until": _local(ban.until), "reason": ban.reason},
        )
    if new_thread and not forum.citizens_may_start and not can_manage(actor, forum):
        return Refusal(
            "no_threads",
            _(
                "I det här forumet startar kommunen trådarna. Du kan svara i dem och hålla "
                "med om inlägg."
            ),
        )
    return None


def _ensure_may_post(*, forum: Forum, actor: Any, verified: bool, new_thread: bool = False) -> None:
    refusal = posting_refusal(forum=forum, actor=actor, verified=verified, new_thread=new_thread)
    if refusal is not None:
        raise PostingRefused(refusal)


# --- Checks of what is written -----------------------------------------------------------------


def _clean(value: Any) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def check_text(text: str, *, field: str = "text") -> str:
    """A post's text: 2–10,000 characters, no control characters, not mostly links and not
    one character over and over (spam-like)."""
    text = _clean(text)
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError(
            {field: _("Texten innehåller otillåtna tecken (styrtecken). Ta bort dem.")}
        )
    if len(text) < TEXT_MIN:
        raise ValidationError({field: _("Skriv minst %(min)d tecken.") % {"min": TEXT_MIN}})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {field: _("Texten är för lång: högst %(max)d tecken.") % {"max": TEXT_MAX}}
        )
    visible = re.sub(r"\s", "", text)
    if len(visible) >= 2 and (len(set(visible)) == 1 or _RUN.search(text)):
        raise ValidationError({field: _("Texten ser ut som upprepade tecken. Skriv med egna ord.")})
    linked = sum(len(re.sub(r"\s", "", match)) for match in _URL.findall(text))
    if linked and linked * 2 > len(visible):
        raise ValidationError(
            {field: _("Texten består mest av länkar. Skriv med egna ord vad länkarna handlar om.")}
        )
    return text


def check_title(title: str) -> str:
    title = _clean(title)
    if CONTROL_CHARACTERS.search(title) or "\n" in title:
        raise ValidationError({"title": _("Rubriken får bara vara en rad, utan styrtecken.")})
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ValidationError(
            {
                "title": _("Rubriken ska vara %(min)d–%(max)d tecken.")
                % {"min": TITLE_MIN, "max": TITLE_MAX}
            }
        )
    return title


def default_shown_name(user: Any) -> str:
    """First name and area by default: the first word of the name the person chose to show
    (or their name), and the one area they follow, when there is exactly one. Never the
    e-mail address."""
    name = (getattr(user, "display_name", "") or getattr(user, "full_name", "") or "").strip()
    first = name.split()[0] if name else _("Invånare")
    area = _followed_area(user)
    return f"{first}, {area}"[:SHOWN_NAME_MAX] if area else first[:SHOWN_NAME_MAX]


def _followed_area(user: Any) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    ids = list(
        Subscription.objects.filter(
            user=user,
            confirmed_at__isnull=False,
            target_type=ContentType.objects.get_for_model(Area),
        ).values_list("target_id", flat=True)[:2]
    )
    if len(ids) != 1:
        return ""
    return Area.objects.filter(pk=ids[0]).values_list("name", flat=True).first() or ""


def _shown_name(shown_name: str, actor: Any) -> str:
    name = _clean(shown_name) or default_shown_name(actor)
    if CONTROL_CHARACTERS.search(name) or "\n" in name:
        raise ValidationError({"shown_name": _("Namnet får bara vara en rad, utan styrtecken.")})
    if len(name) > SHOWN_NAME_MAX:
        raise ValidationError(
            {"shown_name": _("Namnet får vara högst %(max)d tecken.") % {"max": SHOWN_NAME_MAX}}
        )
    if "@" in name:
        # The shown name is public: never an e-mail address (the person's or anyone's).
        raise ValidationError(
            {"shown_name": _("Visa ett namn, inte en e-postadress.")},
        )
    return name


def _badge(actor: Any, badge_kind: str, badge_label: str) -> tuple[str, str]:
    """The badge the poster chose, which must be one they hold today (badges.badges_for)."""
    if not badge_kind:
        return "", ""
    for badge in badges.badges_for(actor):
        if badge.kind == badge_kind and (not badge_label or badge.label == badge_label):
            return badge.kind, badge.label
    raise ValidationError(
        {"badge": _("Du kan bara visa en roll som du har i kommunen i dag.")}, code="badge"
    )


def ip_hash(ip: str) -> str:
    """A keyed hash of the address (kept with the post for the per-address limits); never
    the address itself."""
    return salted_hmac(IP_HASH_SALT, ip or "", algorithm="sha256").hexdigest() if ip else ""


def _limit(actor: Any, ip: str) -> None:
    hits = [("forum-post", str(actor.pk), settings.FORUM_POSTS_PER_HOUR)]
    if ip:
        hits.append(("forum-post-ip", ip, settings.FORUM_POSTS_PER_IP_PER_HOUR))
    if not ratelimit.hit_all(hits):
        raise ValidationError(
            {
                "text": _(
                    "Du har skrivit många inlägg på kort tid. Vänta en stund och försök igen. "
                    "Din text finns kvar här."
                )
            },
            code="rate_limited",
        )


def _not_repeated(actor: Any, text: str) -> None:
    since = timezone.now() - REPEAT_WINDOW
    if Post.objects.filter(author=actor, created_at__gte=since, text=text).exists():
        raise ValidationError(
            {"text": _("Du har redan skrivit precis samma text det senaste dygnet.")},
            code="repeat",
        )


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
    _ensure_may_post(forum=forum, actor=actor, verified=verified, new_thread=True)
    if starting_question and not can_manage(actor, forum):
        raise PostingRefused(
            Refusal("starting_question", _("Bara de som håller i forumet ställer startfrågor."))
        )
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, check in (
        ("title", lambda: check_title(title)),
        ("text", lambda: check_text(text)),
        ("shown_name", lambda: _shown_name(shown_name, actor)),
        ("badge", lambda: _badge(actor, badge_kind, badge_label)),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _not_repeated(actor, values["text"])
    _limit(actor, ip)
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
    _ensure_may_post(forum=forum, actor=actor, verified=verified)
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
        ("shown_name", lambda: _shown_name(shown_name, actor)),
        ("badge", lambda: _badge(actor, badge_kind, badge_label)),
        ("quote", lambda: quote_excerpt(quote_of, thread)),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _not_repeated(actor, values["text"])
    _limit(actor, ip)
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
                % {"until": _local(ban.until)},
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
