"""Personnummer and samordningsnummer: parsing, validation and the keyed hash we store.

Accepted forms: YYMMDD-NNNN, YYMMDD+NNNN (the "+" marks someone aged 100 or more),
YYYYMMDDNNNN, YYYYMMDD-NNNN and YYMMDDNNNN. A samordningsnummer has 60 added to the day.
The number itself is never stored: only `pin_key()`, an HMAC with a secret from settings, so
one person's duplicates are detectable and the number cannot be read from the database.
"""

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$")


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


def parse(value: str, *, today: datetime.date | None = None) -> PersonalNumber:
    """Parse and validate; raises ValidationError with a message for the citizen."""
    today = today or timezone.localdate()
    compact = re.sub(r"\s", "", value or "")
    match = _PATTERN.match(compact)
    if not match:
        raise ValidationError(
            _("Skriv personnumret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."), code="format"
        )
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
    """The keyed hash stored instead of the number (HMAC-SHA256, hex)."""
    return hmac.new(
        settings.IDENTITY_HASH_KEY.encode(), digits.encode(), hashlib.sha256
    ).hexdigest()


def with_check_digit(nine: str) -> str:
    """Complete YYMMDDNNN with its check digit (for demo data and tests)."""
    for last in "0123456789":
        if luhn_ok(nine + last):
            return nine + last
    raise AssertionError("unreachable")
