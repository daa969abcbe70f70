"""Public pages of synpunkter och felanmälan: "one way in" (seed 002).

The reporter follows their case through a private link (/arende/<token>/) without an
account; fault reports are public on a map and a list, with no personal data.
"""

import json
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from torget.core import images, ratelimit
from torget.core.forms import apply_service_errors
from torget.core.http import protect_secret_page
from torget.core.paging import LIST_MAX_ROWS, CappedPaginator
from torget.feedback import selectors, services
from torget.feedback.forms import CaseForm, FaultForm
from torget.feedback.models import OPINION_KINDS, Kind
from torget.feedback.permissions import can_handle
from torget.geo.models import Area
from torget.organisation.selectors import municipality_get

DRAFT_DIR = services.DRAFT_PHOTO_DIR
DRAFT_SESSION_KEY = "feedback_draft_photos"
OPINION_SLUGS = {kind.value: kind for kind in OPINION_KINDS}


def _public(response: HttpResponse, *, max_age: int = 30) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """ "Vad vill du göra?" — one entry that leads to the right form."""
    return render(
        request,
        "feedback/start.html",
        {
            "opinion_kinds": [
                (
                    kind,
                    {
                        Kind.COMPLAINT: _(
                            "Något fungerar inte som det ska i kommunens verksamhet."
                        ),
                        Kind.QUESTION: _("Du undrar något om kommunens verksamhet."),
                        Kind.SUGGESTION: _("Du har en idé om hur något kan bli bättre."),
                        Kind.PRAISE: _("Något eller någon har gjort ett bra jobb."),
                    }[kind],
                )
                for kind in OPINION_KINDS
            ],
        },
    )


# --- Photos kept between the form's rounds -----------------------------------------------------


def _drafts(request: HttpRequest) -> list[dict[str, Any]]:
    drafts = request.session.get(DRAFT_SESSION_KEY)
    if not isinstance(drafts, list):
        return []
    return [
        d
        for d in drafts
        if isinstance(d, dict) and str(d.get("name", "")).startswith(DRAFT_DIR + "/")
    ]


def _drafts_discard(request: HttpRequest, keep: list[dict[str, Any]] | None = None) -> None:
    keep = keep or []
    for draft in _drafts(request):
        if draft not in keep:
            default_storage.delete(draft["name"])
    if keep:
        request.session[DRAFT_SESSION_KEY] = keep
    else:
        request.session.pop(DRAFT_SESSION_KEY, None)


def _drafts_add(request: HttpRequest, processed: list[images.ProcessedImage]) -> None:
    drafts = _drafts(request)
    for photo in processed:
        name = default_storage.save(f"{DRAFT_DIR}/{secrets.token_hex(16)}.jpg", photo.file)
        drafts.append({"name": name, "gps": list(photo.gps) if photo.gps else None})
    request.session[DRAFT_SESSION_KEY] = drafts


def _draft_files(request: HttpRequest) -> list[ContentFile]:
    files = []
    for draft in _drafts(request):
        try:
            with default_storage.open(draft["name"], "rb") as handle:
                files.append(ContentFile(handle.read(), name="photo.jpg"))
        except FileNotFoundError:
            continue
    return files


def _submit_limited(request: HttpRequest) -> bool:
    return not ratelimit.hit(
        "feedback-submit", ratelimit.client_ip(request), limit=settings.FEEDBACK_SUBMIT_RATE_PER_IP
    )


# --- The forms -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def opinion_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in OPINION_SLUGS:
        raise Http404
    return _case_form(request, Kind(OPINION_SLUGS[kind]), CaseForm, "feedback/opinion_form.html")


@require_http_methods(["GET", "POST"])
def fault_create(request: HttpRequest) -> HttpResponse:
    return _case_form(request, Kind.FAULT, FaultForm, "feedback/fault_form.html")


def _case_form(
    request: HttpRequest, kind: Kind, form_class: type[CaseForm], template: str
) -> HttpResponse:
    municipality = municipality_get()
    context: dict[str, Any] = {"kind": kind, "municipality": municipality}

    def page(form: CaseForm, status: int = 200, **extra: Any) -> HttpResponse:
        drafts = _drafts(request)
        context.update(form=form, drafts=drafts, **extra)
        return protect_secret_page(render(request, template, context, status=status))

    if request.method == "GET":
        _drafts_discard(request)
        initial = {}
        if request.GET.get("kategori"):
            initial["category"] = (
                form_class.base_fields["category"]
                .queryset.filter(code=request.GET["kategori"])  # type: ignore[attr-defined]
                .first()
            )
        return page(form_class(initial=initial))

    # Photos the citizen chose to remove from an earlier round.
    remove = set(request.POST.getlist("remove_photo"))
    kept = [d for i, d in enumerate(_drafts(request)) if str(i) not in remove]
    _drafts_discard(request, keep=kept)
    form = form_class(request.POST, request.FILES, kept_photos=len(kept))
    if form.is_spam():
        # Looks accepted to a bot; nothing is saved.
        return HttpResponseRedirect(reverse("feedback:start"))
    valid = form.is_valid()
    # New photos are checked and cleaned now, and kept even if something else is wrong.
    for upload in (
        form.cleaned_data.get("photos", []) if valid or "photos" not in form.errors else []
    ):
        try:
            _drafts_add(request, [images.process(upload)])
        except images.ImageError as error:
            form.add_error("photos", f"{upload.name}: {error}")
            valid = False
    if not valid:
        # A photo taken on the spot knows where it was taken: offer its position for the pin.
        gps = next((d["gps"] for d in _drafts(request) if d.get("gps")), None)
        if kind == Kind.FAULT and gps and set(form.errors) == {"address"}:
            offered = request.POST.copy()
            offered["lat"], offered["lon"] = str(gps[0]), str(gps[1])
            form = form_class(offered, kept_photos=len(_drafts(request)))
            form.is_valid()
            return page(form, status=400, gps_offered=True)
        return page(form, status=400)

    data = form.cleaned_data
    lat, lon = data.get("lat"), data.get("lon")
    if kind == Kind.FAULT and lat is not None and lon is not None and not data.get("not_duplicate"):
        nearby = selectors.open_cases_near(category=data["category"], lat=lat, lon=lon)
        if nearby:
            return page(form, status=200, nearby=nearby)

    if _submit_limited(request):
        return protect_secret_page(render(request, "feedback/limited.html", status=429))
    try:
        case = services.case_create(
            kind=kind,
            category=data["category"],
            description=data["description"],
            lat=lat,
            lon=lon,
            address=data.get("address", ""),
            reporter=request.user,
            reporter_name=data.get("reporter_name", ""),
            reporter_email=data.get("reporter_email", ""),
            reporter_phone=data.get("reporter_phone", ""),
            reply_channel=data["reply_channel"],
            attributes=form.attributes() if isinstance(form, FaultForm) else None,
            photos=_draft_files(request),
            actor=request.user,
        )
    except services.CaseError as error:
        apply_service_errors(form, error)
        return page(form, status=400)
    _drafts_discard(request)
    return redirect("feedback:receipt", token=case.token)


