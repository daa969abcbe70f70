from typing import Any

from django.core.management.base import BaseCommand

from torget.notifications.sending import prune


class Command(BaseCommand):
    help = (
        "Gallra utskick: ta bort leveransposter äldre än NOTIFICATIONS_RETENTION_DAYS. "
        "Gallringsplanen gör det varje natt med sin egen frist "
        "(run_retention --kind notifications.deliveries)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = prune()
        self.stdout.write(
            f"Removed {removed['deliveries']} delivery records and {removed['notifications']} notifications."
        )
