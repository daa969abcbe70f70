"""Reading Open311 GeoReport v2 parameters. Clients in the field are old and lenient, so this
is too where the standard allows it: an empty parameter counts as missing, `api_key` and
`jurisdiction_id` may come in the query string, a `+` in a time zone that arrived as a space
is read as the `+` it was. Everything else that is wrong is a 400 with a sentence that names
the parameter."""

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from torget.core import inputs
from torget.feedback.models import (
    DESCRIPTION_MAX,
    AttributeType,
    Category,
    CategoryAttribute,
    ReplyChannel,
)
from torget.notifications import sms
from torget.notifications.phones import normalize_mobile

MAX_RANGE = datetime.timedelta(days=90)  # GeoReport v2: start_date/end_date span
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\d*\])?$")
TEXT_ATTRIBUTE_MAX = 1000


class Open311Error(Exception):
    """One or more errors to answer with, as an Open311 error list."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def param(data: Mapping[str, Any], name: str) -> str | None:
    """A parameter's value, stripped; None when it is missing or empty."""
    value = data.get(name)
    if value is None:
        return None
    value = str(value).strip()
    try:
        inputs.validate_text(value)
    except ValidationError as error:
        raise _bad(name, str(error.messages[0])) from None
    return value or None


def lenient_param(request_data: QueryDict, query: QueryDict, name: str) -> str | None:
    """From the body, or else the query string (old clients put api_key there)."""
    return param(request_data, name) or param(query, name)


def _message(name: str, text: str) -> str:
    return f"{name}: {text}"


def _bad(name: str, text: str) -> Open311Error:
    return Open311Error(400, _message(name, text))


# --- Searching ---------------------------------------------------------------------------------


def parse_datetime_param(name: str, value: str) -> datetime.datetime:
    # "2026-11-29T10:00:00+01:00" sent unencoded arrives with a space for the "+".
    text = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$", r"\1+\2", value)
    try:
        return inputs.parse_datetime(text)
    except ValidationError as error:
        raise _bad(name, str(error.messages[0])) from None


@dataclass
class Search:
    numbers: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    open: bool | None = None  # None: both open and closed


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def parse_search(data: Mapping[str, Any], *, now: datetime.datetime | None = None) -> Search:
    """GET requests: service_request_id overrides every other filter; otherwise a window of
    at most 90 days (the last 90 by default), the service codes and open/closed."""
    numbers = _comma_list(param(data, "service_request_id"))
    if numbers:
        return Search(numbers=numbers)
    now = now or timezone.now()
    raw_start, raw_end = param(data, "start_date"), param(data, "end_date")
    start = parse_datetime_param("start_date", raw_start) if raw_start else None
    end = parse_datetime_param("end_date", raw_end) if raw_end else None
    if end is None:
        end = now if start is None else start + MAX_RANGE
    if start is None:
        start = end - MAX_RANGE
    if end < start:
        raise _bad("end_date", _("slutet ligger före början (start_date)."))
    if end - start > MAX_RANGE:
        raise _bad("end_date", _("start_date och end_date får ligga högst 90 dagar isär."))
    if raw_end and parse_date(raw_end) is not None:
        # A day as end_date means the whole of that day.
        end = end + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    statuses = {part.lower() for part in _comma_list(param(data, "status"))}
    if statuses - {"open", "closed"}:
        raise _bad("status", _("ange open, closed eller båda."))
    return Search(
        service_codes=_comma_list(param(data, "service_code")),
        start=start,
        end=end,
        open=None if len(statuses) != 1 else statuses == {"open"},
    )


# --- Creating ----------------------------------------------------------------------------------


@dataclass
class NewRequest:
    """What case_create needs, read from a POST requests body."""

    category: Category
    description: str
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    reply_channel: str = ReplyChannel.NONE
    media_url: str = ""


def _coordinate(data: Mapping[str, Any], name: str, limit: float) -> float | None:
    raw = param(data, name)
    if raw is None:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise _bad(name, _("ange ett tal i decimalgrader (WGS 84)."))
    return value


def attribute_values(data: QueryDict) -> dict[str, list[str]]:
    """attribute[code]=v and attribute[code][]=v1&attribute[code][]=v2, by code; empty
    values are left out."""
    found: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            values = [v.strip() for v in data.getlist(key) if v.strip()]
            for value in values:
                try:
                    inputs.validate_text(value)
                except ValidationError as error:
                    raise _bad(key, str(error.messages[0])) from None
            if values:
                found.setdefault(match.group(1), []).extend(values)
    return found


