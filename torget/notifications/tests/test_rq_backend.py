"""Large installations move the task queue to Redis with a settings change, nothing else."""

import subprocess
import sys
from pathlib import Path

import pytest
import redis

from torget.notifications.tests.test_concurrency import worker_env

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/15"


def _forget_rq(queue: redis.Redis) -> None:
    # Only RQ's own keys: the database also holds the cache keys of tests running beside this
    # one (the `redis_cache` fixture, in another pytest-xdist worker).
    keys = list(queue.scan_iter("rq:*"))
    if keys:
        queue.delete(*keys)


NOTIFY = """
import django; django.setup()
from torget.notifications import notices
from torget.notifications.services import notify
notices.register("test.event", example={})  # as the test suite's fixture does
notify(template="test.event", context={"title": "Via Redis"}, emails=["anna@example.se"])
"""


@pytest.mark.django_db(transaction=True)
def test_with_the_redis_backend_a_notification_goes_through_rq(postgres_only, smtp_server):
    try:
        queue = redis.Redis.from_url(REDIS_URL)
        _forget_rq(queue)
    except redis.ConnectionError:
        pytest.fail("Redis must run on 127.0.0.1:6379 (.ci/run starts it)")
    env = {
        **worker_env(smtp_server),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "RQ_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "torget.settings",
    }
    subprocess.run([sys.executable, "-c", NOTIFY], cwd=ROOT, env=env, check=True, timeout=60)
    assert queue.llen("rq:queue:default") == 1  # the wake-up waits in Redis, not in the database
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
    )
    assert [m.envelope_to for m in smtp_server.messages] == [["anna@example.se"]]
    _forget_rq(queue)
