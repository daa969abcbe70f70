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
