"""The map's public pages: the map with its published points, the accessible list with the
same content, a point with its comments, and the placing form (which works without
JavaScript: a place from the list of places; the map only enhances it). Views parse a form,
call one service, and redirect with a message."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.dialogues.models import Dialogue
from torget.identity.selectors import fresh_verification
from torget.mapinput import selectors, services
from torget.mapinput.models import HideReason, Map, Point, Status
from torget.mapinput.permissions import can_view_public
from torget.mapinput.public_forms import CommentForm, PointForm

PER_PAGE = 20
GEOJSON_MAX_AGE = 30  # seconds a shared cache may keep the feed; a hidden point goes soon


# --- Section on the dialogue's public page ------------------------------------------------------


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Karta" on the dialogue's public page: its maps, linked, with their period."""
    if not dialogue.is_public:
        return ""
    maps = selectors.maps_public_of(dialogue)
    if not maps:
        return ""
    return render_to_string(
        "mapinput/public_section.html",
        {"maps": maps, "dialogue": dialogue, "today": timezone.localdate()},
        request=request,
    )


# --- Helpers ------------------------------------------------------------------------------------


def _verified(request: HttpRequest) -> Any:
    return fresh_verification(request)


def _refusal(request: HttpRequest, map_: Map) -> str:
    return services.refusal(map_, request.user, verified=_verified(request))


def _refusal_link(request: HttpRequest, reason: str, next_path: str) -> str:
    """Where to go to be allowed: sign in, confirm the e-mail address, or an e-ID step."""
    query = "?" + urlencode({"next": next_path})
    if reason == "sign-in":
        return reverse("accounts:login") + query
    if reason == "verify-email":
        return reverse("accounts:my_pages")
    if reason == "e-id":
        return reverse("identity:choose") + query
    return ""


def _ip(request: HttpRequest) -> str:
    return ratelimit.client_ip(request)


def _map_context(request: HttpRequest, map_: Map) -> dict[str, Any]:
    reason = _refusal(request, map_)
    place_url = reverse("mapinput:place", kwargs={"dialogue_pk": map_.dialogue_id, "pk": map_.pk})
    return {
        "map": map_,
        "dialogue": map_.dialogue,
        "refusal": reason,
        "refusal_text": services.REFUSALS.get(reason, ""),
        "refusal_link": _refusal_link(request, reason, place_url),
        "place_url": place_url,
        "list_url": reverse(
            "mapinput:list", kwargs={"dialogue_pk": map_.dialogue_id, "pk": map_.pk}
        ),
        "geojson_url": reverse(
            "mapinput:geojson", kwargs={"dialogue_pk": map_.dialogue_id, "pk": map_.pk}
        ),
        "area_geojson": selectors.area_geojson(map_),
        "area_names": [area.name for area in services.drawings.map_areas(map_)],
        "rules_url": reverse("forum:rules"),
    }


# --- Public pages -------------------------------------------------------------------------------


