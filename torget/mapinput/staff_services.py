"""The officials' writes on a dialogue's map: set it up (the map and its categories),
moderate what citizens placed and wrote (approve, hide with a reason, the original kept and
the author told why), and take a point further: into the dialogue's results, or into the
fault reports when it is a fault (linked both ways, as a safety inspection's finding is).

Every change is in the audit log (DOMAIN §7, issue 20)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import inputs
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.permissions import can_work_with
from torget.feedback import services as feedback
from torget.feedback.models import Case, CategoryUse, Kind, Source
from torget.feedback.models import Category as FaultCategory
from torget.geo.models import Area
from torget.mapinput import counters, permissions
from torget.mapinput.models import (
    Category,
    Comment,
    HideReason,
    Identification,
    Map,
    Moderation,
    Point,
    Status,
)
from torget.notifications.services import notify
from torget.results import services as results
from torget.results.models import ResultItem

# The settings of a map an official chooses (map_create and map_update take these).
MAP_FIELDS = (
    "title",
    "intro",
    "planned_method",
    "area",
    "allow_lines",
    "allow_areas",
    "allow_photos",
    "ask_age_band",
    "identification",
    "moderation",
)
CATEGORY_NAME_MAX = Category._meta.get_field("name").max_length or 60
MAX_CATEGORIES = 20


def _require_manager(actor: Actor, map_: Map) -> None:
    if not permissions.can_manage(actor, map_):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan ändra kartan."))


def _require_moderator(actor: Actor, map_: Map) -> None:
    if not permissions.can_moderate(actor, map_):
        raise PermissionDenied(_("Bara kartans moderatorer kan granska det som markerats."))


def _snapshot(map_: Map) -> dict[str, Any]:
    values = {name: getattr(map_, name) for name in MAP_FIELDS}
    values["planned_method"] = map_.planned_method_id
    values["area"] = map_.area_id
    return values


def _check_map(values: dict[str, Any], dialogue: Dialogue) -> None:
    errors: dict[str, Any] = {}
    values["title"] = (values.get("title") or "").strip()
    values["intro"] = (values.get("intro") or "").strip()
    if not values["title"]:
        errors["title"] = _("Skriv en rubrik för kartan.")
    for name in ("title", "intro"):
        try:
            inputs.validate_text(values[name])
        except ValidationError as error:
            errors.setdefault(name, error.messages[0])
    method = values.get("planned_method")
    if not isinstance(method, PlannedMethod) or method.dialogue_id != dialogue.pk:
        errors["planned_method"] = _("Välj en av metoderna i dialogens plan.")
    area = values.get("area")
    if area is not None and not isinstance(area, Area):
        errors["area"] = _("Välj ett av områdena.")
    if values.get("identification") not in Identification.values:
        errors["identification"] = _("Välj vem som får markera.")
    if values.get("moderation") not in Moderation.values:
        errors["moderation"] = _("Välj hur kartan modereras.")
    if errors:
        raise ValidationError(errors)


def _clean_category_names(names: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in names:
        name = " ".join((raw or "").split())
        if name and name.casefold() not in {n.casefold() for n in cleaned}:
            cleaned.append(name)
    for name in cleaned:
        if len(name) > CATEGORY_NAME_MAX:
            raise ValidationError(
                {
                    "categories": _("Ett kategorinamn får vara högst %(max)s tecken.")
                    % {"max": CATEGORY_NAME_MAX}
                }
            )
        try:
            inputs.validate_text(name)
        except ValidationError as error:
            raise ValidationError({"categories": error.messages[0]}) from error
    if not cleaned:
        raise ValidationError({"categories": _("Ange minst en kategori, en per rad.")})
    if len(cleaned) > MAX_CATEGORIES:
        raise ValidationError(
            {"categories": _("Högst %(max)s kategorier.") % {"max": MAX_CATEGORIES}}
        )
    return cleaned


# --- Setup -------------------------------------------------------------------------------------


@transaction.atomic
def map_create(
    *,
    dialogue: Dialogue,
    actor: Actor,
    title: str,
    planned_method: PlannedMethod | None,
    categories: Iterable[str],
    intro: str = "",
    area: Area | None = None,
    allow_lines: bool = True,
    allow_areas: bool = True,
    allow_photos: bool = True,
    ask_age_band: bool = True,
    identification: str = Identification.EMAIL,
    moderation: str = Moderation.POST,
) -> Map:
    """A map in a dialogue, open for its planned method's period, with its first
    categories (at least one: a citizen must pick one)."""
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan göra en karta."))
    values: dict[str, Any] = {
        "title": title,
        "intro": intro,
        "planned_method": planned_method,
        "area": area,
        "allow_lines": bool(allow_lines),
        "allow_areas": bool(allow_areas),
        "allow_photos": bool(allow_photos),
        "ask_age_band": bool(ask_age_band),
        "identification": identification,
        "moderation": moderation,
    }
    _check_map(values, dialogue)
    names = _clean_category_names(categories)
    map_ = Map(dialogue=dialogue, created_by=user_or_none(actor), **values)
    map_.full_clean()
    map_.save()
    for order, name in enumerate(names):
        Category.objects.create(map=map_, name=name, order=order)
    audit.record(
        actor=actor,
        action="mapinput.map_created",
        obj=map_,
        changes={"title": map_.title, "dialogue": dialogue.pk, "categories": names},
    )
    return map_


@transaction.atomic
def map_update(*, map_: Map, actor: Actor, **values: Any) -> Map:
    """Change the map's settings (the fields in MAP_FIELDS; others are refused)."""
    _require_manager(actor, map_)
    unknown = set(values) - set(MAP_FIELDS)
    if unknown:
        raise ValueError(f"unknown map fields: {sorted(unknown)}")
    map_ = Map.objects.select_for_update().select_related("dialogue").get(pk=map_.pk)
    before = _snapshot(map_)
    merged = {name: getattr(map_, name) for name in MAP_FIELDS} | values
    _check_map(merged, map_.dialogue)
    for name, value in merged.items():
        setattr(map_, name, value)
    map_.full_clean()
    map_.save()
    changes = audit.diff(before, _snapshot(map_))
    if changes:
        audit.record(actor=actor, action="mapinput.map_updated", obj=map_, changes=changes)
    return map_


