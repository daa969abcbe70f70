"""Several worker processes on PostgreSQL: every message delivered exactly once."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from torget.notifications.models import Delivery, DeliveryStatus
from torget.notifications.services import notify
from torget.notifications.tasks import deliver_batch

ROOT = Path(__file__).resolve().parents[3]


def worker_env(smtp_server) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "TORGET_ENV": "test",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "NOTIFICATIONS_BATCH_SIZE": "25",
    }


@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_a_thousand_messages_each_exactly_once(postgres_only, smtp_server):
    addresses = [f"person{n:04d}@example.se" for n in range(1000)]
    notify(template="test.event", context={"title": "Stort utskick"}, emails=addresses)
    for _ in range(3):  # more wake-ups than one, so both workers find work at once
        deliver_batch.enqueue()

    env = worker_env(smtp_server)
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--interval", "0.1"]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    received = Counter(to for message in smtp_server.messages for to in message.envelope_to)
    assert sorted(received) == addresses
    assert set(received.values()) == {1}  # nobody got a message twice
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 1000
    processes = {
        worker_id for result in DBTaskResult.objects.all() for worker_id in result.worker_ids
    }
    assert len(processes) == 2  # both workers took part
