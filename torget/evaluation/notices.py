"""The notices the evaluation app sends, with a context as its services write it."""

from torget.notifications import notices

# The invitation to the anonymous survey after a dialogue; its link is personal and one-time.
notices.register(
    "evaluation.survey",
    example={
        "title": "Trygghet och trafik kring Berga centrum",
        "path": "/utvardering/svara/Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eA/",
        "closes_on": "2026-06-15",
    },
    link="path",
)