@require_GET
def map_page(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    map_ = selectors.access_map_public(dialogue_pk, pk)
    counts = selectors.category_counts(map_)
    categories = [
        (category, counts.get(category.pk, 0)) for category in selectors.categories_of(map_)
    ]
    context = _map_context(request, map_) | {
        "categories": categories,
        "total": sum(counts.values()),
    }
    return render(request, "mapinput/map.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    map_ = selectors.access_map_public(dialogue_pk, pk)
    context = _map_context(request, map_)
    reason = context["refusal"]
    if reason:
        if request.method == "POST":
            messages.error(request, str(context["refusal_text"]))
            if context["refusal_link"]:
                return redirect(context["refusal_link"])
            return redirect(map_.get_absolute_url())
        return render(request, "mapinput/place.html", context | {"form": None})
    places = selectors.places(map_)
    form = PointForm(
        request.POST or None,
        request.FILES or None,
        map_=map_,
        places=places,
        actor=request.user,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                point = services.point_create(
                    map_=map_,
                    actor=request.user,
                    verified=_verified(request),
                    ip=_ip(request),
                    **form.service_values(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error) or _("Du kan inte markera på kartan."))
                return redirect(map_.get_absolute_url())
            else:
                if point.status == Status.PUBLISHED:
                    messages.success(request, _("Tack! Din markering visas nu på kartan."))
                    return redirect(point.get_absolute_url())
                messages.success(
                    request,
                    _("Tack! Din markering visas på kartan när en moderator har granskat den."),
                )
                return redirect(map_.get_absolute_url())
        status = 400
    return render(
        request,
        "mapinput/place.html",
        context
        | {
            "form": form,
            "places_json": json.dumps({str(p.pk): [p.lat, p.lon] for p in places}),
        },
        status=status,
    )


def _int_or_none(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@require_GET
def point_list(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    map_ = selectors.access_map_public(dialogue_pk, pk)
    order = request.GET.get("ordning", selectors.DEFAULT_ORDER)
    if order not in selectors.ORDERS:
        order = selectors.DEFAULT_ORDER
    categories = selectors.categories_of(map_)
    category = _int_or_none(request.GET.get("kategori"))
    if category not in {c.pk for c in categories}:
        category = None
    points = selectors.published_points(map_, order=order, category=category)
    page = Paginator(points, PER_PAGE).get_page(request.GET.get("sida"))
    places = selectors.places(map_)
    rows = [(point, selectors.place_name(point, places)) for point in page.object_list]
    orders = [
        ("nyast", _("Nyast först")),
        ("flest-haller-med", _("Flest håller med")),
        ("flest-kommentarer", _("Flest kommentarer")),
    ]
    context = _map_context(request, map_) | {
        "page_obj": page,
        "rows": rows,
        "categories": categories,
        "category": category,
        "order": order,
        "orders": orders,
    }
    return render(request, "mapinput/list.html", context)


@require_GET
def geojson(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    map_ = selectors.access_map_public(dialogue_pk, pk)
    response = HttpResponse(
        selectors.points_geojson(map_), content_type="application/geo+json; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=GEOJSON_MAX_AGE)
    return response


def _point_page(
    request: HttpRequest,
    point: Point,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    map_ = point.map
    reason = _refusal(request, map_)
    if comment_form is None and not reason:
        comment_form = CommentForm(actor=request.user)
    places = selectors.places(map_)
    return render(
        request,
        "mapinput/point.html",
        {
            "point": point,
            "map": map_,
            "dialogue": map_.dialogue,
            "place_name": selectors.place_name(point, places),
            "geometry_json": json.dumps(point.geometry),
            "comments": selectors.visible_comments(point),
            "hide_reasons": dict(HideReason.choices),
            "has_agreed": selectors.has_agreed(point, request.user),
            "is_own": request.user.is_authenticated and point.author_id == request.user.pk,
            "refusal": reason,
            "refusal_text": services.REFUSALS.get(reason, ""),
            "refusal_link": _refusal_link(request, reason, point.get_absolute_url()),
            "comment_form": comment_form,
            "list_url": reverse(
                "mapinput:list", kwargs={"dialogue_pk": map_.dialogue_id, "pk": map_.pk}
            ),
        },
        status=status,
    )


@require_GET
def point(request: HttpRequest, pk: int) -> HttpResponse:
    return _point_page(request, selectors.access_point_public(pk))


def _refused(request: HttpRequest, point: Point, error: Exception) -> HttpResponse:
    reason = _refusal(request, point.map)
    messages.error(request, str(getattr(error, "message", "") or error) or _("Det gick inte."))
    link = _refusal_link(request, reason, point.get_absolute_url())
    return redirect(link or point.get_absolute_url())


@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.access_point_public(pk)
    try:
        added = services.point_agree(point=point, actor=request.user, verified=_verified(request))
    except PermissionDenied as error:
        return _refused(request, point, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(point.get_absolute_url())
    if added:
        messages.success(request, _("Du håller med om markeringen."))
    else:
        messages.info(request, _("Du har redan sagt att du håller med."))
    return redirect(point.get_absolute_url() + "#hall-med")


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.access_point_public(pk)
    reason = _refusal(request, point.map)
    if reason:
        return _refused(request, point, PermissionDenied(str(services.REFUSALS[reason])))
    form = CommentForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            added = services.comment_add(
                point=point,
                actor=request.user,
                text=form.cleaned_data["text"],
                shown_name=form.cleaned_data["shown_name"],
                verified=_verified(request),
                ip=_ip(request),
            )
        except PermissionDenied as error:
            return _refused(request, point, error)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if added.status == Status.PUBLISHED:
                messages.success(request, _("Tack! Din kommentar visas nu."))
            else:
                messages.success(
                    request, _("Tack! Din kommentar visas när en moderator har granskat den.")
                )
            return redirect(point.get_absolute_url() + "#kommentarer")
    return _point_page(request, point, comment_form=form, status=400)


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    point = selectors.access_point_public(pk)
    return serve_file(point.photo, public=can_view_public(point.map), content_type="image/jpeg")
