"""The notices consultations send: to the followers of the dialogue when a consultation opens
and when its result is published."""

from torget.notifications import notices

_CONSULTATION = {
    "title": "Ny lekplats i Berga park",
    "dialogue": "Trygghet och trafik kring Berga centrum",
    "url": "/dialoger/12/samrad/3/",
    "closes_on": "2026-10-15",
}

notices.register("consultations.opened", example=_CONSULTATION, followers=True)
notices.register(
    "consultations.result",
    example=_CONSULTATION | {"text": "412 personer deltog. Flest valde alternativ B."},
    followers=True,
)
