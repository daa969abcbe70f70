"""The notice moderation sends itself: a posting ban, told to the person banned with its
reason and end. (A hidden post is told to its author by notify.post_hidden.)"""

from torget.notifications import notices

notices.register(
    "forum.banned",
    example={
        "until": "24 december 2026",
        "reason": "Upprepade personangrepp mot andra skribenter trots varningar.",
        "url": "/forum/regler/",
    },
)
