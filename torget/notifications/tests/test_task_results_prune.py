"""The task queue's finished results are pruned nightly after TASKS_RESULTS_RETENTION_DAYS,
so its table does not grow by thousands of rows a day for ever."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from torget.notifications import sending
from torget.notifications.models import SchedulerState
from torget.notifications.tasks import tick

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def result(status: str, *, finished_days_ago: float | None) -> DBTaskResult:
    now = timezone.now()
    finished = now - finished_days_ago * DAY if finished_days_ago is not None else None
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="torget.notifications.tasks.tick",
        backend_name="default",
        run_after=now - 30 * DAY,
        started_at=finished,
        finished_at=finished,
        exception_class_path="",
        traceback="",
    )


class TestTaskResultsPrune:
    def test_finished_results_older_than_the_retention_go_the_rest_stay(self, settings):
        settings.TASKS_RESULTS_RETENTION_DAYS = 14
        old_success = result("SUCCESSFUL", finished_days_ago=15)
        old_failure = result("FAILED", finished_days_ago=20)
        recent = result("SUCCESSFUL", finished_days_ago=13)
        waiting = result("READY", finished_days_ago=None)
        running = result("RUNNING", finished_days_ago=None)

        removed = sending.task_results_prune()

        assert removed == 2
        left = set(DBTaskResult.objects.values_list("pk", flat=True))
        assert left == {recent.pk, waiting.pk, running.pk}
        assert not {old_success.pk, old_failure.pk} & left

    def test_the_retention_is_a_setting(self, settings):
        settings.TASKS_RESULTS_RETENTION_DAYS = 3
        result("SUCCESSFUL", finished_days_ago=4)
        kept = result("SUCCESSFUL", finished_days_ago=2)

        assert sending.task_results_prune() == 1
        assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [kept.pk]


class TestNightlySchedule:
    def test_the_worker_prunes_once_a_night_at_four(self, settings):
        settings.TASKS_RESULTS_RETENTION_DAYS = 14
        with freeze_time("2026-03-10 10:00:00+01:00"):
            result("SUCCESSFUL", finished_days_ago=30)
            first = tick.call()
            # The first sweep on a site prunes at once; the next run is the coming night.
            assert first["task_results_pruned"] == 1
            state = SchedulerState.objects.get(job=sending.TASK_RESULTS_PRUNE_JOB)
            assert timezone.localtime(state.next_run_at).isoformat() == "2026-03-11T04:00:00+01:00"
            result("SUCCESSFUL", finished_days_ago=30)
            assert "task_results_pruned" not in tick.call()
        with freeze_time("2026-03-11 04:00:30+01:00"):
            assert tick.call()["task_results_pruned"] == 1
