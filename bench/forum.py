"""Benchmark: a discussion forum of 50,000 posts across 500 threads; its public pages.

Creates one forum in an open dialogue, 2,000 citizens, 500 threads and their posts with
bulk_create (one large thread of a tenth of the posts, the rest spread evenly; about 40 %
top-level posts, the rest replies to them, 2 % hidden by a moderator with a reason), with
the counters the services keep (posts, agrees, last activity) set as they would be. Then
asks, through Django's test client as a signed-in citizen (so the reader's own agrees are
looked up too), the thread list (each of its three orders), an average thread's page, and
the largest thread's first and a middle page (50 top-level posts a page, each with its
replies), and reports p50/p95 over N requests each and the queries per page, in one process
on PostgreSQL with the production profile.

    .venv/bin/python bench/forum.py
    .venv/bin/python bench/forum.py --posts 5000 --threads 100 --requests 30

Creates and drops its own database (DATABASE_URL for Django, given by --database-url,
default torget_bench_forum).
"""

import argparse
import bisect
import datetime
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402
from survey_answers import percentile  # noqa: E402

TEXTS = (
    "Det behövs fler bänkar i skuggan vid sandlådan, särskilt på sommaren.",
    "Jag håller med, och gärna cykelställ med tak nära ingången.",
    "En plan för fotboll som inte är grus vore bra för de äldre barnen.",
    "Kan man plantera fler träd längs staketet mot vägen? Se https://example.se/trad",
    "Belysningen vid gångvägen är för svag på vintern, det känns otryggt.",
)


def build(posts: int, threads: int, people: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from torget.accounts.models import User
    from torget.forum.models import HideReason, Post, PostStatus, Thread
    from torget.forum.tests import factories

    forum = factories.forum()
    password = make_password("bench")
    users = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.example",
            full_name=f"Person {n}",
            password=password,
            email_verified_at=timezone.now(),
        )
        for n in range(people)
    )
    start = timezone.now() - datetime.timedelta(days=30)
    largest = posts // 10
    rest = posts - largest
    sizes = [largest] + [rest // (threads - 1)] * (threads - 1)
    sizes[-1] += rest - sum(sizes[1:])
    made = Thread.objects.bulk_create(
        Thread(
            forum=forum,
            title=f"Tråd {n}: skolgårdens framtid",
            started_by=rng.choice(users),
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(threads)
    )
    total = 0
    for thread, size in zip(made, sizes, strict=True):
        when = thread.created_at
        tops: list[Post] = []
        replies: list[Post] = []
        for n in range(size):
            when += datetime.timedelta(seconds=rng.randint(5, 300))
            author = thread.started_by if n == 0 else rng.choice(users)
            hidden = n > 0 and rng.random() < 0.02
            post = Post(
                thread=thread,
                is_opening=n == 0,
                author=author,
                shown_name=f"{author.full_name.split()[0]} {author.pk}, Berga",
                text=rng.choice(TEXTS),
                status=PostStatus.HIDDEN if hidden else PostStatus.PUBLISHED,
                hidden_reason=HideReason.PERSONAL_ATTACK if hidden else "",
                hidden_at=when if hidden else None,
                agree_count=rng.choice((0, 0, 0, 1, 2, 5)),
                created_at=when,
            )
            (replies if n > 0 and rng.random() < 0.6 else tops).append(post)
        # Top-level posts first (PostgreSQL gives bulk_create their ids); each reply then
        # answers a top-level post written before it.
        Post.objects.bulk_create(tops, batch_size=2000)
        times = [top.created_at for top in tops]
        for reply in replies:
            earlier = bisect.bisect_left(times, reply.created_at)
            reply.parent = tops[rng.randrange(max(1, earlier))]
        Post.objects.bulk_create(replies, batch_size=2000)
        total += size
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread t SET
              post_count = s.n, agree_count = s.agrees, last_post_at = s.last
            FROM (
              SELECT thread_id, count(*) AS n, sum(agree_count) AS agrees,
                     max(created_at) AS last
              FROM forum_post WHERE status = 'publicerat' GROUP BY thread_id
            ) s
            WHERE s.thread_id = t.id
            """
        )
        cursor.execute("ANALYZE")
    average = made[len(made) // 2]
    return {"forum": forum, "largest": made[0], "average": average, "reader": users[0]}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=500)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench_forum"
    )
    args = parser.parse_args()

    env = environment(args.database_url)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.update(env)
    prepare_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from torget.forum.selectors import POSTS_PER_PAGE

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(20)
    started = time.perf_counter()
    data = build(args.posts, args.threads, args.people, rng)
    print(
        f"built a forum of {args.posts} posts across {args.threads} threads "
        f"({args.people} people) in {time.perf_counter() - started:.1f} s"
    )
    forum, largest, average = data["forum"], data["largest"], data["average"]
    largest.refresh_from_db()
    average.refresh_from_db()
    tops = largest.posts.filter(parent__isnull=True).count()
    pages = (tops + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE

    client = Client()
    client.force_login(data["reader"])
    forum_url = reverse("forum:forum", args=[forum.dialogue_id, forum.pk])
    cases = [
        ("thread list (most active)", forum_url + "?ordning=aktivast"),
        ("thread list (newest)", forum_url + "?ordning=nyast"),
        ("thread list (most agreed)", forum_url + "?ordning=mest-medhall"),
        ("thread list, page 10", forum_url + "?sida=10"),
        (f"average thread ({average.post_count} posts)", average.get_absolute_url()),
        (
            f"largest thread ({largest.post_count} posts), page 1 of {pages}",
            largest.get_absolute_url(),
        ),
        (
            f"largest thread, page {max(1, pages // 2)} of {pages}",
            largest.get_absolute_url() + f"?sida={max(1, pages // 2)}",
        ),
        ("Atom feed (latest 50)", reverse("forum:feed", args=[forum.dialogue_id, forum.pk])),
    ]
    print(f"{'page':<44} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>6}")
    for label, url in cases:
        queries: list[str] = []

        def count(execute: Any, sql: str, *rest: Any, queries: list[str] = queries) -> Any:
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        durations = []
        for _ in range(args.requests):
            begun = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - begun)
            assert response.status_code == 200
        print(
            f"{label:<44} {len(queries):>7} {1000 * percentile(durations, 0.5):>8.1f} "
            f"{1000 * percentile(durations, 0.95):>8.1f} {len(response.content) / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
