from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "torget.forum"
    label = "forum"
    verbose_name = _("Webbforum")

    def ready(self) -> None:
        import torget.forum.demo_moderation  # noqa: F401 (a ban and a result item in the demo)
        import torget.forum.moderation_notices  # noqa: F401 (the ban's notice kind)
        from torget.dialogues import sections
        from torget.forum import (
            permissions,  # noqa: F401 (registers its rules)
            public_views,
            staff_views,
        )

        _register_notifications()
        # The forums of a dialogue on its public page and, for staff, on its staff page.
        sections.register(sections.PUBLIC, public_views.public_section, order=17)
        sections.register(sections.STAFF, staff_views.staff_section, order=27)

    def export_personal_data(self, user: Any) -> dict[str, Any]:
        """What the person wrote in forums, for "Mina sidor" (accounts.personal_data_export)."""
        from torget.forum.models import Agree, Flag, Post

        return {
            "posts": [
                {
                    "thread": post.thread.title,
                    "forum": post.thread.forum.title,
                    "shown_name": post.shown_name,
                    "badge": post.badge,
                    "text": post.text,
                    "status": post.status,
                    "written_at": post.created_at.isoformat(),
                    "revisions": [revision.text for revision in post.revisions.all()],
                }
                for post in Post.objects.filter(author=user)
                .select_related("thread__forum")
                .prefetch_related("revisions")
            ],
            "agrees": Agree.objects.filter(user=user).count(),
            "flags": Flag.objects.filter(flagged_by=user).count(),
        }

    def on_account_closed(self, user: Any) -> None:
        """The posts stay (public records); the name the person chose goes."""
        from torget.forum.models import Post

        Post.objects.filter(author=user).update(shown_name=str(_("Avslutat konto")))


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
