"""The notices the forum sends (torget.forum.notify writes them), with an example context
of each as notify.py writes it, for the walk of every kind in the notifications' tests.

- forum.post: to the followers of a thread and of its dialogue, by their channels and at
  their frequency (at once, or in the daily or weekly digest).
- forum.reply: at once to the author of the post that a new post answers or quotes.
- forum.hidden: to the author of a post a moderator hid: the reason, the moderator's note,
  the rules, and that the post is kept as a public record.
"""

from torget.notifications import notices

# The keys every notice about a post has.
_POST = {
    "post_id": 41,
    "thread_id": 7,
    "thread": "Fler gungor på skolgården",
    "forum": "Samtal om den nya skolgården",
    "dialogue": "Ny skolgård vid Bergaskolan",
    "name": "Leila, Berga",
    "badge": "Politiker, Barn- och ungdomsnämnden",
    "excerpt": "Tack för förslaget! Vi tar med gungorna i planeringen och återkommer i maj.",
    "url": "/forum/trad/7/",
}

notices.register("forum.post", example=_POST, followers=True)
notices.register("forum.reply", example=_POST | {"quoted": False})
notices.register(
    "forum.hidden",
    example=_POST
    | {
        "badge": "",
        "url": "/forum/trad/7/#inlagg-41",
        "reason": "personangrepp",
        "note": "Skriv om sakfrågan, inte om personer.",
        "rules_url": "/forum/regler/",
    },
)
