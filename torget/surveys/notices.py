"""The notices the surveys send, with a context as their services write it."""

from torget.notifications import notices

# --- answer ---
# The link to continue one's answers later, to the address the respondent gives; sent with
# secret=True (the link is the key to the answers) and the address is not kept with them.
notices.register(
    "surveys.answer_link",
    example={
        "title": "Vad tycker du om skolgården?",
        "path": "/enkater/3/svar/Zm9vYmFyYmF6cXV4cXV1eHh4eHh4/",
        "closes_on": "2026-06-15",
    },
    link="path",
)
# The receipt of answers sent in, to the address the respondent gives.
notices.register(
    "surveys.answer_receipt",
    example={
        "title": "Vad tycker du om skolgården?",
        "receipt": "K7PM-3QXA",
        "submitted_on": "2026-06-01",
        "path": "/enkater/3/",
    },
    link="path",
)
# --- end answer ---
