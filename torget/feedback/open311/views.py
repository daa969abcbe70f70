"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the fault reports.

Thin views: parse the parameters (parsing.py), read through the selectors or create through
`services.case_create`, render XML or JSON (render.py). Errors are Open311 error lists with
400, 403 or 404.
"""

import functools
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from torget.core import ratelimit
from torget.feedback import services
from torget.feedback.models import Kind, Source
from torget.feedback.open311 import render
from torget.feedback.open311 import selectors as open311_selectors
from torget.feedback.open311.keys import api_client_for_key
from torget.feedback.open311.parsing import (
    Open311Error,
    lenient_param,
    param,
    parse_new_request,
    parse_search,
    service_errors,
)
from torget.organisation.selectors import municipality_get

# When this interface last changed in a way clients can see (the discovery "changeset").
CHANGESET = "2026-11-29T00:00:00+01:00"

View = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[View], View]:
    """The format from the extension (XML when there is none; 404 for one we don't speak),
    the allowed methods, and Open311Error as an error list in the same format."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, fmt: str | None = None, **kwargs: Any
        ) -> HttpResponse:
            fmt = (fmt or "xml").lower()
            if fmt not in render.FORMATS:
                return render.errors(
                    "xml",
                    404,
                    [_("Okänt format: %(format)s. Använd xml eller json.") % {"format": fmt}],
                )
            if request.method not in methods:
                response = render.errors(fmt, 405, [_("Metoden stöds inte här.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as error:
                return render.errors(fmt, error.status, error.descriptions)

        return wrapper

    return decorator


def _photo_url(request: HttpRequest) -> Callable[[str], str]:
    # The public photo view's address (never /media/: see photo_views.py), made absolute.
    return request.build_absolute_uri


SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@open311_view("GET", "HEAD")
def root(request: HttpRequest, fmt: str) -> HttpResponse:
    """/open311/v2/ itself: the discovery document, so a client given only the base address
    finds the endpoints and the specification. There is no extension here, so the format is
    `?format=json` or an Accept header that prefers JSON; XML otherwise."""
    wanted = (param(request.GET, "format") or "").lower()
    if wanted not in render.FORMATS:
        wanted = "json" if _prefers_json(request.headers.get("Accept", "")) else "xml"
    response = discovery(request, fmt=wanted)
    response["Vary"] = "Accept"
    response["Link"] = f'<{SPECIFICATION}>; rel="service-doc"'
    return response


def _prefers_json(accept: str) -> bool:
    for part in accept.split(","):
        kind = part.split(";", 1)[0].strip().lower()
        if kind in ("application/json", "text/json"):
            return True
        if kind in ("text/xml", "application/xml"):
            return False
    return False


@open311_view("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = municipality_get()
    contact = ", ".join(part for part in (municipality.email, municipality.phone) if part)
    base = request.build_absolute_uri(reverse("feedback:open311:discovery", kwargs={"fmt": fmt}))
    return render.respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": _(
                "Nycklar för att skicka felanmälningar lämnas ut av kommunen. Kontakta %(contact)s."
            )
            % {"contact": contact or municipality.name},
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rsplit("/", 1)[0],
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@open311_view("GET", "HEAD")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(
        fmt,
        "services",
        [
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.description,
                "metadata": bool(getattr(category, "has_attributes", False)),
                "type": "realtime",
                "keywords": category.keywords,
                "group": category.group,
            }
            for category in open311_selectors.services()
        ],
    )


@open311_view("GET", "HEAD")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = open311_selectors.service(code)
    if category is None:
        raise Open311Error(404, _("service_code: det finns ingen tjänst med den koden."))
    return render.respond(
        fmt,
        "service_definition",
        {
            "service_code": category.code,
            "attributes": [
                {
                    "variable": attribute.variable,
                    "code": attribute.code,
                    "datatype": attribute.datatype,
                    "required": attribute.required,
                    "datatype_description": attribute.datatype_description,
                    "order": attribute.order,
                    "description": attribute.description,
                    "values": [
                        {"key": str(value.get("key", "")), "name": str(value.get("name", ""))}
                        for value in attribute.values
                        if isinstance(value, dict)
                    ],
                }
                for attribute in category.attributes.all()
            ],
        },
    )


@csrf_exempt
@open311_view("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    found = open311_selectors.requests_search(parse_search(request.GET))
    photo_url = _photo_url(request)
    return render.respond(
        fmt,
        "service_requests",
        [render.service_request(case, photo_url=photo_url) for case in found],
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    client = api_client_for_key(lenient_param(request.POST, request.GET, "api_key"))
    if client is None:
        raise Open311Error(403, _("api_key: saknas eller är fel."))
    # jurisdiction_id is accepted and needs no check: this server serves one municipality.
    limit = settings.OPEN311_POSTS_PER_MINUTE
    if not ratelimit.hit("open311", str(client.pk), limit=limit, window=60):
        raise Open311Error(429, _("För många felanmälningar på kort tid. Försök igen om en minut."))
    code = param(request.POST, "service_code")
    if code is None:
        raise Open311Error(400, _("service_code: ange vilken tjänst felanmälan gäller."))
    category = open311_selectors.service(code)
    if category is None:
        raise Open311Error(400, _("service_code: det finns ingen tjänst med den koden."))
    new = parse_new_request(request.POST, category)
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            case = services.case_create(
                kind=Kind.FAULT,
                source=Source.OPEN311,
                api_client=client,
                category=new.category,
                description=new.description,
                lat=new.lat,
                lon=new.lon,
                address=new.address,
                attributes=new.attributes,
                reporter_name=new.reporter_name,
                reporter_email=new.reporter_email,
                reporter_phone=new.reporter_phone,
                reply_channel=new.reply_channel,
                media_url=new.media_url,
                api_token=token,
            )
    except services.CaseError as error:
        raise service_errors(error.message_dict) from error
    return render.respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": case.number,
                "token": token,
                "service_notice": _(
                    "Felanmälan %(number)s är mottagen. Kommunen svarar senast %(date)s."
                )
                % {"number": case.number, "date": case.respond_by.isoformat()},
                "account_id": None,
            }
        ],
    )


@open311_view("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    case = open311_selectors.request_public(number)
    if case is None:
        raise Open311Error(
            404, _("service_request_id: det finns ingen publik felanmälan med det numret.")
        )
    return render.respond(
        fmt, "service_requests", [render.service_request(case, photo_url=_photo_url(request))]
    )


@open311_view("GET", "HEAD")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    number = open311_selectors.case_number_for_token(token)
    if number is None:
        raise Open311Error(404, _("token: okänd token."))
    return render.respond(fmt, "service_requests", [{"service_request_id": number, "token": token}])
