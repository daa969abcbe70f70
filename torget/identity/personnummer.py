"""Personnummer and samordningsnummer: parsing, validation and the keyed hash we store.

Accepted forms: YYMMDD-NNNN, YYMMDD+NNNN (the "+" marks someone aged 100 or more),
YYYYMMDDNNNN, YYYYMMDD-NNNN and YYMMDDNNNN. A samordningsnummer has 60 added to the day.
As Skatteverket defines it, the separator turns to "+" in the year the person turns 100:
without the century, "-" (or none) means the latest such year not in the future and "+" a
century earlier. With the century, "+" is accepted from that year on and refused before it
(code "separator"): on someone younger it means the number was misread or made up.
The number itself is never stored: only `pin_key()`, an HMAC with a secret from settings, so
one person's duplicates are detectable and the number cannot be read from the database.

Every way in (the e-ID forms, the broker's claim, staff's assisted support, the residents'
register) goes through `parse`, which reduces the many spellings of one number to one
canonical form before anything is hashed: ASCII digits, twelve of them, century worked out.
Digits of any script (Arabic-Indic ٠١٢, full-width ０１２, Devanagari …) count as the digits
they are; dash and plus look-alikes count as "-" and "+"; whitespace and invisible
direction marks are dropped. Otherwise one person could support the same proposal once per
script (issue 15; DOMAIN §2: a support counts once per person).
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ASCII only: the input has been reduced to ASCII digits, "-" and "+" before it is matched.
_PATTERN = re.compile(r"^([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{4})$")
_CANONICAL = re.compile(r"^[0-9]{12}$")

# Longer than any spacing of a number anyone types or pastes (the form allows as much): a
# longer value is refused before it is looked at character by character.
MAX_INPUT_LENGTH = 40

# The hyphen, minus and dash look-alikes a keyboard, a word processor or an e-ID broker may
# put between the date and the last four digits.
_DASHES = frozenset(
    "-"
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, non-breaking hyphen, figure/en/em dash, bar
    "\u2212"  # minus sign
    "\ufe58\ufe63\uff0d"  # small em dash, small hyphen-minus, full-width hyphen-minus
)
_PLUSES = frozenset("+\ufe62\uff0b")  # plus, small plus, full-width plus
# Invisible characters that come along when a number is copied from right-to-left text or a
# web page: zero-width space/joiners, direction marks and embeddings, word joiner, BOM.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _format_error() -> ValidationError:
    return ValidationError(
        _("Skriv personnumret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."), code="format"
    )


def canonical_characters(value: Any) -> str:
    """The value with every decimal digit as ASCII, every separator as "-" or "+", and no
    whitespace or invisible marks; raises ValidationError (code "format") for anything else.

    Only decimal digits (Unicode category Nd) count: "²" or "①" are digits to Unicode, but
    not digits anyone writes a personnummer with.
    """
    if not isinstance(value, str) or len(value) > MAX_INPUT_LENGTH:
        raise _format_error()
    out = []
    for char in value:
        if char.isascii() and char.isdigit():
            out.append(char)
        elif char.isspace() or char in _INVISIBLE:
            continue
        elif char in _DASHES:
            out.append("-")
        elif char in _PLUSES:
            out.append("+")
        else:
            # None for anything that is not a decimal digit (surrogates and NUL included).
            decimal = unicodedata.decimal(char, None)
            if decimal is None:
                raise _format_error()
            out.append(str(decimal))
    return "".join(out)


@dataclass(frozen=True)
class PersonalNumber:
    """A valid personnummer or samordningsnummer, normalised to twelve digits."""

    digits: str  # YYYYMMDDNNNN
    birth_date: datetime.date
    is_coordination_number: bool

    def __str__(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"

    @property
    def key(self) -> str:
        return pin_key(self.digits)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Whole years between a birth date and a day (a birthday counts on the day itself)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(digits):
        n = int(char) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def parse(value: Any, *, today: datetime.date | None = None) -> PersonalNumber:
    """Parse and validate; raises ValidationError with a message for the citizen, and
    nothing else, whatever `value` is (a broker's claim may be any JSON value)."""
    today = today or timezone.localdate()
    match = _PATTERN.fullmatch(canonical_characters(value))
    if not match:
        raise _format_error()
    century, yy, mm, dd, sep, tail = match.groups()
    ten = f"{yy}{mm}{dd}{tail}"
    if not luhn_ok(ten):
        raise ValidationError(
            _("Personnumret stämmer inte. Kontrollera siffrorna."), code="checksum"
        )
    day = int(dd)
    coordination = day > 60
    if coordination:
        day -= 60
    if century:
        year = int(century + yy)
        # Skatteverket writes "+" from the year the person turns 100; with the century given
        # it adds nothing, but a "+" on someone younger says the number was misread.
        if sep == "+" and today.year - year < 100:
            raise ValidationError(
                _(
                    "Plustecknet används bara för den som fyller 100 år i år eller är äldre. "
                    "Skriv ett bindestreck i stället."
                ),
                code="separator",
            )
    else:
        # Without a century: the latest year that is not in the future, one century earlier
        # when the number carries "+" (100 years or older).
        year = (today.year // 100) * 100 + int(yy)
        if year > today.year:
            year -= 100
        if sep == "+":
            year -= 100
    try:
        born = datetime.date(year, int(mm), day)
    except ValueError:
        raise ValidationError(
            _("Personnumret innehåller inget giltigt datum."), code="date"
        ) from None
    if born > today:
        raise ValidationError(_("Personnumret innehåller ett datum i framtiden."), code="future")
    return PersonalNumber(
        digits=f"{year:04d}{mm}{dd}{tail}", birth_date=born, is_coordination_number=coordination
    )


def pin_key(digits: str) -> str:
    """The keyed hash stored instead of the number (HMAC-SHA256, hex), of its canonical
    twelve ASCII digits only: any other spelling would give the same person a second key."""
    if not isinstance(digits, str) or not _CANONICAL.fullmatch(digits):
        raise ValueError("pin_key takes the twelve canonical digits (see parse)")
    return hmac.new(
        settings.IDENTITY_HASH_KEY.encode(), digits.encode(), hashlib.sha256
    ).hexdigest()


def with_check_digit(nine: str) -> str:
    """Complete YYMMDDNNN with its check digit (for demo data and tests)."""
    for last in "0123456789":
        if luhn_ok(nine + last):
            return nine + last
    raise AssertionError("unreachable")
