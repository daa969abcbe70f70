"""Run the background worker in the test process."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from torget.notifications.models import Notification


def run_queued_tasks() -> None:
    """Run every task in the database queue until none is left, as `run_worker --batch`
    does, but without its connection housekeeping, which would close the connection that
    holds a test's transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    while True:
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return
        worker.run_task(task_result)


def drain() -> None:
    """Do what the worker's wake-ups and sweep would do: expand every pending fan-out and
    send everything due. In tests wrapped in a transaction, on_commit wake-ups never fire."""
    from torget.notifications.tasks import deliver_batch, expand_notification

    for pk in Notification.objects.filter(expanded_at__isnull=True).values_list("pk", flat=True):
        expand_notification.enqueue(pk)
    deliver_batch.enqueue()
    run_queued_tasks()
