"""The notices the dialogues app sends, with a context as its services write it."""

from torget.notifications import notices

_DIALOGUE = {
    "title": "Trygghet och trafik kring Berga centrum",
    "url": "/dialoger/12/",
    "status": "Pågår",
    "municipality_name": "Storeby kommun",
}

# To the followers of a dialogue, its places and the whole municipality (workflow.STEPS).
notices.register("dialogues.planned", example=_DIALOGUE, followers=True)
notices.register("dialogues.opened", example=_DIALOGUE, followers=True)
notices.register("dialogues.decision", example=_DIALOGUE, followers=True)
notices.register(
    "dialogues.feedback",
    example=_DIALOGUE | {"text": "Så här har vi tagit hand om det ni sa i dialogen."},
    followers=True,
)
notices.register(
    "dialogues.cancelled",
    example=_DIALOGUE | {"reason": "Frågan avgjordes i ett annat ärende."},
    followers=True,
)
# To the person who asked for a dialogue. The request is not public until it is decided, so
# the notice that it arrived links to the start page.
notices.register("dialogues.request_received", example=_DIALOGUE, link=None)
notices.register(
    "dialogues.request_outcome",
    example=_DIALOGUE | {"decided": True, "reason": ""},
)
