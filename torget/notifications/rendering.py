"""Turning a delivery into the e-mail or SMS a person receives."""

from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from torget.notifications import sms
from torget.notifications.models import ATTACHMENTS_CONTEXT, Delivery, Notification
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
                    texts = (_render_sms(template, context), "", "")
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
        for attachment in delivery.notification.context.get(ATTACHMENTS_CONTEXT, []):
            message.attach(_mime_attachment(attachment))
        return message

    def sms(self, delivery: Delivery) -> str:
        return self._texts(delivery)[0]


def _mime_attachment(attachment: dict[str, Any]) -> MIMEBase:
    """A text attachment with its Content-Type parameters (`text/calendar; method=REQUEST`,
    which mail programs read to offer the invitation)."""
    _text, subtype = attachment["mimetype"].split("/", 1)
    part = MIMEText(attachment["content"], subtype, "utf-8")
    for name, value in attachment.get("params", {}).items():
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


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


def _render_sms(template: str, context: dict[str, Any]) -> str:
    text = render_to_string(f"notifications/{template}/sms.txt", context).strip()
    if context.get("unsubscribe_url"):
        stop = render_to_string("notifications/sms_unsubscribe.txt", context).strip()
        # Leave room for a real token, which may be longer than the placeholder.
        room = sms.MAX_LENGTH - len(stop.replace(TOKEN, "x" * 64)) - 1
        return sms.fit(text[:room]) + "\n" + stop
    return sms.fit(text)


def _digest_line(notification: Notification, language: str) -> dict[str, str]:
    with translation.override(language):
        subject = render_to_string(
            f"notifications/{notification.template}/subject.txt", notification.context
        )
    return {"title": " ".join(subject.split()), "url": notification.context.get("url", "")}


def unsubscribe_url(delivery: Delivery) -> str:
    token = delivery.subscription.token  # type: ignore[union-attr]
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})
