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

# Kallelse (kallelse.py): to the members of the utskott, with the agenda and an iCalendar
# invitation attached to the e-mail.
_UTSKOTT_MEETING = {
    "title": "Utskott Centrum, sammanträde",
    "body_name": "Utskott Centrum för medborgardialog",
    "when": "onsdag 20 maj 2026 kl. 18.00",
    "place": "Stadshuset, sal 3",
    "link": "",
    "agenda": [
        {"title": "Protokoll från trygghetsråden", "minutes": 20, "citizens_time": False},
        {"title": "Invånarnas frågor", "minutes": 40, "citizens_time": True},
    ],
    "reason": "",
    "url": "/moten/8/",
}
notices.register("meetings.utskott_called", example=_UTSKOTT_MEETING)
notices.register("meetings.utskott_changed", example=_UTSKOTT_MEETING)
notices.register(
    "meetings.utskott_cancelled",
    example=_UTSKOTT_MEETING | {"reason": "Ordföranden är sjuk."},
)
notices.register(
    "meetings.utskott_document",
    example={
        "title": "Trygghetsvandring i Berga, protokoll",
        "note": "Inför punkt 2 på agendan.",
        "meeting_title": "Utskott Centrum, sammanträde",
        "body_name": "Utskott Centrum för medborgardialog",
        "when": "onsdag 20 maj 2026 kl. 18.00",
        "url": "/personal/moten/8/handlingar/3/",
    },
)
