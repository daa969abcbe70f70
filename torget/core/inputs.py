"""Each kind of input that every path reads — forms, Open311, the API — parsed in one place.

An outside probe found the same mistakes made in many views: `"²".isdigit()` is true but
`int("²")` fails; 5,000 nines exceed Python's limit for `int()`; a year 9999 overflows date
arithmetic; an e-mail address of 320 characters is valid by the RFC but longer than the 254
that fits in a mailbox and the database; control characters pass forms that never check
for them. So each kind has one parser here, and the rest of Torget uses these:

- `parse_id` / `IdField` / `ids_from`: database ids, ASCII digits only, within 64 bits;
- `EmailField`: at most 254 characters, everywhere;
- `parse_date` / `DateField` / `DateTimeField` / `MonthField`: dates between `DATE_MIN` and
  `DATE_MAX`;
- `clean_text` / `validate_text`: text without control characters (tab and line breaks
  allowed);
- `PhoneField`: a telephone number that exists;
- `next_path`: where to go back to after a form: a path on this site, nothing else.

`install()` (run by `CoreConfig.ready`) gives every form field of Django's own kinds the
text and date checks as default validators, so a ModelForm, the admin and any form written
later get them without remembering to.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date as django_parse_date
from django.utils.dateparse import parse_datetime as django_parse_datetime
from django.utils.translation import gettext_lazy as _

# --- Ids ------------------------------------------------------------------------------------

ID_MAX = 2**63 - 1  # BigAutoField; SQLite's and PostgreSQL's bigint
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value: Any) -> int | None:
    """A database id from text, or None for anything that is not one (never an exception)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= ID_MAX else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def ids_from(values: Iterable[Any]) -> list[int]:
    """The valid ids among several values (a query string's `?omrade=1&omrade=x`)."""
    return [number for value in values if (number := parse_id(value)) is not None]


class IdField(forms.Field):
    """A database id in a form (hidden inputs, `item=` and `attachment=` in staff POSTs)."""

    default_error_messages = {"invalid": _("Det valda alternativet finns inte.")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


# --- E-mail ---------------------------------------------------------------------------------

EMAIL_MAX = 254  # RFC 5321's path limit, and every e-mail column in Torget


class EmailField(forms.EmailField):
    """An e-mail address of at most 254 characters (Django's form field allows 320)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["max_length"] = min(kwargs.get("max_length") or EMAIL_MAX, EMAIL_MAX)
        super().__init__(**kwargs)


def parse_email(value: Any) -> str:
    """An e-mail address from an API parameter, or a ValidationError."""
    return str(EmailField().clean(value))


# --- Text -----------------------------------------------------------------------------------

# C0 controls except tab, line feed and carriage return; DEL; C1 controls. NUL is among them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_text(value: Any) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Texten innehåller otillåtna tecken (styrtecken). Ta bort dem och försök igen."),
            code="control_characters",
        )


def clean_text(value: Any, *, max_length: int | None = None) -> str:
    """Text from outside forms (API parameters): stripped, no control characters, not too
    long; a ValidationError says what is wrong."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    validate_text(text)
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            _("Texten är för lång: högst %(max)d tecken.") % {"max": max_length},
            code="max_length",
        )
    return text


# --- Dates ----------------------------------------------------------------------------------

# Wide enough for birth dates and long plans, narrow enough that adding a year or a few
# months never leaves what `datetime` can hold.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)


def _out_of_range() -> ValidationError:
    return ValidationError(
        _("Välj ett datum mellan %(min)s och %(max)s.")
        % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        code="date_range",
    )


def validate_date_range(value: Any) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not DATE_MIN <= day <= DATE_MAX:
        raise _out_of_range()


def parse_date(value: Any) -> datetime.date:
    """A date (YYYY-MM-DD) within range, or a ValidationError."""
    try:
        day = django_parse_date(str(value).strip())
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("Skriv datumet som ÅÅÅÅ-MM-DD."), code="invalid")
    validate_date_range(day)
    return day


