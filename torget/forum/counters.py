"""A thread's counters and status, recomputed where posts change (a post published, hidden,
approved, agreed with), in the same transaction: the thread list sorts by them.

A thread follows its opening post: waiting, shown or hidden with it."""

from django.db.models import Max, Sum

from torget.forum.models import Agree, Post, PostStatus, Thread


def post_recount(post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(agree_count=Agree.objects.filter(post=post).count())
    post.refresh_from_db(fields=["agree_count"])


def thread_sync(thread: Thread) -> Thread:
    published = Post.objects.filter(thread=thread, status=PostStatus.PUBLISHED)
    figures = published.aggregate(last=Max("created_at"), agrees=Sum("agree_count"))
    opening = Post.objects.filter(thread=thread, is_opening=True).only("status").first()
    Thread.objects.filter(pk=thread.pk).update(
        post_count=published.count(),
        agree_count=figures["agrees"] or 0,
        last_post_at=figures["last"] or thread.created_at,
        status=opening.status if opening else thread.status,
    )
    thread.refresh_from_db(fields=["post_count", "agree_count", "last_post_at", "status"])
    return thread
