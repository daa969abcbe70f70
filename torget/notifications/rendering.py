"""Turning a delivery into the e-mail or SMS a person receives."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from torget.notifications import notices, sms
from torget.notifications.models import Delivery, Notification
from torget.organisation.selectors import municipality_get

# Messages of one fan-out differ only in the subscription's token (in the unsubscribe and
# manage links). Each text is rendered once with this placeholder and the token put in after,
# which keeps the worker's cost per message low at 100,000 recipients.
TOKEN = "__TORGET_SUBSCRIPTION_TOKEN__"  # noqa: S105 — a placeholder, not a secret


class Renderer:
    """Renders the messages of one batch, reusing what recipients share."""

    def __init__(self) -> None:
        self.base = {"site_url": settings.SITE_URL, "municipality_name": municipality_get().name}
        self._cache: dict[tuple[Any, ...], tuple[str, str, str]] = {}

    def _context(self, delivery: Delivery) -> dict[str, Any]:
        context: dict[str, Any] = {**delivery.notification.context, **self.base}
        if delivery.subscription_id is not None:
            context["unsubscribe_url"] = settings.SITE_URL + reverse(
                "notifications:unsubscribe", kwargs={"token": TOKEN}
            )
            context["manage_url"] = settings.SITE_URL + reverse(
                "notifications:manage", kwargs={"token": TOKEN}
            )
        if delivery.digest_of:
            notifications = Notification.objects.filter(pk__in=delivery.digest_of).order_by(
                "created_at"
            )
            context["items"] = [_digest_line(n, delivery.language) for n in notifications]
        return context

    def _texts(self, delivery: Delivery) -> tuple[str, str, str]:
        key = (
            delivery.notification_id,
            delivery.channel,
            delivery.language,
            delivery.subscription_id is not None,
        )
        if delivery.digest_of or key not in self._cache:
            template = delivery.notification.template
            context = self._context(delivery)
            with translation.override(delivery.language):
                if delivery.channel == "sms":
                    texts = (render_sms(template, context), "", "")
                else:
                    texts = _render_email_texts(template, context)
            if delivery.digest_of:
                return self._personal(texts, delivery)
            self._cache[key] = texts
        return self._personal(self._cache[key], delivery)

    @staticmethod
    def _personal(texts: tuple[str, str, str], delivery: Delivery) -> tuple[str, str, str]:
        if delivery.subscription_id is None:
            return texts
        token = delivery.subscription.token  # type: ignore[union-attr]
        return tuple(text.replace(TOKEN, token) for text in texts)  # type: ignore[return-value]

    def email(
        self, delivery: Delivery, connection: BaseEmailBackend | None = None
    ) -> EmailMultiAlternatives:
        subject, text, html = self._texts(delivery)
        headers = {}
        if delivery.subscription_id is not None:
            # RFC 8058: mail programs show an unsubscribe button that POSTs to this address.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url(delivery)}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=subject, body=text, to=[delivery.to], headers=headers, connection=connection
        )
        message.attach_alternative(html, "text/html")
        return message

    def sms(self, delivery: Delivery) -> str:
        return self._texts(delivery)[0]


def _render_email_texts(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"notifications/{template}/subject.txt", context).split())
    text = render_to_string(f"notifications/{template}/body.txt", context)
    try:
        html = get_template(f"notifications/{template}/body.html").render(context)
    except TemplateDoesNotExist:
        html = render_to_string(
            "notifications/email_base.html", {**context, "subject": subject, "text": text}
        )
    return subject, text, html


# The length of a subscription's token (models.new_token), which replaces the placeholder.
TOKEN_LENGTH = 32


def absolute(path: str, site_url: str) -> str:
    return path if path.startswith(("https://", "http://")) else site_url + path


def render_sms(template: str, context: dict[str, Any]) -> str:
    """The SMS of a notice: its message, the link to the page it is about, and for a
    follower the link that ends the subscription. The links are never cut; the message is
    shortened so that all of it fits in one SMS (160 GSM characters)."""
    kind = notices.get(template)
    message = render_to_string(f"notifications/{template}/sms.txt", context)
    tail = " " + absolute(kind.path(context), context["site_url"])
    if context.get("unsubscribe_url"):
        stop = render_to_string("notifications/sms_unsubscribe.txt", context).strip()
        tail += "\n" + stop
    # Measured with a real token's length; the placeholder is put back for the cache.
    real_tail = sms.to_gsm(tail.replace(TOKEN, "x" * TOKEN_LENGTH))
    text = sms.compose(message, real_tail)
    return text[: len(text) - len(real_tail)] + sms.to_gsm(tail)


def _digest_line(notification: Notification, language: str) -> dict[str, str]:
    with translation.override(language):
        subject = render_to_string(
            f"notifications/{notification.template}/subject.txt", notification.context
        )
    return {"title": " ".join(subject.split()), "url": notification.context.get("url", "")}


def unsubscribe_url(delivery: Delivery) -> str:
    token = delivery.subscription.token  # type: ignore[union-attr]
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})