def _check_category(map_: Map, name: str, description: str, *, exclude: int | None) -> None:
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Skriv kategorins namn.")
    elif len(name) > CATEGORY_NAME_MAX:
        errors["name"] = _("Högst %(max)s tecken.") % {"max": CATEGORY_NAME_MAX}
    for field, text in (("name", name), ("description", description)):
        try:
            inputs.validate_text(text)
        except ValidationError as error:
            errors.setdefault(field, error.messages[0])
    same = Category.objects.filter(map=map_, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if name and same.exists():
        errors.setdefault("name", _("Kartan har redan en kategori med det namnet."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def category_add(*, map_: Map, actor: Actor, name: str, description: str = "") -> Category:
    _require_manager(actor, map_)
    Map.objects.select_for_update().filter(pk=map_.pk).first()
    name = " ".join((name or "").split())
    description = (description or "").strip()
    _check_category(map_, name, description, exclude=None)
    if map_.categories.count() >= MAX_CATEGORIES:
        raise ValidationError({"name": _("Högst %(max)s kategorier.") % {"max": MAX_CATEGORIES}})
    last = map_.categories.aggregate(last=Max("order"))["last"]
    category = Category(
        map=map_, name=name, description=description, order=0 if last is None else last + 1
    )
    category.full_clean()
    category.save()
    audit.record(
        actor=actor, action="mapinput.category_added", obj=map_, changes={"category": name}
    )
    return category


@transaction.atomic
def category_update(
    *, category: Category, actor: Actor, name: str, description: str = "", order: int | None = None
) -> Category:
    """Rename a category or move it in the list (`order`: its new place, 1 first). A point
    keeps its category, so a new name is what its citizens' points now show."""
    map_ = category.map
    _require_manager(actor, map_)
    Map.objects.select_for_update().filter(pk=map_.pk).first()
    category = Category.objects.get(pk=category.pk)
    name = " ".join((name or "").split())
    description = (description or "").strip()
    _check_category(map_, name, description, exclude=category.pk)
    before = {"name": category.name, "description": category.description}
    category.name = name
    category.description = description
    category.full_clean()
    category.save(update_fields=["name", "description"])
    changes = audit.diff(before, {"name": name, "description": description})
    if order is not None:
        others = [c for c in map_.categories.exclude(pk=category.pk).order_by("order", "id")]
        place = min(max(int(order), 1), len(others) + 1) - 1
        ordered = others[:place] + [category] + others[place:]
        old_place = [c.pk for c in map_.categories.order_by("order", "id")].index(category.pk)
        for index, item in enumerate(ordered):
            if item.order != index:
                Category.objects.filter(pk=item.pk).update(order=index)
        if old_place != place:
            changes["order"] = [old_place + 1, place + 1]
    if changes:
        audit.record(
            actor=actor,
            action="mapinput.category_updated",
            obj=map_,
            changes={"category": category.pk, **changes},
        )
    category.refresh_from_db()
    return category


@transaction.atomic
def category_remove(*, category: Category, actor: Actor) -> None:
    """A category no one has used can go; one with points stays (the points keep it, and
    hidden ones too are kept for the record)."""
    map_ = category.map
    _require_manager(actor, map_)
    if Point.objects.filter(category=category).exists():
        raise ValidationError(
            _("Kategorin har markeringar och kan inte tas bort. Byt namn på den i stället.")
        )
    if map_.categories.count() <= 1:
        raise ValidationError(_("Kartan behöver minst en kategori."))
    name = category.name
    category.delete()
    audit.record(
        actor=actor, action="mapinput.category_removed", obj=map_, changes={"category": name}
    )


# --- Moderation --------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    if reason not in HideReason.values:
        raise ValidationError({"reason": _("Välj ett skäl ur reglerna.")})
    return reason


def _tell_hidden(*, author: Any, map_: Map, what: str, reason: str, text: str, url: str) -> None:
    notify(
        template="mapinput.hidden",
        users=[author],
        context={
            "map": map_.title,
            "what": what,
            "reason": str(HideReason(reason).label),
            "excerpt": text[:200],
            "url": url,
        },
    )


_MODERATION_FIELDS = ["status", "hidden_reason", "hidden_at", "hidden_by"]


def _set_status(entry: Point | Comment, *, status: str, actor: Actor, reason: str = "") -> str:
    """Hide (with its public reason, by whom, when) or publish a point or a comment; the
    status it had before is returned for the audit entry. The text is never touched."""
    before = entry.status
    hiding = status == Status.HIDDEN
    entry.status = status
    entry.hidden_reason = reason if hiding else ""
    entry.hidden_at = timezone.now() if hiding else None
    entry.hidden_by = user_or_none(actor) if hiding else None
    entry.full_clean()
    entry.save(update_fields=_MODERATION_FIELDS)
    return before


@transaction.atomic
def point_hide(*, point: Point, actor: Actor, reason: str) -> Point:
    """Hide a point with a public reason ("Dold av moderator: personangrepp"). The original is
    kept for the record (public records) and the author is told why."""
    _require_moderator(actor, point.map)
    reason = _reason(reason)
    point = Point.objects.select_for_update().select_related("map", "author").get(pk=point.pk)
    if point.status == Status.HIDDEN:
        raise ValidationError(_("Markeringen är redan dold."))
    before = _set_status(point, status=Status.HIDDEN, actor=actor, reason=reason)
    audit.record(
        actor=actor,
        action="mapinput.point_hidden",
        obj=point,
        changes={"status": [before, Status.HIDDEN], "reason": reason},
    )
    _tell_hidden(
        author=point.author,
        map_=point.map,
        what="point",
        reason=reason,
        text=point.comment,
        url=point.get_absolute_url(),
    )
    return point


@transaction.atomic
def point_approve(*, point: Point, actor: Actor) -> Point:
    """Publish a point waiting for review (pre-moderation), or show a hidden one again."""
    _require_moderator(actor, point.map)
    point = Point.objects.select_for_update().get(pk=point.pk)
    if point.status == Status.PUBLISHED:
        raise ValidationError(_("Markeringen är redan publicerad."))
    before = _set_status(point, status=Status.PUBLISHED, actor=actor)
    audit.record(
        actor=actor,
        action="mapinput.point_approved",
        obj=point,
        changes={"status": [before, Status.PUBLISHED]},
    )
    return point


@transaction.atomic
def comment_hide(*, comment: Comment, actor: Actor, reason: str) -> Comment:
    point = comment.point
    _require_moderator(actor, point.map)
    reason = _reason(reason)
    comment = Comment.objects.select_for_update().select_related("author").get(pk=comment.pk)
    if comment.status == Status.HIDDEN:
        raise ValidationError(_("Kommentaren är redan dold."))
    before = _set_status(comment, status=Status.HIDDEN, actor=actor, reason=reason)
    counters.point_recount(point)
    audit.record(
        actor=actor,
        action="mapinput.comment_hidden",
        obj=point,
        changes={"comment": comment.pk, "status": [before, Status.HIDDEN], "reason": reason},
    )
    _tell_hidden(
        author=comment.author,
        map_=point.map,
        what="comment",
        reason=reason,
        text=comment.text,
        url=point.get_absolute_url(),
    )
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment, actor: Actor) -> Comment:
    point = comment.point
    _require_moderator(actor, point.map)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == Status.PUBLISHED:
        raise ValidationError(_("Kommentaren är redan publicerad."))
    before = _set_status(comment, status=Status.PUBLISHED, actor=actor)
    counters.point_recount(point)
    audit.record(
        actor=actor,
        action="mapinput.comment_approved",
        obj=point,
        changes={"comment": comment.pk, "status": [before, Status.PUBLISHED]},
    )
    return comment


# --- Further: results and fault reports --------------------------------------------------------


@transaction.atomic
def point_to_result_item(
    *, point: Point, actor: Actor, title: str, kind: str, politician: Any = None
) -> ResultItem:
    """A question or result of the dialogue made from the point, through the results part's
    own service (which checks the kind: a party-political one needs an elected official who
    raises it); the point keeps the link."""
    map_ = point.map
    _require_manager(actor, map_)
    point = Point.objects.select_for_update().select_related("category").get(pk=point.pk)
    if point.result_item_id is not None:
        raise ValidationError(_("Markeringen är redan en resultatpunkt."))
    description = _(
        "Från kartan ”%(map)s”, kategori %(category)s, %(lat).5f, %(lon).5f:\n\n%(comment)s"
    ) % {
        "map": map_.title,
        "category": point.category.name,
        "lat": point.lat,
        "lon": point.lon,
        "comment": point.comment,
    }
    item = results.item_create(
        dialogue=map_.dialogue,
        actor=actor,
        title=title,
        description=description,
        kind=kind,
        politician=politician,
    )
    point.result_item = item
    point.save(update_fields=["result_item"])
    audit.record(
        actor=actor,
        action="mapinput.point_to_result",
        obj=point,
        changes={"result_item": item.pk, "kind": kind},
    )
    return item


@transaction.atomic
def point_report_fault(*, point: Point, actor: Actor, category: FaultCategory) -> Case:
    """Turn a point that is a fault into a fault report in the chosen fault category, through
    feedback's own service (routing, receipt, number); linked both ways (Point.case, and the
    case's staff page through feedback.links)."""
    map_ = point.map
    _require_manager(actor, map_)
    point = Point.objects.select_for_update().get(pk=point.pk)
    if point.case_id is not None:
        raise ValidationError(_("Markeringen är redan en felanmälan."))
    if not isinstance(category, FaultCategory) or category.use != CategoryUse.FAULT:
        raise ValidationError({"category": _("Välj en kategori för felanmälan.")})
    note = _("Från kartan ”%(map)s” i medborgardialogen ”%(dialogue)s”.") % {
        "map": map_.title,
        "dialogue": map_.dialogue.title,
    }
    try:
        case = feedback.case_create(
            kind=Kind.FAULT,
            category=category,
            description=f"{point.comment}\n\n{note}",
            lat=point.lat,
            lon=point.lon,
            address=point.address,
            area=map_.area,
            source=Source.DIALOGUE,
            actor=actor,
        )
    except ValidationError as error:
        raise ValidationError({"category": error.messages}) from error
    point.case = case
    point.save(update_fields=["case"])
    audit.record(
        actor=actor,
        action="mapinput.point_fault_reported",
        obj=point,
        changes={"case": case.number},
    )
    return case


def staff_point_url(point: Point) -> str:
    return reverse("mapinput:staff_point", kwargs={"pk": point.pk})
