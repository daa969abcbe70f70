"""Forums for tests: an open dialogue whose plan has the web forum (open today), a forum on
it, threads and posts. Built with the ORM so that each part's tests stand alone; the
services' own tests go through the services."""

import datetime
from typing import Any

from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.tests.factories import CitizenFactory
from torget.dialogues import services as dialogue_services
from torget.dialogues.catalogue import WEB_FORUM
from torget.dialogues.models import Dialogue, Method
from torget.dialogues.tests.factories import Cast, cast, decide, initiative, plan
from torget.forum.models import Forum, Post, PostStatus, Thread


def forum_dialogue(people: Cast | None = None, **values: Any) -> tuple[Dialogue, Cast]:
    """An open dialogue whose plan has the web forum, from a week ago to a month ahead."""
    people = people or cast()
    dialogue = plan(decide(initiative(people, **values), people), people)
    today = timezone.localdate()
    dialogue_services.method_add(
        dialogue=dialogue,
        actor=people.official,
        method=Method.objects.get(code=WEB_FORUM),
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30),
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="approve_plan", actor=people.leader
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="open", actor=people.official
    )
    return dialogue, people


def forum(dialogue: Dialogue | None = None, *, people: Cast | None = None, **values: Any) -> Forum:
    if dialogue is None:
        dialogue, people = forum_dialogue(people)
    values.setdefault("title", "Samtal om skolgården")
    values.setdefault("intro", "Vad vill ni ha på skolgården? Skriv, svara och håll med.")
    values.setdefault("planned_method", dialogue.methods.get(method__code=WEB_FORUM))
    return Forum.objects.create(dialogue=dialogue, **values)


def citizen(**values: Any) -> User:
    values.setdefault("email_verified_at", timezone.now())
    return CitizenFactory(**values)


def thread(forum: Forum, author: User | None = None, *, text: str = "", **values: Any) -> Thread:
    """A published thread with its opening post."""
    author = author or citizen()
    values.setdefault("title", "Fler gungor")
    now = timezone.now()
    thread = Thread.objects.create(
        forum=forum, started_by=author, post_count=1, last_post_at=now, **values
    )
    Post.objects.create(
        thread=thread,
        author=author,
        shown_name=author.public_name,
        is_opening=True,
        text=text or "Vi behöver fler gungor, det är alltid kö.",
        status=thread.status,
        created_at=now,
    )
    return thread


def post(
    thread: Thread,
    author: User | None = None,
    *,
    parent: Post | None = None,
    text: str = "Jag håller med.",
    status: str = PostStatus.PUBLISHED,
    **values: Any,
) -> Post:
    author = author or citizen()
    values.setdefault("shown_name", author.public_name)
    created = Post.objects.create(
        thread=thread, author=author, parent=parent, text=text, status=status, **values
    )
    if status == PostStatus.PUBLISHED:
        Thread.objects.filter(pk=thread.pk).update(
            post_count=thread.posts.filter(status=PostStatus.PUBLISHED).count(),
            last_post_at=created.created_at,
        )
    return created
