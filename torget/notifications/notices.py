"""The kinds of notice Torget sends (meddelandetyper): each app registers its own once, in
AppConfig.ready, next to the templates that write them.

    notices.register(
        "dialogues.opened",
        example={"title": "Trafiken i Berga", "url": "/dialoger/1/", …},
    )

A kind is a folder of templates, ``notifications/<kind>/``: ``subject.txt`` and ``body.txt``
(e-mail) and ``sms.txt`` (SMS, the message without its link: the link is added by the
renderer, so every SMS has one and all of it fits in one message). `notify` refuses a kind that
is not registered, so the walk of every kind and both channels in the tests covers everything
that can be sent. `example` is a context as the sending service writes it; the walk renders it
with long texts to prove every SMS fits.

Every kind goes by both channels, because followers choose theirs (DOMAIN §6). The exception
is a message that proves an address (`proves`): it goes only to the address it proves, so a
password reset is e-mail only and the code that confirms a phone number is SMS only. A kind
sent to followers says so (`followers=True`); `notify` refuses to send any other kind to
followers.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from torget.notifications.models import Channel

Link = str | Callable[[Mapping[str, Any]], str] | None


@dataclass(frozen=True)
class NoticeKind:
    template: str
    example: Mapping[str, Any] = field(default_factory=dict)
    # The page the notice is about: a context key holding a site path (or an absolute
    # address), or a function of the context. None, or an empty value: the site's start page.
    link: Link = "url"
    proves: Channel | None = None
    # Sent to followers (notify(followers_of=…)): its SMS carries the link that ends the
    # subscription too, and must leave room for it.
    followers: bool = False
    # A message of an SMS conversation (a survey's question, the answer to STOPP): SMS only,
    # sent as written, without a link, and may take more than one SMS (its sender shows the
    # cost before sending).
    bare: bool = False

    @property
    def channels(self) -> tuple[Channel, ...]:
        if self.bare:
            return (Channel.SMS,)
        return (self.proves,) if self.proves else (Channel.EMAIL, Channel.SMS)

    def path(self, context: Mapping[str, Any]) -> str:
        if self.link is None:
            return "/"
        value = self.link(context) if callable(self.link) else context.get(self.link, "")
        return str(value or "/")


_kinds: dict[str, NoticeKind] = {}


def register(
    template: str,
    *,
    example: Mapping[str, Any],
    link: Link = "url",
    proves: Channel | None = None,
    followers: bool = False,
    bare: bool = False,
) -> NoticeKind:
    if followers and proves is not None:
        raise ValueError(f"{template}: a message that proves an address is not for followers")
    if bare and (followers or proves is not None):
        raise ValueError(f"{template}: a conversation's message goes to one number, as written")
    kind = NoticeKind(template, dict(example), link, proves, followers, bare)
    _kinds[template] = kind
    return kind


class UnregisteredNotice(LookupError):
    pass


def get(template: str) -> NoticeKind:
    try:
        return _kinds[template]
    except KeyError:
        raise UnregisteredNotice(
            f"Notice kind {template!r} is not registered: call "
            "torget.notifications.notices.register(...) in the app's AppConfig.ready(), "
            "with an SMS text in notifications/<kind>/sms.txt."
        ) from None


def unregister(template: str) -> None:
    _kinds.pop(template, None)


def all_kinds() -> list[NoticeKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.template)
