"""What the forum tells people (through the notifications capability)."""

from torget.forum.models import Post


def post_published(post: Post) -> None:
    """A post became visible: followers of its thread and dialogue hear of it by their
    channels (immediately or in their digest), and the author of the post it answers is told
    at once. Called in the transaction that published it."""


def post_hidden(post: Post) -> None:
    """A moderator hid the post: its author is told why."""
