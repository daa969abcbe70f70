from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Drift: what the people who run Torget look at, not its users: /healthz for the load
    balancer and /metrics for Prometheus. On top of the layers beside the site shell, since it
    reads the outbox, the task queue and the supports."""

    name = "torget.operations"
    label = "operations"
    verbose_name = _("Drift")
