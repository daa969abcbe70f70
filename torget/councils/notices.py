"""The notices the councils send, with a context as their services write it: the invitation
to a council meeting and its approved minutes, to the utskott of the area."""

from torget.notifications import notices

_MEETING = {
    "council": "Trygghetsrådet Innerstaden",
    "title": "Trygghetsrådets möte i november",
    "starts_at": "2026-11-27 15:00",
    "municipality_name": "Storeby kommun",
}

notices.register(
    "councils.invitation",
    example=_MEETING | {"place": "Stadsbiblioteket, konferensrummet", "url": "/personal/rad/4/"},
)
notices.register("councils.minutes", example=_MEETING | {"url": "/moten/7/"})
