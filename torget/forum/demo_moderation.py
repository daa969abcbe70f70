"""Demo moderation and results in the school yard forum: the writer of the hidden personal
attack is banned from posting for two weeks (the queue's bans page has one to show and
lift), and the citizens' thread about covered bicycle stands is a result item for the
nämnd, linked from the thread."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.audit import services as audit
from torget.core import demo
from torget.core.demo import DemoContext
from torget.forum import staff_services
from torget.forum.demo import TITLE
from torget.forum.models import Ban, Forum, Post, PostStatus
from torget.results.models import Kind

BAN_REASON = "Upprepade personangrepp mot andra skribenter i forumet om skolgården."


@demo.register("forum_moderation", after=["forum", "results"])
def load(context: DemoContext) -> None:
    forum = Forum.objects.filter(title=TITLE).first()
    if forum is None:
        return
    official = context.users[Role.OFFICIAL]
    hidden = (
        Post.objects.filter(thread__forum=forum, status=PostStatus.HIDDEN)
        .select_related("author")
        .order_by("pk")
        .first()
    )
    if hidden is not None and not Ban.objects.filter(user=hidden.author).exists():
        ban = Ban.objects.create(
            user=hidden.author,
            until=timezone.now() + datetime.timedelta(days=14),
            reason=BAN_REASON,
            created_by=official,
        )
        audit.record(
            actor=official,
            action="forum.ban_added",
            obj=ban,
            changes={"user": ban.user_id, "reason": BAN_REASON, "post": hidden.pk},
        )
        context.changes += 1
    thread = forum.threads.filter(title="Cykelställ med tak").first()
    if thread is not None and thread.result_item_id is None:
        staff_services.thread_to_result_item(
            thread=thread,
            actor=official,
            kind=Kind.COMMITTEE,
            title="Cykelställ med tak vid skolans ingång",
        )
        context.changes += 1
