from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapinputConfig(AppConfig):
    name = "torget.mapinput"
    label = "mapinput"
    verbose_name = _("Interaktiv karta")

    def ready(self) -> None:
        from torget.dialogues import sections
        from torget.mapinput import (
            permissions,  # noqa: F401 (registers its rules)
            public_views,
        )

        sections.register(sections.PUBLIC, public_views.public_section, order=22)
        _ready_staff_side()

    def export_personal_data(self, user: Any) -> dict[str, Any]:
        """What the person marked and wrote on dialogues' maps, for "Mina sidor"
        (accounts.personal_data_export)."""
        from torget.mapinput.models import Agree, Comment, Point

        return {
            "points": [
                {
                    "map": point.map.title,
                    "category": point.category.name,
                    "geometry": point.geometry,
                    "address": point.address,
                    "comment": point.comment,
                    "shown_name": point.shown_name,
                    "age_band": point.age_band,
                    "status": point.status,
                    "has_photo": bool(point.photo),
                    "marked_at": point.created_at.isoformat(),
                }
                for point in Point.objects.filter(author=user).select_related("map", "category")
            ],
            "comments": [
                {
                    "point": comment.point_id,
                    "text": comment.text,
                    "shown_name": comment.shown_name,
                    "status": comment.status,
                    "written_at": comment.created_at.isoformat(),
                }
                for comment in Comment.objects.filter(author=user)
            ],
            "agrees": Agree.objects.filter(user=user).count(),
        }

    def on_account_closed(self, user: Any) -> None:
        """Points and comments stay (public records); the name the person chose goes, and so
        does the background answer."""
        from torget.mapinput.models import Comment, Point

        closed = str(_("Avslutat konto"))
        Point.objects.filter(author=user).update(shown_name=closed, age_band="")
        Comment.objects.filter(author=user).update(shown_name=closed)


def _ready_staff_side() -> None:
    """The staff side: the notice to an author whose entry was hidden, the maps on the
    dialogue's staff page, the link back from a fault report made from a point, and the demo
    of the queue and of a point turned into a fault report."""
    from torget.dialogues import sections
    from torget.feedback import links
    from torget.mapinput import (
        notices,  # noqa: F401 (registers its notice kinds)
        staff_demo,  # noqa: F401 (registers its demo part)
        staff_views,
    )

    sections.register(sections.STAFF, staff_views.staff_section, order=27)
    links.register_case_link(_point_of_case)


def _point_of_case(case: Any) -> list[Any]:
    """The map point a fault report was made from, on the case's staff page."""
    from django.utils.translation import gettext as _

    from torget.feedback.links import CaseLink
    from torget.mapinput.models import Point
    from torget.mapinput.staff_services import staff_point_url

    point = Point.objects.filter(case=case).select_related("map").first()
    if point is None:
        return []
    label = _("Markering på kartan ”%(map)s”") % {"map": point.map.title}
    return [CaseLink(label=label, url=staff_point_url(point))]
