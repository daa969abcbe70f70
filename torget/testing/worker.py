"""Run the background worker in the test process."""

from django_tasks_db.management.commands.db_worker import Worker

from torget.notifications.models import Notification


def run_queued_tasks() -> None:
    """Run every task in the database queue until none is left, as `run_worker --batch`."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()


def drain() -> None:
    """Do what the worker's wake-ups and sweep would do: expand every pending fan-out and
    send everything due. In tests wrapped in a transaction, on_commit wake-ups never fire."""
    from torget.notifications.tasks import deliver_batch, expand_notification

    for pk in Notification.objects.filter(expanded_at__isnull=True).values_list("pk", flat=True):
        expand_notification.enqueue(pk)
    deliver_batch.enqueue()
    run_queued_tasks()
