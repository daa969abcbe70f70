"""The notices the meetings app sends, with a context as its services write it."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from torget.notifications import notices

_MEETING = {
    "title": "Dialogmöte om trygghet och trafik kring Berga centrum",
    "starts_at": "2026-05-20T18:00:00+02:00",
    "url": "/moten/7/",
    "municipality_name": "Storeby kommun",
}


def _registration(context: Mapping[str, Any]) -> str:
    """The participant's own page for the registration, where it can be cancelled."""
    return reverse("meetings:registration", kwargs={"token": context["token"]})


_REGISTRATION = _MEETING | {"token": "q8Xf2LmA0bC4dE6fG7hJ9kL1"}

# To whoever registered for a meeting.
notices.register(
    "meetings.registered", example=_REGISTRATION | {"waiting": False}, link=_registration
)
notices.register("meetings.promoted", example=_REGISTRATION, link=_registration)
notices.register(
    "meetings.cancelled", example=_MEETING | {"reason": "Lokalen är inte tillgänglig."}
)
# To those registered and to the followers of the meeting's dialogue.
notices.register(
    "meetings.feedback",
    example=_MEETING
    | {
        "questions": "Belysningen vid busshållplatsen och hastigheten på Bergavägen.",
        "notes_where": "Minnesanteckningarna finns på dialogens sida.",
        "next_on": "2026-06-10",
    },
    followers=True,
)
