"""The notices the inspections send, with a context as their services write it: the
invitation to an inspection (to the invited groups' contacts and the utskott of the area) and
the coordinators' warning of a season with no inspection planned."""

from torget.notifications import notices

notices.register(
    "inspections.invitation",
    example={
        "council": "Trygghetsrådet Innerstaden",
        "date": "måndag 7 september 2026",
        "time": "18:00",
        "meeting_point": "Vid centrumtorget i Innerstaden",
        "description": "Vi går genom centrum, förbi skolan och ner mot gångtunneln.",
        "route": "1. 58.41080, 15.62140\n2. 58.41200, 15.62500",
        "changed": False,
        "for_utskott": True,
        "url": "/personal/besiktningar/4/",
    },
)
notices.register(
    "inspections.season_warning",
    example={
        "council": "Trygghetsrådet Innerstaden",
        "season": "höst",
        "year": 2026,
        "last_day": "30 november 2026",
        "url": "/personal/besiktningar/?ar=2026",
    },
)
