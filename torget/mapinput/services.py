"""Writes of the map's public side: a citizen places a point, a line or an area; others agree
with it (once each) and comment on it. Each checks who may write (DOMAIN §7: a verified
e-mail address at least, an e-ID step of its own when the map asks for it), that the map is
open, the per-person and per-IP limits, and records the audit entry in the same transaction."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.accounts.types import Actor, User
from torget.audit import services as audit
from torget.core import images, ratelimit
from torget.geo.models import Area
from torget.geo.population import AGE_BANDS
from torget.mapinput import counters, selectors
from torget.mapinput import geometry as drawings
from torget.mapinput.models import (
    Agree,
    Category,
    Comment,
    Identification,
    Map,
    Moderation,
    Point,
    Shape,
    Status,
)
from torget.mapinput.permissions import can_view_public

IP_SALT = "torget.mapinput.ip"


def ip_hash(ip: str) -> str:
    """A keyed hash of the address: enough to count and to spot a flood, never the address."""
    return salted_hmac(IP_SALT, ip or "", algorithm="sha256").hexdigest() if ip else ""


def allowed_shapes(map_: Map) -> set[str]:
    shapes = {Shape.POINT.value}
    if map_.allow_lines:
        shapes.add(Shape.LINE.value)
    if map_.allow_areas:
        shapes.add(Shape.AREA.value)
    return shapes


def refusal(map_: Map, actor: Actor, *, verified: Any = None) -> str:
    """Why `actor` may not write on the map now, in words for the page; "" when they may.
    The codes are read by the pages: "closed", "sign-in", "verify-email", "e-id"."""
    if not can_view_public(map_) or not map_.is_open():
        return "closed"
    if not isinstance(actor, User) or not actor.is_active:
        return "sign-in"
    if not actor.is_email_verified:
        return "verify-email"
    # DOMAIN §7: when the official chooses e-ID, a fresh e-ID step in this browser.
    if map_.identification == Identification.EID and verified is None:
        return "e-id"
    return ""


REFUSALS = {
    "closed": gettext_lazy("Kartan tar inte emot markeringar just nu."),
    "sign-in": gettext_lazy("Logga in för att markera eller kommentera."),
    "verify-email": gettext_lazy("Bekräfta din e-postadress först."),
    "e-id": gettext_lazy("Legitimera dig med e-legitimation först."),
}


def _require_writer(map_: Map, actor: Actor, *, verified: Any) -> User:
    reason = refusal(map_, actor, verified=verified)
    if reason == "closed":
        raise ValidationError(_("Kartan tar inte emot markeringar just nu."))
    if reason:
        raise PermissionDenied(str(REFUSALS[reason]))
    assert isinstance(actor, User)  # noqa: S101 (refusal() returned "" only for a User)
    return actor


def _limit(scope: str, user: User, ip: str, *, per_user: int, per_ip: int) -> None:
    hits = [(f"{scope}-user", str(user.pk), per_user)]
    if ip:
        hits.append((f"{scope}-ip", ip, per_ip))
    if not ratelimit.hit_all(hits):
        raise ValidationError(
            _("Du har skrivit många gånger på kort tid. Vänta en stund och försök igen.")
        )


def _shown_name(shown_name: str, user: User) -> str:
    name = " ".join((shown_name or "").split())[:80]
    return name or user.public_name


def place_point(map_: Map, area_id: Any) -> dict[str, Any]:
    """The GeoJSON point of a place from the list of places (an area's representative point),
    refused when it is not one of the map's places."""
    try:
        pk = int(area_id)
    except (TypeError, ValueError):
        pk = 0
    place = next((p for p in selectors.places(map_) if p.pk == pk), None)
    if place is None:
        raise ValidationError({"place": _("Välj en plats i listan.")})
    return {"type": "Point", "coordinates": [place.lon, place.lat]}


@transaction.atomic
def point_create(
    *,
    map_: Map,
    actor: Actor,
    category: Category | None,
    comment: str,
    geometry: Any = None,
    place: Area | int | None = None,
    address: str = "",
    photo: Any = None,
    age_band: str = "",
    shown_name: str = "",
    verified: Any = None,
    ip: str = "",
) -> Point:
    """A citizen's point, line or area on the map. `geometry` is GeoJSON drawn on the map;
    without it, `place` (an area from the map's list of places) puts a point in that place.
    Anything outside the map's area is refused (DOMAIN §7). With pre-moderation the point
    waits for a moderator; otherwise it is published at once."""
    user = _require_writer(map_, actor, verified=verified)
    errors: dict[str, list[str]] = {}
    if category is None or category.map_id != map_.pk:
        errors.setdefault("category", []).append(_("Välj en av kartans kategorier."))
    comment = (comment or "").strip()
    if not comment:
        errors.setdefault("comment", []).append(_("Skriv en kommentar."))
    address = " ".join((address or "").split())[:200]
    if age_band and age_band not in AGE_BANDS:
        errors.setdefault("age_band", []).append(_("Välj en åldersgrupp i listan."))
    if not map_.ask_age_band:
        age_band = ""
    drawing = None
    try:
        if geometry in (None, "", {}) and place not in (None, ""):
            place_id = place.pk if isinstance(place, Area) else place
            geometry = place_point(map_, place_id)
        if geometry in (None, "", {}):
            raise ValidationError(
                {"geometry": _("Välj en plats i listan, eller markera platsen på kartan.")}
            )
        drawing = drawings.parse_drawing(
            geometry, allowed=drawings.allowed_shape(map_), shapes=allowed_shapes(map_)
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    stored_photo = None
    if photo:
        if not map_.allow_photos:
            errors.setdefault("photo", []).append(_("Den här kartan tar inte emot foton."))
        else:
            try:
                processed = images.process(photo)
            except images.ImageError as error:
                errors.setdefault("photo", []).append(str(error))
            else:
                stored_photo = processed.file
                stored_photo.name = "photo" + processed.extension
    if errors:
        raise ValidationError(errors)
    assert drawing is not None  # noqa: S101 (no errors means a drawing)
    _limit(
        "map-point",
        user,
        ip,
        per_user=settings.MAP_POINTS_PER_HOUR,
        per_ip=settings.MAP_POINTS_PER_IP_PER_HOUR,
    )
    point = Point(
        map=map_,
        category=category,
        shape=drawing.shape,
        geometry=drawing.geometry,
        lat=drawing.lat,
        lon=drawing.lon,
        address=address,
        comment=comment,
        author=user,
        shown_name=_shown_name(shown_name, user),
        age_band=age_band,
        status=Status.PENDING if map_.moderation == Moderation.PRE else Status.PUBLISHED,
        ip_hash=ip_hash(ip),
    )
    if stored_photo is not None:
        point.photo = stored_photo
    point.full_clean()
    point.save()
    audit.record(
        actor=user,
        action="mapinput.point_created",
        obj=point,
        changes={"map": map_.pk, "shape": point.shape, "status": point.status},
    )
    return point


def _require_published(point: Point) -> None:
    if point.status != Status.PUBLISHED:
        raise ValidationError(_("Markeringen går inte att svara på."))


def point_agree(*, point: Point, actor: Actor, verified: Any = None) -> bool:
    """`actor` agrees with a published point, once (the database keeps it once, also when
    the button is pressed many times at once). True when this was a new agree."""
    user = _require_writer(point.map, actor, verified=verified)
    _require_published(point)
    if point.author_id == user.pk:
        raise ValidationError(_("Du kan inte hålla med din egen markering."))
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the race's loser rolls back only this
                Agree.objects.create(point=point, user=user)
        except IntegrityError:
            return False
        counters.point_recount(point)
        audit.record(actor=user, action="mapinput.point_agreed", obj=point)
    return True


@transaction.atomic
def comment_add(
    *,
    point: Point,
    actor: Actor,
    text: str,
    shown_name: str = "",
    verified: Any = None,
    ip: str = "",
) -> Comment:
    user = _require_writer(point.map, actor, verified=verified)
    _require_published(point)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    _limit(
        "map-comment",
        user,
        ip,
        per_user=settings.MAP_POINTS_PER_HOUR,
        per_ip=settings.MAP_POINTS_PER_IP_PER_HOUR,
    )
    comment = Comment(
        point=point,
        author=user,
        shown_name=_shown_name(shown_name, user),
        text=text,
        status=Status.PENDING if point.map.moderation == Moderation.PRE else Status.PUBLISHED,
        ip_hash=ip_hash(ip),
    )
    comment.full_clean()
    comment.save()
    if comment.status == Status.PUBLISHED:
        counters.point_recount(point)
    audit.record(
        actor=user,
        action="mapinput.comment_added",
        obj=point,
        changes={"comment": comment.pk, "status": comment.status},
    )
    return comment
