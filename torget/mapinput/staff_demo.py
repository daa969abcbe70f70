"""Demo of the map's staff side: in the school yard map, a point and a comment waiting in
the moderators' queue, and the point about the missing pavement turned into a fault report
(linked both ways)."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.feedback.models import Category as FaultCategory
from torget.feedback.models import CategoryUse
from torget.mapinput import staff_services
from torget.mapinput.demo import TITLE
from torget.mapinput.models import Comment, Map, Point, Status

PENDING_TEXT = "Bilarna parkerar på trottoaren vid grinden varje morgon."
PENDING_COMMENT = "Det stämmer, och bussen kommer inte fram."


@demo.register("mapinput-staff", after=["mapinput", "feedback"])
def load(context: DemoContext) -> None:
    map_ = Map.objects.filter(title=TITLE).first()
    if map_ is None:
        return
    official = context.users[Role.OFFICIAL]
    maja = context.users[Role.CITIZEN]
    now = timezone.now()
    first = Point.objects.filter(map=map_, status=Status.PUBLISHED).order_by("created_at").first()
    if first is not None and not Point.objects.filter(map=map_, comment=PENDING_TEXT).exists():
        Point.objects.create(
            map=map_,
            category=first.category,
            shape=first.shape,
            geometry={"type": "Point", "coordinates": [first.lon + 0.0004, first.lat - 0.0003]},
            lat=first.lat - 0.0003,
            lon=first.lon + 0.0004,
            comment=PENDING_TEXT,
            author=maja,
            shown_name=f"{maja.display_name or maja.full_name}, Berga",
            status=Status.PENDING,
            age_band="30-44",
            created_at=now - datetime.timedelta(hours=3),
        )
        Comment.objects.create(
            point=first,
            author=maja,
            shown_name=f"{maja.display_name or maja.full_name}, Berga",
            text=PENDING_COMMENT,
            status=Status.PENDING,
            created_at=now - datetime.timedelta(hours=2),
        )
        context.changes += 1
    line = Point.objects.filter(map=map_, shape="linje", case__isnull=True).first()
    category = (
        FaultCategory.objects.filter(use=CategoryUse.FAULT, is_active=True).order_by("name").first()
    )
    if (
        line is not None
        and category is not None
        and not Point.objects.filter(map=map_, case__isnull=False).exists()
    ):
        staff_services.point_report_fault(point=line, actor=official, category=category)
        context.changes += 1