def parse_datetime(value: Any) -> datetime.datetime:
    """A moment (ISO 8601, or a date meaning its midnight) within range, made aware in the
    current time zone when it has none; or a ValidationError."""
    text = str(value).strip()
    try:
        moment = django_parse_datetime(text)
        day = None if moment else django_parse_date(text)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise ValidationError(
            _("Skriv datum och tid enligt ISO 8601, till exempel 2026-11-29T10:00:00+01:00."),
            code="invalid",
        )
    validate_date_range(moment)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class DateField(forms.DateField):
    default_validators = [validate_date_range]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_date_range]


MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends); cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "inputmode": "numeric"})

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        match = MONTH.fullmatch(text)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
            raise ValidationError(
                _("Skriv månaden som år och månad, till exempel 2026-01."), code="invalid"
            )
        month = datetime.date(int(match[1]), int(match[2]), 1)
        validate_date_range(month)
        return month

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value


# --- Telephone numbers ---------------------------------------------------------------------


MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def parse_phone(value: Any, *, region: str = "SE", mobile: bool = False) -> str:
    """A telephone number that exists, as E.164 ("+46132000000"). Any kind will do for a
    call; `mobile=True` asks for one that can take an SMS."""
    text = str(value or "").strip()
    try:
        number = phonenumbers.parse(text[:40], region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Skriv ett telefonnummer som finns, till exempel 013-20 00 00 eller 070-123 45 67."),
            code="invalid_phone",
        )
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("Numret går inte att skicka sms till. Skriv ett mobilnummer."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneField(forms.CharField):
    """A telephone number; cleaned to E.164 ("+46132000000")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.input_type = "tel"  # type: ignore[attr-defined]

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return parse_phone(text) if text else ""


# --- Every form ------------------------------------------------------------------------------


def _integer_key(field: forms.ModelChoiceField) -> bool:  # type: ignore[type-arg]
    model = field.queryset.model  # type: ignore[union-attr]
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    return key.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
    }


def _checked_choice(original: Any) -> Any:
    def to_python(self: forms.ModelChoiceField, value: Any) -> Any:  # type: ignore[type-arg]
        # "²" or 30 digits reach the database as a number it can't hold (OverflowError on
        # SQLite, DataError on PostgreSQL) unless refused here as the choice it isn't.
        if (
            value not in self.empty_values
            and isinstance(value, str)
            and _integer_key(self)
            and parse_id(value) is None
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value[:50]},
            )
        return original(self, value)

    to_python.checked = True  # type: ignore[attr-defined]
    return to_python


def _checked_choices(original: Any) -> Any:
    def check_values(self: forms.ModelMultipleChoiceField, value: Any) -> Any:  # type: ignore[type-arg]
        if isinstance(value, list | tuple) and _integer_key(self):
            for one in value:
                if isinstance(one, str) and parse_id(one) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": one[:50]},
                    )
        return original(self, value)

    check_values.checked = True  # type: ignore[attr-defined]
    return check_values


def install() -> None:
    """Make Django's own field classes check text, dates and ids the way the fields above
    do, so a form that uses them directly (a ModelForm, the admin) is covered too."""
    if not getattr(forms.ModelChoiceField.to_python, "checked", False):
        forms.ModelChoiceField.to_python = _checked_choice(  # type: ignore[method-assign]
            forms.ModelChoiceField.to_python
        )
    multiple: Any = forms.ModelMultipleChoiceField  # _check_values is not in the stubs
    if not getattr(multiple._check_values, "checked", False):
        multiple._check_values = _checked_choices(multiple._check_values)
    if validate_text not in forms.CharField.default_validators:
        forms.CharField.default_validators = [
            *forms.CharField.default_validators,
            validate_text,
        ]
    for field_class in (forms.DateField, forms.DateTimeField):
        if validate_date_range not in field_class.default_validators:
            field_class.default_validators = [
                *field_class.default_validators,
                validate_date_range,
            ]


def next_path(candidate: str | None, *, host: str, secure: bool) -> str | None:
    """A "next" address sent with a form, if it is a path on this site ("/…"), else None.

    Only a path: `redirect()` would take any other word for a view's name and fail on it
    (`"²"`), and a full address could lead off the site.
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    candidate = (candidate or "").strip()
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={host}, require_https=secure):
        return None
    return candidate
