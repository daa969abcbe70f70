from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        from torget.forum import permissions  # noqa: F401 (registers its rules)

        _register_notifications()
        self.ready_public()

    def ready_public(self) -> None:
        """The forum's section on the dialogue's public page."""
        from torget.dialogues import sections
        from torget.forum import public_views

        sections.register(sections.PUBLIC, public_views.public_section, order=17)


def _register_notifications() -> None:
    """The forum's notice kinds (torget/forum/notices.py) and its followable: a thread."""
    import torget.forum.notices  # noqa: F401
    from torget.forum.models import Thread
    from torget.notifications import registry

    registry.register(
        "forumtrad",
        Thread,
        label=_("Tråd i webbforum"),
        widen=_thread_and_dialogue,
        visible=_thread_is_public,
    )


def _thread_and_dialogue(thread: Any) -> list[Any]:
    """A new post concerns the followers of its thread and of its dialogue, not those of the
    dialogue's areas and topics: they hear that a dialogue opens or is decided, and every
    post of every thread would drown that."""
    return [thread, thread.forum.dialogue]


def _thread_is_public(thread: Any) -> bool:
    return thread.is_visible and bool(thread.forum.dialogue.is_public)
