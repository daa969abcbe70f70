from django.db.models import QuerySet

from torget.geo.models import Area


def areas_public() -> QuerySet[Area]:
    return Area.objects.select_related("parent")
