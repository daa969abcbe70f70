"""The notices the map sends: to the author of a point or a comment a moderator hid, saying
which rule and that the original is kept (DOMAIN §7, issue 20: "the author is told why")."""

from torget.notifications import notices

notices.register(
    "mapinput.hidden",
    example={
        "map": "Skolvägen och skolgården på kartan",
        "what": "point",
        "reason": "personangrepp",
        "excerpt": "Mörkt under gångtunneln, och cyklisterna kommer fort.",
        "url": "/karta/punkt/12/",
    },
)
