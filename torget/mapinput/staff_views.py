"""The map's staff pages: set a map up and its categories; the officials' view of the input
(clusters and density, as tables that work without JavaScript and drawn on the map with
it), filtered by category, period, age band and status; the exports; the moderators' queue;
a point as staff see it, with its moderation steps, into the results or the fault reports.
Views parse a form, call one service, and redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.types import Actor
from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.core.richtext import plain_to_html
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.dialogues.permissions import can_work_with
from torget.feedback.permissions import can_handle
from torget.geo.population import age_band_label
from torget.mapinput import exports, geometry, permissions, staff_forms, staff_selectors
from torget.mapinput import staff_services as services
from torget.mapinput.models import Category, Comment, Identification, Map, Moderation, Point, Status

QUEUE_PAGE = 25
POINTS_PAGE = 50

# --- The section on the dialogue's staff page --------------------------------------------------


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    may_work = can_work_with(request.user, dialogue)
    maps = list(staff_selectors.maps_of(dialogue))
    if not maps and not may_work:
        return ""
    return render_to_string(
        "mapinput/staff/section.html",
        {"dialogue": dialogue, "maps": maps, "can_work": may_work},
        request=request,
    )


# --- Setup -------------------------------------------------------------------------------------


def _map_values(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("categories", None)
    data["intro"] = data.get("intro") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_selectors.access_dialogue_for_work(request.user, pk)
    form = staff_forms.MapCreateForm(
        request.POST or None,
        dialogue=dialogue,
        initial={
            "allow_lines": True,
            "allow_areas": True,
            "allow_photos": True,
            "ask_age_band": True,
            "identification": Identification.EMAIL,
            "moderation": Moderation.POST,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            map_ = services.map_create(
                dialogue=dialogue,
                actor=request.user,
                categories=form.cleaned_data["categories"],
                **_map_values(form),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Kartan är skapad. Invånarna kan markera under metodens period.")
            )
            return redirect("mapinput:staff_detail", pk=map_.pk)
    return render(
        request,
        "mapinput/staff/form.html",
        {"dialogue": dialogue, "form": form, "heading": _("Ny karta")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    map_ = staff_selectors.access_map_for_work(request.user, pk)
    form = staff_forms.MapForm(
        request.POST or None, dialogue=map_.dialogue, initial=staff_forms.map_initial(map_)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.map_update(map_=map_, actor=request.user, **_map_values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Kartan är ändrad."))
            return redirect("mapinput:staff_detail", pk=map_.pk)
    return render(
        request,
        "mapinput/staff/form.html",
        {"dialogue": map_.dialogue, "map": map_, "form": form, "heading": _("Ändra kartan")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, rename, move and remove categories. POST `op` says which: "ny", "andra" or
    "ta-bort" (the last two with `category`, the category's id)."""
    map_ = staff_selectors.access_map_for_work(request.user, pk)
    existing = list(map_.categories.all())
    add_form = staff_forms.CategoryForm(prefix="ny")
    bound: dict[int, Any] = {}
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        target = _category_of(existing, request.POST.get("category"))
        if op == "ny":
            add_form = staff_forms.CategoryForm(request.POST, prefix="ny")
            if add_form.is_valid():
                try:
                    services.category_add(map_=map_, actor=request.user, **add_form.cleaned_data)
                except ValidationError as error:
                    apply_service_errors(add_form, error)
                else:
                    messages.success(request, _("Kategorin är tillagd."))
                    return redirect("mapinput:categories", pk=map_.pk)
        elif op == "andra" and target is not None:
            form = staff_forms.CategoryEditForm(request.POST, prefix=f"k{target.pk}")
            bound[target.pk] = form
            if form.is_valid():
                try:
                    services.category_update(
                        category=target, actor=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("Kategorin är ändrad."))
                    return redirect("mapinput:categories", pk=map_.pk)
        elif op == "ta-bort" and target is not None:
            try:
                services.category_remove(category=target, actor=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Kategorin är borttagen."))
            return redirect("mapinput:categories", pk=map_.pk)
        else:
            messages.error(request, _("Välj vad du vill göra med kategorierna."))
            return redirect("mapinput:categories", pk=map_.pk)
        status = 400
    used = set(
        Point.objects.filter(map=map_).order_by().values_list("category_id", flat=True).distinct()
    )
    rows = [
        {
            "category": category,
            "used": category.pk in used,
            "form": bound.get(category.pk)
            or staff_forms.CategoryEditForm(
                prefix=f"k{category.pk}",
                initial={
                    "name": category.name,
                    "description": category.description,
                    "order": place,
                },
            ),
        }
        for place, category in enumerate(existing, start=1)
    ]
    return render(
        request,
        "mapinput/staff/categories.html",
        {"map": map_, "dialogue": map_.dialogue, "rows": rows, "add_form": add_form},
        status=status,
    )


def _category_of(categories: list[Category], value: Any) -> Category | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return next((c for c in categories if c.pk == pk), None)


# --- The officials' view -----------------------------------------------------------------------


def _filter_form(request: HttpRequest, categories: list[Category]) -> staff_forms.FilterForm:
    return staff_forms.FilterForm(request.GET or None, categories=categories)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    map_ = staff_selectors.access_map_for_reading(request.user, pk)
    categories = list(map_.categories.all())
    form = _filter_form(request, categories)
    filters = form.filters()
    view = staff_selectors.overview(map_, filters, categories)
    outline = geometry.allowed_geojson(map_)
    drawing = {
        "outline": outline,
        "clusters": [cell.as_json() for cell in view.clusters],
        "density": [cell.as_json() for cell in view.density],
        "max": view.density_max,
    }
    query = request.GET.copy()
    query.pop("sida", None)
    listed = Paginator(
        staff_selectors.filtered_points(map_, filters)
        .select_related("category")
        .order_by("-created_at", "-id"),
        POINTS_PAGE,
    ).get_page(request.GET.get("sida"))
    return render(
        request,
        "mapinput/staff/detail.html",
        {
            "map": map_,
            "dialogue": map_.dialogue,
            "form": form,
            "filtered": filters.any,
            "view": view,
            "statuses": [(label, view.by_status.get(value, 0)) for value, label in Status.choices],
            "density_rows": view.density[:100],
            "drawing": drawing,
            "can_manage": permissions.can_manage(request.user, map_),
            "pending": staff_selectors.pending_count(map_),
            "export_query": f"?{query.urlencode()}" if query else "",
            "listed": listed,
            "age_band_label": age_band_label,
        },
    )


def _export_name(map_: Map, extension: str) -> str:
    return f"karta-{map_.pk}-{slugify(map_.title)[:40] or 'punkter'}-{timezone.localdate():%Y%m%d}.{extension}"


def _export_points(request: HttpRequest, pk: int) -> tuple[Map, Any]:
    map_ = staff_selectors.access_map_for_reading(request.user, pk)
    form = _filter_form(request, list(map_.categories.all()))
    return map_, staff_selectors.filtered_points(map_, form.filters())


@login_required
@require_GET
def export_geojson(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    map_, points = _export_points(request, pk)
    response = StreamingHttpResponse(
        exports.geojson_chunks(points), content_type="application/geo+json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(map_, "geojson")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    map_, points = _export_points(request, pk)
    response = StreamingHttpResponse(
        exports.csv_lines(points), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(map_, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Moderation --------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    map_ids = staff_selectors.moderated_map_ids(request.user)
    if not map_ids and not can_work_with(request.user, None):
        raise PermissionDenied
    paginator = Paginator(staff_selectors.queue_entries(map_ids), QUEUE_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    return render(
        request,
        "mapinput/staff/queue.html",
        {"page": page, "entries": staff_selectors.queue_page_objects(list(page.object_list))},
    )


def _action(
    form_class: type[Any], call: Any, *, button: Any, danger: bool = False
) -> Action[Point]:
    def take(point: Point, actor: Actor, form: Any) -> str:
        return str(call(point, actor, form.cleaned_data))

    return Action(form_class, take, button=button, danger=danger)


def _comment_of(point: Point, data: dict[str, Any]) -> Comment:
    comment = Comment.objects.filter(point=point, pk=data["comment"]).first()
    if comment is None:
        raise ValidationError({"comment": _("Kommentaren finns inte på den här markeringen.")})
    comment.point = point
    return comment


def _hide(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    services.point_hide(point=point, actor=actor, reason=data["reason"])
    return _("Markeringen är dold. Originalet sparas och skribenten får veta varför.")


def _approve(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    services.point_approve(point=point, actor=actor)
    return _("Markeringen är publicerad.")


def _comment_hide(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    services.comment_hide(comment=_comment_of(point, data), actor=actor, reason=data["reason"])
    return _("Kommentaren är dold. Originalet sparas och skribenten får veta varför.")


def _comment_approve(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    services.comment_approve(comment=_comment_of(point, data), actor=actor)
    return _("Kommentaren är publicerad.")


def _result(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    item = services.point_to_result_item(point=point, actor=actor, **data)
    return _("Markeringen är registrerad som resultatpunkt: %(title)s.") % {"title": item.title}


def _fault(point: Point, actor: Actor, data: dict[str, Any]) -> str:
    case = services.point_report_fault(point=point, actor=actor, category=data["category"])
    return _("Markeringen är felanmäld som ärende %(number)s.") % {"number": case.number}


ACTIONS: dict[str, Action[Point]] = {
    "godkann": _action(
        staff_forms.ConfirmForm, _approve, button=gettext_lazy("Publicera markeringen")
    ),
    "dolj": _action(
        staff_forms.HideForm, _hide, button=gettext_lazy("Dölj markeringen"), danger=True
    ),
    "kommentar-godkann": _action(
        staff_forms.CommentForm, _comment_approve, button=gettext_lazy("Publicera kommentaren")
    ),
    "kommentar-dolj": _action(
        staff_forms.CommentHideForm,
        _comment_hide,
        button=gettext_lazy("Dölj kommentaren"),
        danger=True,
    ),
    "resultat": _action(
        staff_forms.ResultItemForm, _result, button=gettext_lazy("Gör till resultatpunkt")
    ),
    "felanmalan": _action(
        staff_forms.FaultReportForm, _fault, button=gettext_lazy("Gör en felanmälan")
    ),
}
# The steps that only those who manage the map take (moderators take the others).
MANAGER_ACTIONS = {"resultat", "felanmalan"}

AUDIT_LABELS = {
    "mapinput.point_hidden": gettext_lazy("Markeringen doldes"),
    "mapinput.point_approved": gettext_lazy("Markeringen publicerades"),
    "mapinput.comment_hidden": gettext_lazy("En kommentar doldes"),
    "mapinput.comment_approved": gettext_lazy("En kommentar publicerades"),
    "mapinput.point_to_result": gettext_lazy("Blev resultatpunkt"),
    "mapinput.point_fault_reported": gettext_lazy("Blev felanmälan"),
}


def _point_panels(
    request: HttpRequest, point: Point, bound: tuple[str, Any] | None
) -> list[dict[str, Any]]:
    may_moderate = permissions.can_moderate(request.user, point.map)
    may_manage = permissions.can_manage(request.user, point.map)
    offered = []
    if may_moderate:
        if point.status != Status.PUBLISHED:
            offered.append("godkann")
        if point.status != Status.HIDDEN:
            offered.append("dolj")
    if may_manage:
        if point.result_item_id is None:
            offered.append("resultat")
        if point.case_id is None:
            offered.append("felanmalan")
    panels = []
    for name in offered:
        action = ACTIONS[name]
        form = bound[1] if bound and bound[0] == name else action.form_class(prefix=name)
        panels.append(
            {
                "name": name,
                "form": form,
                "button": action.button,
                "danger": action.danger,
                "url": reverse("mapinput:point_action", args=[point.pk, name]),
            }
        )
    return panels


def _point_page(
    request: HttpRequest, point: Point, *, bound: tuple[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    comments = list(point.comments.select_related("hidden_by").order_by("created_at", "id"))
    may_moderate = permissions.can_moderate(request.user, point.map)
    comment_forms: list[dict[str, Any]] = []
    for comment in comments:
        hide = approve = None
        auto_id = f"id_c{comment.pk}_%s"
        if may_moderate and comment.status != Status.HIDDEN:
            hide = staff_forms.CommentHideForm(
                initial={"comment": comment.pk}, prefix="kommentar-dolj", auto_id=auto_id
            )
            if bound and bound[0] == "kommentar-dolj" and _bound_comment(bound[1]) == comment.pk:
                hide = bound[1]
                hide.auto_id = auto_id
        if may_moderate and comment.status != Status.PUBLISHED:
            approve = staff_forms.CommentForm(
                initial={"comment": comment.pk}, prefix="kommentar-godkann", auto_id=auto_id
            )
        comment_forms.append(
            {
                "comment": comment,
                "html": plain_to_html(comment.text),
                "hide": hide,
                "approve": approve,
            }
        )
    # A comment step refused for a comment not on this page (a stale or forged id): its
    # errors at the top, since no comment's form shows them.
    shown = {comment.pk for comment in comments}
    stray_errors: list[str] = []
    if bound and bound[0].startswith("kommentar-") and _bound_comment(bound[1]) not in shown:
        stray_errors = [
            str(message) for messages_ in bound[1].errors.values() for message in messages_
        ]
    elif bound and bound[0] == "kommentar-godkann":
        stray_errors = [
            str(message) for messages_ in bound[1].errors.values() for message in messages_
        ]
    return render(
        request,
        "mapinput/staff/point.html",
        {
            "point": point,
            "map": point.map,
            "dialogue": point.map.dialogue,
            "comments": comment_forms,
            "stray_errors": stray_errors,
            "comment_html": plain_to_html(point.comment),
            "may_open_case": point.case is not None and can_handle(request.user, point.case),
            "panels": _point_panels(request, point, bound),
            "geometry": point.geometry,
            "outline": geometry.allowed_geojson(point.map),
            "audit_entries": audit_log_rows(point, AUDIT_LABELS),
            "age_band": age_band_label(point.age_band) if point.age_band else "",
            "hide_url": reverse("mapinput:point_action", args=[point.pk, "kommentar-dolj"]),
            "approve_url": reverse("mapinput:point_action", args=[point.pk, "kommentar-godkann"]),
        },
        status=status,
    )


def _bound_comment(form: Any) -> int | None:
    try:
        return int(form.data.get(f"{form.prefix}-comment"))
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def staff_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = staff_selectors.access_point_for_reading(request.user, pk)
    return _point_page(request, point)


@login_required
@require_GET
def staff_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    point = staff_selectors.access_point_for_reading(request.user, pk)
    return serve_file(point.photo, public=False, content_type="image/jpeg")


@login_required
@require_POST
def point_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    chosen = action_or_404(ACTIONS, action)
    point = staff_selectors.access_point_for_moderation(request.user, pk)
    if action in MANAGER_ACTIONS and not permissions.can_manage(request.user, point.map):
        raise PermissionDenied
    form = chosen.form_class(request.POST, prefix=action)
    return handle_action_post(
        request,
        point,
        chosen,
        form,
        success_url=reverse("mapinput:staff_point", args=[point.pk]),
        invalid=lambda bad: _point_page(request, point, bound=(action, bad), status=400),
    )
