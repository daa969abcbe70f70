"""The notices a citizen budget sends, with an example context of each as the services write
it, for the walk of every kind in the notifications' tests.

- budget.phase: to the followers of a round and of its dialogue when the round moves to a new
  phase (ideas open, review, voting opens and closes, result, decision, finished).
- budget.progress: to the same followers when a funded project reports progress (planned,
  started, done).
"""

from torget.notifications import notices

notices.register(
    "budget.phase",
    example={
        "title": "Medborgarbudget för Berga 2027",
        "dialogue": "Medborgarbudget i Berga",
        "phase": "Omröstning",
        "what": "Nu kan du rösta på de projekt du vill ska genomföras.",
        "url": "/medborgarbudget/3/",
    },
    followers=True,
)
notices.register(
    "budget.progress",
    example={
        "title": "Medborgarbudget för Berga 2027",
        "project": "Utegym vid Bergaskolan",
        "progress": "Påbörjad",
        "text": "Markarbetet har börjat och utegymmet väntas vara klart i juni.",
        "url": "/medborgarbudget/3/ideer/7/",
    },
    followers=True,
)
