from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "torget.councils"
    label = "councils"
    verbose_name = _("Råd")

    def ready(self) -> None:
        from torget.councils import (
            notices,  # noqa: F401 (registers its notice kinds)
            permissions,
            selectors,
        )
        from torget.meetings import bodies, minutes
        from torget.organisation.models import BodyKind

        # A council's meetings are its body's meetings: coordinators plan them, the utskott
        # of the area reads them, no citizens' third, and approved minutes go to the utskott.
        bodies.register(
            BodyKind.STANDING_COUNCIL,
            bodies.BodyMeetings(
                can_plan=permissions.plans_council_meetings,
                can_read=permissions.reads_council_meetings,
                citizens_third=False,
                on_documentation_approved=_minutes_approved,
            ),
        )
        # The council's members on its body's page under /om/organisation/.
        from torget.councils import views
        from torget.organisation import sections

        sections.register(views.body_section, order=5)
        # The safety councils' minutes on the agenda of the utskott's next meeting.
        minutes.register_minutes_source(selectors.minutes_to_utskott)
        # A council stays tied to the utskott that covers its area, whatever changes.
        from django.db.models.signals import post_save

        from torget.geo.models import Area
        from torget.organisation.models import Body

        post_save.connect(_utskott_or_area_saved, sender=Body, dispatch_uid="councils_body")
        post_save.connect(_utskott_or_area_saved, sender=Area, dispatch_uid="councils_area")


def _utskott_or_area_saved(
    sender: type, instance: object, raw: bool = False, **kwargs: object
) -> None:
    from torget.councils import services
    from torget.organisation.models import BodyKind

    if raw or getattr(instance, "kind", None) == BodyKind.STANDING_COUNCIL:
        return
    services.councils_retie()


def _minutes_approved(meeting: object, actor: object) -> None:
    from torget.councils import services

    services.minutes_send_to_utskott(meeting=meeting, actor=actor)  # type: ignore[arg-type]
