"""The run of the plan: its log, dry runs, the municipality's overrides, the schedule."""

import datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from torget.audit.models import AuditEntry
from torget.core import retention
from torget.dialogues.tests.factories import cast
from torget.meetings.models import Registration
from torget.retention import services
from torget.retention.models import RetentionRun, RunTrigger
from torget.retention.tests.helpers import counts
from torget.retention.tests.test_kinds import meeting_ended, register

pytestmark = pytest.mark.django_db

MEETING_KINDS = ["meetings.registration_needs", "meetings.registrations"]


@pytest.fixture
def registrations():
    """One registration of a meeting that ended 100 days ago, one of 40 days ago."""
    people = cast()
    return register(meeting_ended(people, 100), "Anna"), register(meeting_ended(people, 40), "Bo")


def snapshot():
    return sorted(Registration.objects.values_list("pk", "name", "email", "needs"))


class TestRun:
    def test_a_dry_run_counts_and_changes_nothing_not_even_the_log(self, registrations):
        before = snapshot()
        entries = AuditEntry.objects.count()
        run = services.plan_run(kinds=MEETING_KINDS, dry_run=True)
        assert counts(run, "meetings.registration_needs") == {"needs": 2}
        assert counts(run, "meetings.registrations") == {"registrations": 1}
        assert snapshot() == before
        assert not RetentionRun.objects.exists()
        assert AuditEntry.objects.count() == entries

    def test_the_log_counts_what_changed_and_the_run_is_audited(self, registrations):
        run = services.plan_run(kinds=MEETING_KINDS)
        run.refresh_from_db()
        anonymised = Registration.objects.filter(name="").count()
        cleared = Registration.objects.filter(needs="").count()
        assert (
            counts(run, "meetings.registrations")
            == {"registrations": anonymised}
            == {"registrations": 1}
        )
        # The needs of both meetings went, the older one's in the first kind.
        assert counts(run, "meetings.registration_needs") == {"needs": 2} and cleared == 2
        assert run.total == 3 and run.errors == {} and run.finished_at >= run.started_at
        entry = AuditEntry.objects.get(action="retention.run")
        assert entry.changes["total"] == 3
        assert entry.changes["kinds"] == {
            "meetings.registration_needs": 2,
            "meetings.registrations": 1,
        }

    def test_a_second_run_changes_nothing(self, registrations):
        services.plan_run()
        again = services.plan_run()
        assert again.total == 0
        assert all(not any(r["counts"].values()) for r in again.results.values())

    def test_the_municipalitys_period_moves_the_cut_off(self, registrations):
        services.rule_set(kind="meetings.registrations", amount=1, unit="months")
        run = services.plan_run(kinds=["meetings.registrations"])
        assert counts(run, "meetings.registrations") == {"registrations": 2}
        expected = datetime.timedelta(days=30)
        cutoff = datetime.datetime.fromisoformat(run.results["meetings.registrations"]["cutoff"])
        assert abs((run.started_at - cutoff) - expected) < datetime.timedelta(minutes=1)

    def test_a_kind_switched_off_is_left_alone(self, registrations):
        services.rule_set(kind="meetings.registrations", amount=3, unit="months", is_active=False)
        run = services.plan_run(kinds=["meetings.registrations"])
        assert "meetings.registrations" not in run.results
        assert not Registration.objects.filter(name="").exists()

    def test_one_kind_failing_is_logged_and_the_others_still_run(self, registrations, monkeypatch):
        def broken(*, cutoff, dry_run):
            raise RuntimeError("disk full")

        kind = retention.get("meetings.registration_needs")
        monkeypatch.setitem(
            retention._kinds,
            kind.key,
            retention.RecordKind(**{**kind.__dict__, "apply": broken}),
        )
        run = services.plan_run(kinds=MEETING_KINDS)
        assert run.errors == {"meetings.registration_needs": "RuntimeError: disk full"}
        assert counts(run, "meetings.registrations") == {"registrations": 1}

    def test_the_backups_are_in_the_plan_but_never_run_here(self):
        assert "backups" in {kind.key for kind in retention.kinds()}
        assert "backups" not in services.plan_run().results


class TestCommand:
    def test_dry_run_of_one_kind(self, registrations, capsys):
        call_command("run_retention", "--dry-run", "--kind", "meetings.registrations")
        out = capsys.readouterr().out
        assert "meetings.registrations: would change registrations 1" in out
        assert "dry run" in out
        assert not Registration.objects.filter(name="").exists()

    def test_a_manual_run_is_logged(self, registrations):
        call_command("run_retention", "--kind", "meetings.registrations")
        run = RetentionRun.objects.get()
        assert run.trigger == RunTrigger.MANUAL and run.total == 1

    def test_an_unknown_kind_is_a_clear_error(self):
        with pytest.raises(CommandError, match="Unknown record kind: nothing"):
            call_command("run_retention", "--kind", "nothing")


class TestSchedule:
    def test_the_sweep_queues_the_run_once_a_night_at_the_configured_hour(self, settings):
        settings.RETENTION_RUN_HOUR = 2
        config = apps.get_app_config("retention")
        with freeze_time("2026-11-14 01:00:00+01:00"):
            assert config.on_tick() == {"queued": True}  # first sweep on a new site
        with freeze_time("2026-11-14 01:30:00+01:00"):
            assert config.on_tick() == {}
        with freeze_time("2026-11-14 02:00:01+01:00"):
            assert config.on_tick() == {"queued": True}
        with freeze_time("2026-11-14 23:00:00+01:00"):
            assert config.on_tick() == {}

    def test_the_nightly_task_runs_the_plan_as_scheduled(self, registrations):
        from torget.retention.tasks import run_plan

        result = run_plan.call()
        run = RetentionRun.objects.get(pk=result["run"])
        assert run.trigger == RunTrigger.SCHEDULED and result["total"] == run.total == 3
