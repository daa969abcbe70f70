from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

BUILD_JOB = "opendata-build"


class OpenDataConfig(AppConfig):
    """Öppna data: the bulk exports, their DCAT-AP-SE catalogue, and the RSS and Atom feeds."""

    name = "torget.opendata"
    label = "opendata"
    verbose_name = _("Öppna data")

    def on_tick(self) -> dict[str, Any]:
        """The worker's sweep: the exports are rebuilt once a night, at OPEN_DATA_BUILD_HOUR
        (and at the first sweep on a site that never built them), by a task of their own."""
        from torget.notifications import sending
        from torget.opendata import exports, tasks

        if not sending.job_is_due(BUILD_JOB, next_run=exports.next_build_time):
            return {}
        tasks.build_exports.enqueue()
        return {"queued": True}
