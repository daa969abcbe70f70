"""Turning a delivery into the e-mail or SMS a person receives."""

from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from torget.notifications import notices, selectors, sms
from torget.notifications.models import ATTACHMENTS_CONTEXT, Delivery, Notification
from torget.organisation.selectors import municipality_get

# Messages of one fan-out differ only in the subscription's token (in the unsubscribe and
# manage links). Each text is rendered once with this placeholder and the token put in after,
# which keeps the worker's cost per message low at 100,000 recipients.
TOKEN = "__TORGET_SUBSCRIPTION_TOKEN__"  # noqa: S105 — a placeholder, not a secret
STOP = "__TORGET_STOP_CODE__"


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
            context["stop_url"] = settings.SITE_URL + reverse(
                "notifications:stop", kwargs={"code": STOP}
            )
        if delivery.digest_of:
            notifications = Notification.objects.filter(pk__in=delivery.digest_of).order_by(
                "created_at"
            )
            context["items"] = [_digest_line(n, delivery.language) for n in notifications]
        return context

    def _texts(self, delivery: Delivery) -> tuple[str, str, str]:
        # The short stop link's length differs with the subscription's id, and an SMS leaves
        # exactly the room it needs: one text per length of id, not one per recipient.
        stop_length = (
            len(selectors.stop_code(delivery.subscription)) if delivery.subscription else 0
        )
        key = (
            delivery.notification_id,
            delivery.channel,
            delivery.language,
            delivery.subscription_id is not None,
            stop_length,
        )
        if delivery.digest_of or key not in self._cache:
            template = delivery.notification.template
            context = self._context(delivery)
            with translation.override(delivery.language):
                if delivery.channel == "sms":
                    texts = (render_sms(template, context, stop_length=stop_length), "", "")
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
        subscription = delivery.subscription
        token = subscription.token  # type: ignore[union-attr]
        stop = selectors.stop_code(subscription)  # type: ignore[arg-type]
        return tuple(  # type: ignore[return-value]
            text.replace(TOKEN, token).replace(STOP, stop) for text in texts
        )

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


def render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template (a subject, a text body, an SMS) rendered without HTML escaping:
    a title "Trafik & trygghet" must not arrive as "Trafik &amp; trygghet"."""
    return get_template(name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


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
    subject = " ".join(render_text(f"notifications/{template}/subject.txt", context).split())
    text = render_text(f"notifications/{template}/body.txt", context)
    try:
        html = get_template(f"notifications/{template}/body.html").render(context)
    except TemplateDoesNotExist:
        html = render_to_string(
            "notifications/email_base.html", {**context, "subject": subject, "text": text}
        )
    return subject, text, html


def absolute(path: str, site_url: str) -> str:
    return path if path.startswith(("https://", "http://")) else site_url + path


def render_sms(
    template: str, context: dict[str, Any], *, stop_length: int = selectors.STOP_CODE_MAX_LENGTH
) -> str:
    """The SMS of a notice: its message, the link to the page it is about, and for a
    follower the link that ends the subscription. The links are never cut; the message is
    shortened so that all of it fits in one SMS (160 GSM characters)."""
    kind = notices.get(template)
    if kind.bare:
        message = render_text(f"notifications/{template}/sms.txt", context)
        return sms.compose(message, limit=sms.CONVERSATION_MAX_LENGTH)
    link = absolute(kind.path(context), context["site_url"])
    # A text that writes the link itself gets it once, at the end, where it is never cut.
    message = render_text(f"notifications/{template}/sms.txt", context).replace(link, "")
    tail = " " + link
    if context.get("stop_url"):
        stop = render_text("notifications/sms_unsubscribe.txt", context).strip()
        tail += "\n" + stop
    # Measured with a real code's length; the placeholder is put back for the cache.
    real_tail = sms.to_gsm(tail.replace(STOP, "x" * stop_length))
    text = sms.compose(message, real_tail)
    return text[: len(text) - len(real_tail)] + sms.to_gsm(tail)


def _digest_line(notification: Notification, language: str) -> dict[str, str]:
    with translation.override(language):
        subject = render_text(
            f"notifications/{notification.template}/subject.txt", notification.context
        )
    return {"title": " ".join(subject.split()), "url": notification.context.get("url", "")}


def unsubscribe_url(delivery: Delivery) -> str:
    token = delivery.subscription.token  # type: ignore[union-attr]
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})
