"""The notices the results app sends, with a context as its services write it."""

from torget.notifications import notices

_POINT = {
    "dialogue": "Trygghet och trafik kring Berga centrum",
    "url": "/dialoger/12/",
    "text": "Här är vad som kom fram och hur det går vidare.",
}
_ITEM = {
    "title": "Belysning vid busshållplatsen på Bergavägen",
    "dialogue": "Trygghet och trafik kring Berga centrum",
    "item_url": "/resultat/5/",
    "utskott": "Utskottet för Berga",
}

# Feedback points 2 and 3, to those registered and the followers of the dialogue.
notices.register(
    "results.summary",
    example=_POINT | {"counts": [["Frågor att lyfta politiskt", 3]], "items": [_ITEM["title"]]},
    followers=True,
)
notices.register(
    "results.decision_proposal",
    example=_POINT
    | {"deciding_body": "Kommunstyrelsen", "expected_on": "2026-10-01", "has_document": True},
    followers=True,
)
# To the politicians of the utskott concerned.
notices.register("results.to_raise", example=_ITEM, link="item_url")
notices.register(
    "results.timeline",
    example=_ITEM
    | {
        "date": "2026-06-01",
        "text": "Ärendet bereds i tekniska nämnden.",
        "due_on": "2026-09-01",
        "body": "Tekniska nämnden",
    },
    link="item_url",
)
# A correction of a published summary, decision proposal or result item (or a result item
# moved to another kind), to those registered and the followers of the dialogue.
notices.register(
    "results.correction",
    example=_POINT
    | {
        "corrected": "item",
        "point_kind": "",
        "title": _ITEM["title"],
        "reclassified": True,
        "reason": "Frågan gäller förvaltningen, inte politiken.",
        "corrected_on": "2026-11-02",
    },
    followers=True,
)
