"""The notices the feedback app sends, with a context as its services write it."""

from collections.abc import Mapping
from typing import Any

from torget.notifications import notices

_CASE = {
    "number": "2026-00042",
    "category": "Gatubelysning",
    "kind": "Felanmälan",
    "follow_url": "/arende/k3Jf9sLq0aZx7YbW1cVd2eUf/",
    "municipality_name": "Storeby kommun",
}


def _merged_into(context: Mapping[str, Any]) -> str:
    return str(context.get("into_url") or context.get("follow_url") or "")


# To the reporter, by the channel they chose when reporting.
notices.register("feedback.received", example=_CASE, link="follow_url")
notices.register(
    "feedback.reply",
    example=_CASE | {"text": "Tack! Lampan byts i veckan."},
    link="follow_url",
)
notices.register(
    "feedback.merged",
    example=_CASE | {"into_number": "2026-00040", "into_url": "/arende/Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8/"},
    link=_merged_into,
)
# To the followers of a public fault report.
notices.register(
    "feedback.status",
    example=_CASE
    | {"status": "Åtgärdad", "text": "Lampan är bytt.", "url": "/felanmalan/2026-00042/"},
    followers=True,
)
# To the units responsible for overdue cases, every working day.
notices.register(
    "feedback.digest",
    example={
        "recipient": "Gatuenheten",
        "count": 2,
        "cases": [
            {
                "number": "2026-00042",
                "category": "Gatubelysning",
                "kind": "Felanmälan",
                "received": "2026-05-02",
                "respond_by": "2026-05-16",
                "url": "/personal/arenden/42/",
            }
        ],
        "more": 1,
        "inbox_url": "/personal/arenden/",
        "today": "2026-05-20",
    },
    link="inbox_url",
)
