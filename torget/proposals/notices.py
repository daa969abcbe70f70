"""The notices the proposals app sends, with a context as its services write it
(services.common.notice_context)."""

from torget.notifications import notices

_PROPOSAL = {
    "title": "Fler bänkar och belysning längs promenadstråket vid Bergasjön",
    "url": "/forslag/31/",
    "municipality_name": "Storeby kommun",
}

# To the author.
notices.register("proposals.received", example=_PROPOSAL)
notices.register(
    "proposals.published", example=_PROPOSAL | {"ends": "2026-08-31", "threshold": 200}
)
notices.register("proposals.hidden", example=_PROPOSAL | {"reason": "Innehåller personuppgifter."})
# A proposal that is not published is not there to link to.
notices.register(
    "proposals.rejected",
    example=_PROPOSAL
    | {"reason": "Frågan beslutades nyligen.", "text": "", "repeat_title": "", "repeat_url": ""},
    link=None,
)
notices.register(
    "proposals.moved",
    example=_PROPOSAL | {"text": "Vi har skickat det till gatuenheten."},
    link=None,
)
# To the author and to the followers of the proposal, its topic and its area.
notices.register(
    "proposals.step",
    example=_PROPOSAL
    | {
        "kind": "decided",
        "step": "Beslut i kommunfullmäktige",
        "date": "2026-09-20",
        "reference": "KS 2026/123",
        "text": "Förslaget bifölls.",
        "body": "Kommunfullmäktige",
    },
    followers=True,
)
# To the registrar and the responsible politician.
notices.register(
    "proposals.registrar", example=_PROPOSAL | {"reference": "KS 2026/123", "threshold": 200}
)
notices.register(
    "proposals.responsible", example=_PROPOSAL | {"source": "Dialogmöte i Berga 2026-05-20"}
)