# --- The reporter's own case -----------------------------------------------------------------


@require_safe
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    case = selectors.case_by_token(token)
    return protect_secret_page(
        render(
            request,
            "feedback/receipt.html",
            {"case": case, "follow_link": request.build_absolute_uri(case.follow_url())},
        )
    )


@require_safe
def follow(request: HttpRequest, token: str) -> HttpResponse:
    case = selectors.case_by_token(token)
    return protect_secret_page(
        render(
            request,
            "feedback/follow.html",
            {
                "case": case,
                "updates": selectors.reporter_updates(case),
                "photos": case.photos.all(),
                "public": case.is_public and case.merged_into_id is None,
            },
        )
    )


# --- Public fault reports --------------------------------------------------------------------


@require_safe
def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.public_case(number)
    response = render(
        request,
        "feedback/public_detail.html",
        {
            "case": case,
            "updates": selectors.public_updates(case),
            "photos": case.photos.filter(is_public=True),
            "can_handle": can_handle(request.user, case),
            "geojson": json.dumps(
                {"type": "Point", "coordinates": [case.lon, case.lat]} if case.has_point else None
            ),
        },
    )
    return response if request.user.is_authenticated else _public(response)


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        return None
    return min_lon, min_lat, max_lon, max_lat


@require_safe
def fault_geojson(request: HttpRequest) -> HttpResponse:
    """Public fault reports in a bounding box (?bbox=min_lon,min_lat,max_lon,max_lat), at most
    selectors.MAP_LIMIT of them; `truncated` tells the map to ask the visitor to zoom in."""
    bbox = _bbox(request.GET.get("bbox", ""))
    if bbox is None:
        municipality = municipality_get()
        lat, lon = municipality.map_center_lat, municipality.map_center_lon
        bbox = (lon - 0.5, lat - 0.3, lon + 0.5, lat + 0.3)
    rows = selectors.cases_in_bbox(
        min_lon=bbox[0],
        min_lat=bbox[1],
        max_lon=bbox[2],
        max_lat=bbox[3],
        category=request.GET.get("kategori", "")[:60],
        open_only=request.GET.get("status") == "open",
        limit=selectors.MAP_LIMIT,
    )
    # One reverse() for all the links (case numbers like 2026-00042 are safe in a path).
    head, tail = reverse("feedback:public_detail", kwargs={"number": "NUMBER"}).split("NUMBER")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {
                "number": row["number"],
                "category": row["category__name"],
                "status": row["status__name"],
                "open": row["is_open"],
                "received": row["created_at"].date().isoformat(),
                "url": head + row["number"] + tail,
            },
        }
        for row in rows
    ]
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": features,
            "truncated": len(rows) >= selectors.MAP_LIMIT,
        },
        ensure_ascii=False,
    )
    return _public(HttpResponse(body, content_type="application/geo+json"), max_age=60)


# How deep the public list of fault reports goes (40 pages of 25); then it asks for a filter.
FAULT_LIST_MAX_ROWS = LIST_MAX_ROWS


@require_safe
def fault_map(request: HttpRequest) -> HttpResponse:
    """The map (an enhancement) over a list that works without JavaScript."""
    cases = selectors.cases_public()
    category = request.GET.get("kategori", "")
    area_slug = request.GET.get("omrade", "")
    status = request.GET.get("status", "")
    if category:
        cases = cases.filter(category__code=category)
    if area_slug:
        area = Area.objects.filter(slug=area_slug).first()
        cases = cases.filter(area=area) if area else cases.none()
    if status in ("open", "closed"):
        cases = cases.filter(is_open=status == "open")
    # Counted only as far as the pages go (no COUNT of every report on every page; issue 22).
    paginator = CappedPaginator(
        cases.order_by("-created_at", "-id"), 25, max_rows=FAULT_LIST_MAX_ROWS
    )
    page = paginator.get_page(request.GET.get("sida"))
    response = render(
        request,
        "feedback/fault_map.html",
        {
            "page": page,
            "categories": selectors.fault_categories(),
            "areas": Area.objects.only("name", "slug").order_by("name"),
            "selected": {"kategori": category, "omrade": area_slug, "status": status},
            "geojson_url": reverse("feedback:fault_geojson"),
        },
    )
    return response if request.user.is_authenticated else _public(response)
