"""How accounts sends its e-mails (verification links, password resets) without knowing the
outbox: `notifications` sits above accounts and registers its sender from its
`AppConfig.ready()`, so the messages still go through the outbox like every other message."""

from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Sender(Protocol):
    def __call__(
        self,
        *,
        template: str,
        context: dict[str, Any] | None = None,
        emails: Iterable[str] = (),
        language: str = "sv",
    ) -> object: ...


_sender: Sender | None = None


def sender_register(sender: Sender) -> None:
    global _sender
    _sender = sender


def send(*, template: str, context: dict[str, Any], emails: Iterable[str], language: str) -> None:
    if _sender is None:
        raise ImproperlyConfigured(
            "No sender for account e-mails: is torget.notifications installed?"
        )
    _sender(template=template, context=context, emails=emails, language=language)
