"""The posting rules of the forum, in one place (DOMAIN §7, issue 20): who may post now
(`posting_refusal`, which names the rule that refuses), and what a post may hold (length,
no control characters, not spam-like, the shown name, a role badge the person holds), with
the per-person and per-address limits. The services (forum.services) call them; the pages
show the same refusal as an explanation."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from torget.core import ratelimit
from torget.core.inputs import CONTROL_CHARACTERS
from torget.forum import badges
from torget.forum.models import Ban, Forum, Identification, Post
from torget.forum.permissions import can_manage
from torget.geo.models import Area
from torget.notifications.models import Subscription

IP_HASH_SALT = "torget.forum.ip"
TEXT_MIN, TEXT_MAX = 2, 10_000
TITLE_MIN, TITLE_MAX = 3, 200
SHOWN_NAME_MAX = 80
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


def local_time(moment: datetime.datetime) -> str:
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
            % {"until": local_time(ban.until), "reason": ban.reason},
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


def ensure_may_post(*, forum: Forum, actor: Any, verified: bool, new_thread: bool = False) -> None:
    refusal = posting_refusal(forum=forum, actor=actor, verified=verified, new_thread=new_thread)
    if refusal is not None:
        raise PostingRefused(refusal)


# --- Checks of what is written -----------------------------------------------------------------


def clean(value: Any) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def check_text(text: str, *, field: str = "text") -> str:
    """A post's text: 2–10,000 characters, no control characters, not mostly links and not
    one character over and over (spam-like)."""
    text = clean(text)
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
    title = clean(title)
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
    area = followed_area(user)
    return f"{first}, {area}"[:SHOWN_NAME_MAX] if area else first[:SHOWN_NAME_MAX]


def followed_area(user: Any) -> str:
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


def shown_name_for(shown_name: str, actor: Any) -> str:
    name = clean(shown_name) or default_shown_name(actor)
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


def badge_for(actor: Any, badge_kind: str, badge_label: str) -> tuple[str, str]:
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


def limit(actor: Any, ip: str) -> None:
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


def not_repeated(actor: Any, text: str) -> None:
    since = timezone.now() - REPEAT_WINDOW
    if Post.objects.filter(author=actor, created_at__gte=since, text=text).exists():
        raise ValidationError(
            {"text": _("Du har redan skrivit precis samma text det senaste dygnet.")},
            code="repeat",
        )
