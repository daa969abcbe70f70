"""Counts for the summary line the matrix prints at the end of the run."""


class Tally:
    patterns = 0
    cells = 0
    posts = 0
    links = 0
    requests = 0
    seconds = 0.0
