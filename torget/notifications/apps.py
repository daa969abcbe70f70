from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role

if TYPE_CHECKING:
    from torget.accounts.models import User


class NotificationsConfig(AppConfig):
    name = "torget.notifications"
    label = "notifications"
    verbose_name = _("Utskick och bevakningar")
    role_permissions = {
        Role.OFFICIAL: ["notifications.view_delivery"],
        Role.CONTACT_CENTRE: ["notifications.view_delivery", "notifications.retry_delivery"],
        # They call meetings and send to the utskott and councils, and follow what went out.
        Role.SAFETY_COORDINATOR: ["notifications.view_delivery"],
        Role.UTSKOTT_COORDINATOR: ["notifications.view_delivery"],
    }

    def ready(self) -> None:
        from torget.accounts import mail
        from torget.geo.models import Area
        from torget.notifications import registry, services
        from torget.organisation.models import Topic

        mail.sender_register(services.notify)
        _register_notices()

        registry.register("omrade", Area, label=_("Område"), widen=_area_and_surroundings)
        registry.register("amne", Topic, label=_("Ämne"))

    def export_personal_data(self, user: "User") -> list[dict[str, Any]]:
        from torget.notifications.selectors import subscriptions_of

        return [
            {
                "follows": str(s.target),
                "email": s.by_email,
                "sms": s.by_sms,
                "phone": s.phone,
                "phone_confirmed": s.phone_confirmed_at is not None,
                "frequency": s.frequency,
                "since": s.created_at.isoformat(),
            }
            for s in subscriptions_of(user)
        ]

    def on_account_closed(self, user: "User") -> None:
        from torget.notifications.models import Subscription

        Subscription.objects.filter(user=user).delete()


def _area_and_surroundings(area: Any) -> list[Any]:
    """Something happening in Berga concerns followers of Berga and of every area it lies in."""
    areas = []
    while area is not None:
        areas.append(area)
        area = area.parent
    return areas


def _register_notices() -> None:
    from torget.notifications import notices
    from torget.notifications.models import Channel

    # Messages that prove an address go only to that address: e-mail for the account's and
    # the subscription's confirmations, SMS for the code that confirms a phone number.
    email = Channel.EMAIL
    notices.register(
        "accounts.verify_email", example={"url": "/konto/bekrafta/abc/", "days": 3}, proves=email
    )
    notices.register(
        "accounts.password_reset", example={"url": "/konto/losenord/abc/"}, proves=email
    )
    notices.register(
        "accounts.already_registered",
        example={"reset_url": "/konto/losenord/"},
        link="reset_url",
        proves=email,
    )
    subscription = {
        "target": "Berga",
        "url": "/bevakning/bekrafta/abc/",
        "municipality_name": "Storeby kommun",
    }
    notices.register("notifications.confirm_subscription", example=subscription, proves=email)
    notices.register("notifications.already_subscribed", example=subscription, proves=email)
    # The code goes to a number nobody has vouched for yet: no link into the subscription.
    notices.register(
        "notifications.phone_code",
        example={"code": "042917", "minutes": 15, "municipality_name": "Storeby kommun"},
        link=None,
        proves=Channel.SMS,
    )
    # The answer to STOPP, the last SMS a stopped number gets.
    notices.register("notifications.sms_stopped", example={}, bare=True)
    # The weekly and daily digests to a follower who chose one, by the follower's channels.
    digest = {
        "target": "Berga",
        "url": "/omraden/berga/",
        "items": [
            {
                "title": "Nu kan du delta: Trygghet och trafik kring Berga centrum",
                "url": "/dialoger/12/",
            },
            {
                "title": "Beslut efter medborgardialogen: Lekplatsen i Bergaparken",
                "url": "/dialoger/9/",
            },
        ],
    }
    notices.register("notifications.digest", example=digest, followers=True)
    notices.register("notifications.daily_digest", example=digest, followers=True)