def _clean_attribute(attribute: CategoryAttribute, values: list[str]) -> Any:
    name = f"attribute[{attribute.code}]"
    if attribute.datatype == AttributeType.MULTI:
        keys = set(attribute.value_keys())
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise _bad(name, _("okänt val: %(value)s.") % {"value": ", ".join(unknown)})
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise _bad(name, _("frågan tar bara ett svar."))
    value = values[0]
    if attribute.datatype == AttributeType.SINGLE:
        if value not in attribute.value_keys():
            raise _bad(name, _("okänt val: %(value)s.") % {"value": value})
    elif attribute.datatype == AttributeType.NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise _bad(name, _("ange ett tal."))
    elif attribute.datatype == AttributeType.DATETIME:
        return parse_datetime_param(name, value).isoformat()
    if len(value) > TEXT_ATTRIBUTE_MAX:
        raise _bad(name, _("svaret får vara högst %(max)s tecken.") % {"max": TEXT_ATTRIBUTE_MAX})
    return value


def _reply_channel(email: str, phone: str) -> str:
    """Answer by e-mail if the reporter gave one, else by sms to a mobile number (where the
    municipality sends sms), else by a phone call. A number that is no number at all is left to the service to refuse."""
    if email:
        return ReplyChannel.EMAIL
    if not phone:
        return ReplyChannel.NONE
    if not sms.is_enabled():
        # No SMS gateway: an sms would never arrive, so staff call the number instead.
        return ReplyChannel.PHONE
    try:
        normalize_mobile(phone)
    except ValidationError as error:
        return ReplyChannel.PHONE if error.code == "not_mobile" else ReplyChannel.SMS
    return ReplyChannel.SMS


def parse_new_request(data: QueryDict, category: Category) -> NewRequest:
    """The body of POST requests for this (active fault) category. Collects every error."""
    errors: list[str] = []

    def collect(function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Open311Error as error:
            errors.extend(error.descriptions)
            return None

    lat = collect(_coordinate, data, "lat", 90)
    lon = collect(_coordinate, data, "long", 180)
    if (lat is None) != (lon is None) and not errors:
        errors.append(_message("long" if lon is None else "lat", _("ange både lat och long.")))
    address = param(data, "address_string") or ""
    address_id = param(data, "address_id")
    if not address and address_id:
        address = f"adress-id: {address_id}"
    if lat is None and lon is None and not address and not errors:
        errors.append(
            _message("lat", _("ange platsen med lat och long, address_string eller address_id."))
        )

    description = param(data, "description") or ""
    if len(description) > DESCRIPTION_MAX:
        errors.append(
            _message(
                "description",
                _("beskrivningen får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX},
            )
        )
    # GeoReport v2 makes the description optional; the case needs one, so the service's
    # name stands in for it.
    description = description or category.name

    media_url = param(data, "media_url") or ""
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(_message("media_url", _("ange en http- eller https-adress.")))
            media_url = ""

    given = attribute_values(data)
    attributes: dict[str, Any] = {}
    for attribute in category.attributes.all():
        if not attribute.variable:
            continue
        values = given.get(attribute.code)
        if not values:
            if attribute.required:
                errors.append(_message(f"attribute[{attribute.code}]", _("frågan måste besvaras.")))
            continue
        value = collect(_clean_attribute, attribute, values)
        if value is not None:
            attributes[attribute.code] = value

    email = collect(param, data, "email") or ""
    if email:
        try:
            email = inputs.parse_email(email)
        except ValidationError as error:
            errors.append(_message("email", str(error.messages[0])))
    phone = collect(param, data, "phone") or ""
    if errors:
        raise Open311Error(400, *errors)
    name = " ".join(part for part in (param(data, "first_name"), param(data, "last_name")) if part)
    return NewRequest(
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        address=address[:250],
        attributes=attributes,
        reporter_name=name[:120],
        reporter_email=email,
        reporter_phone=phone,
        reply_channel=_reply_channel(email, phone),
        media_url=media_url,
    )


# The service's field names, as the Open311 parameter a client sent.
SERVICE_FIELDS = {
    "description": "description",
    "category": "service_code",
    "lat": "lat",
    "lon": "long",
    "address": "address_string",
    "attributes": "attribute",
    "reporter_name": "first_name",
    "reporter_email": "email",
    "reporter_phone": "phone",
    "media_url": "media_url",
}


def service_errors(message_dict: dict[str, list[str]]) -> Open311Error:
    """The service's CaseError as an Open311 error list."""
    descriptions = []
    for name, messages in message_dict.items():
        for message in messages:
            parameter = SERVICE_FIELDS.get(name)
            descriptions.append(f"{parameter}: {message}" if parameter else message)
    return Open311Error(400, *descriptions)
