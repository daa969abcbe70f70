"""The counters on a point (agrees, visible comments), recounted where they change, in the
same transaction, so lists and the GeoJSON feed sort and show counts without counting."""

from torget.mapinput.models import Agree, Comment, Point, Status


def point_recount(point: Point) -> None:
    Point.objects.filter(pk=point.pk).update(
        agree_count=Agree.objects.filter(point=point).count(),
        comment_count=Comment.objects.filter(point=point, status=Status.PUBLISHED).count(),
    )
    point.refresh_from_db(fields=["agree_count", "comment_count"])
