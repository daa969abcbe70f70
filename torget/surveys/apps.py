from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "torget.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.surveys import (
            builder_views,
            notices,  # noqa: F401 (registers its notice kinds; answer)
            permissions,  # noqa: F401 (registers its rules)
            results_demo,  # noqa: F401 (registers the demo loader "survey-results")
            results_views,
            sms_demo,  # noqa: F401 (registers the SMS survey's demo)
        )

        # The surveys of a dialogue on its staff and public pages, and the published
        # summaries on the public page.
        sections.register(sections.STAFF, builder_views.staff_section, order=15)
        sections.register(sections.PUBLIC, builder_views.public_section, order=15)
        sections.register(sections.PUBLIC, results_views.dialogue_section, order=17)
        _register_notices()

    def on_tick(self) -> dict[str, Any]:
        """The notifications worker's sweep: SMS surveys' reminders (one per number) and the
        erasure of the numbers of SMS surveys that have closed."""
        from torget.surveys import sms

        return {"sms": sms.on_tick()}


def _register_notices() -> None:
    from torget.notifications import notices

    # sms: each message of an SMS survey's conversation (a question, a help, the thanks),
    # written by torget.surveys.sms and sent as it is.
    notices.register(
        "surveys.sms",
        example={"message": "Hur tar du dig oftast till centrum?\nA) Buss\nB) Bil\nC) Cykel"},
        bare=True,
    )
