"""The privacy scan: finds personal data in what Torget publishes (API responses, bulk
exports, feeds, public statistics). Used by the tests that walk every public response built
from the demo and the fixtures.

What counts as personal: an e-mail address (except those the caller allows, such as the
municipality's own public addresses), a mobile phone number, a personal identity number
(with a valid check digit), and the names of private persons, that is of every account that
is not staff and of what citizens typed as their name elsewhere (`extra_names`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from torget.accounts.roles import STAFF_ROLES
from torget.identity.personnummer import luhn_ok

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Swedish mobile numbers (07x…, +467x…), however spaced or hyphenated.
MOBILE = re.compile(r"(?<![\d+])(?:\+46|0046|0)\s?7[02369](?:[\s-]?\d){7}(?!\d)")
# 10 or 12 digits, with or without the hyphen (or + for those over 100): checked with Luhn.
PIN = re.compile(
    r"(?<![\w.,:/-])(?:19|20)?(\d{2}(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01]))[-+]?(\d{4})(?![\w.,:/-])"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.value!r} in {self.where}"


def private_names(extra_names: Iterable[str] = ()) -> set[str]:
    """The names of private persons known to the database: every account without a staff
    role (citizens), by its full and its shown name, plus `extra_names`. Names shorter than
    five letters are skipped (they match ordinary words)."""
    names = set(extra_names)
    staff_groups = [role.value for role in STAFF_ROLES]
    users = (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .exclude(groups__name__in=staff_groups)
    )
    for full_name, display_name in users.values_list("full_name", "display_name"):
        names.update([full_name, display_name])
    return {name.strip() for name in names if name and len(name.strip()) >= 5}


def scan(
    text: str,
    *,
    where: str = "",
    names: Iterable[str] = (),
    allowed_emails: Iterable[str] = (),
) -> list[Finding]:
    """Personal data in `text`: an empty list when there is none."""
    allowed = {email.lower() for email in allowed_emails}
    found = [
        Finding("e-post", match, where)
        for match in EMAIL.findall(text)
        if match.lower() not in allowed
    ]
    found += [Finding("mobilnummer", match.group(0), where) for match in MOBILE.finditer(text)]
    for match in PIN.finditer(text):
        if luhn_ok(match.group(1) + match.group(2)):
            found.append(Finding("personnummer", match.group(0), where))
    # A name as a whole word: "Ellen" is a citizen's name, but not in "tabellen".
    lowered = text.lower()
    found += [
        Finding("namn", name, where)
        for name in names
        if re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered)
    ]
    return found
