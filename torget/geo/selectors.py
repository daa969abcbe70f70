from typing import NamedTuple

from django.db.models import QuerySet

from torget.geo.models import Area


def areas_public() -> QuerySet[Area]:
    return Area.objects.select_related("parent")


class AreaFamily(NamedTuple):
    below: list[int]  # the area and every area inside it, at any depth
    above: list[int]  # the area and the areas it lies in, nearest first


def area_family(area: Area) -> AreaFamily:
    """The areas a page about `area` reads from: what happens in Berga happens in Söder too,
    and Söder's utskott is Berga's. One query: the area tree is small (tens or hundreds)."""
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    children: dict[int, list[int]] = {}
    for pk, parent_id in parents.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    below, level = [area.pk], [area.pk]
    while level:
        level = [pk for parent in level for pk in children.get(parent, []) if pk not in below]
        below.extend(level)
    above = [area.pk]
    parent = parents.get(area.pk)
    while parent is not None and parent not in above:
        above.append(parent)
        parent = parents.get(parent)
    return AreaFamily(below=below, above=above)


def areas_within(area_ids: list[int]) -> list[int]:
    """The areas given and every area inside them, at any depth (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found, level = list(dict.fromkeys(area_ids)), list(dict.fromkeys(area_ids))
    while level:
        level = [pk for parent in level for pk in children.get(parent, []) if pk not in found]
        found.extend(level)
    return found
