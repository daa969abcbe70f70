"""Open311 answers as XML (required, the default) or JSON, and what a service request shows.

A document is a list (XML: a root element with one child per item, named by ITEM_TAGS;
JSON: a bare array) or a dict (XML: the root element's children; JSON: an object). Nested
lists inside an item follow the same rule. Everything is UTF-8, dates ISO 8601 with the
time zone.
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from torget.feedback.models import Case, CasePhoto

FORMATS = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Characters XML 1.0 cannot carry at all (a client's text may hold them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def when(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return when(value) or ""
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, content: Any) -> None:
    if isinstance(content, dict):
        for tag, value in content.items():
            _fill(ET.SubElement(element, tag), value)
    elif isinstance(content, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for value in content:
            _fill(ET.SubElement(element, tag), value)
    else:
        element.text = _text(content)


def to_xml(root: str, content: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, content)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return when(value)
    return str(value)


def to_json(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, default=_json_default).encode()


def respond(fmt: str, root: str, content: Any, *, status: int = 200) -> HttpResponse:
    body = to_json(content) if fmt == "json" else to_xml(root, content)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    return respond(
        fmt,
        "errors",
        [{"code": status, "description": description} for description in descriptions],
        status=status,
    )


# --- A service request -------------------------------------------------------------------------

ADDRESS_ID_PREFIX = "adress-id: "


def status_notes(case: Case) -> str:
    """The status's name and the municipality's latest public reply, if there is one."""
    reply = (getattr(case, "latest_public_reply", "") or "").strip()
    return f"{case.status.name}. {reply}" if reply else case.status.name


def expected(case: Case) -> datetime.datetime | None:
    """The end of the day the first response is due, while one is still awaited."""
    if not case.is_open or case.first_response_at is not None:
        return None
    return timezone.make_aware(datetime.datetime.combine(case.respond_by, datetime.time(23, 59)))


def service_request(case: Case, *, photo_url: Callable[[str], str]) -> dict[str, Any]:
    """What anyone may see of a public fault report: never the reporter's name, contact
    details or own text — `description` is only what the municipality published."""
    photo = ""
    if getattr(case, "first_public_photo", "") and getattr(case, "first_public_photo_pk", None):
        photo = CasePhoto(
            pk=case.first_public_photo_pk,  # type: ignore[attr-defined]
            case=case,
            image=case.first_public_photo,  # type: ignore[attr-defined]
        ).public_url()
    address_id = ""
    address = case.address
    if address.startswith(ADDRESS_ID_PREFIX):
        address_id, address = address.removeprefix(ADDRESS_ID_PREFIX), ""
    return {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.public_description,
        "agency_responsible": case.administration.name,
        "service_notice": "",
        "requested_datetime": case.created_at,
        "updated_datetime": case.updated_at,
        "expected_datetime": expected(case),
        "address": address,
        "address_id": address_id,
        "zipcode": "",
        "lat": case.lat,
        "long": case.lon,
        # A published photo of ours; else the link the reporting app sent, as the app sent it.
        "media_url": photo_url(photo) if photo else case.media_url,
    }
