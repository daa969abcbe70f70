import pytest
from django.db import DatabaseError, connection, transaction

from torget.accounts.tests.factories import CitizenFactory
from torget.audit import services as audit
from torget.audit.models import AppendOnlyError, AuditEntry
from torget.audit.selectors import entries_for_object
from torget.geo.tests.factories import AreaFactory


@pytest.mark.django_db
class TestRecord:
    def test_records_who_what_which_object_and_the_change(self):
        actor = CitizenFactory()
        area = AreaFactory(name="Berga")
        entry = audit.record(
            actor=actor, action="area.renamed", obj=area, changes={"name": ["A", "Berga"]}
        )
        entry.refresh_from_db()
        assert entry.actor == actor
        assert entry.action == "area.renamed"
        assert entry.object_repr == "Berga"
        assert entry.changes == {"name": ["A", "Berga"]}
        assert list(entries_for_object(area)) == [entry]

    def test_without_a_user_the_actor_is_named(self):
        entry = audit.record(action="import.done", actor_label="import")
        assert entry.actor is None and entry.actor_label == "import"
        assert audit.record(action="x").actor_label == "system"

    def test_diff_lists_only_changed_fields(self):
        assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
            "b": [2, 3],
            "c": [None, 4],
        }

    def test_entry_is_gone_when_the_change_rolls_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(action="case.changed")
            raise RuntimeError
        assert not AuditEntry.objects.exists()


@pytest.mark.django_db
class TestAppendOnly:
    def test_an_entry_cannot_be_changed(self):
        entry = audit.record(action="a")
        entry.action = "b"
        with pytest.raises(AppendOnlyError):
            entry.save()

    def test_an_entry_cannot_be_deleted(self):
        entry = audit.record(action="a")
        with pytest.raises(AppendOnlyError):
            entry.delete()

    def test_bulk_update_and_delete_are_refused(self):
        audit.record(action="a")
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.update(action="b")
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.all().delete()

    def test_postgresql_refuses_changes_even_in_raw_sql(self, postgres_only):
        entry = audit.record(action="a")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE audit_auditentry SET action = 'b' WHERE id = %s", [entry.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).action == "a"

    def test_postgresql_allows_deliberate_pruning(self, postgres_only):
        entry = audit.record(action="a")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL torget.audit_prune = 'on'")
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert not AuditEntry.objects.exists()

    def test_admin_offers_no_add_change_or_delete(self, admin_client):
        audit.record(action="a")
        response = admin_client.get("/admin/audit/auditentry/")
        assert response.status_code == 200
        assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403


@pytest.mark.django_db
class TestEveryAuditedObjectHasAReadableName:
    def test_a_proposal_is_named_by_its_audit_repr_method_not_the_bound_method(self):
        from torget.proposals.tests.factories import ProposalFactory

        proposal = ProposalFactory()
        entry = audit.record(action="proposal.checked", obj=proposal)
        assert "bound method" not in entry.object_repr
        assert entry.object_repr == proposal.audit_repr()

    def test_every_entry_the_demo_municipality_writes_names_its_object_readably(self, demo):
        # Django's fallback "Proposal object (3)" and a method read as an attribute
        # ("<bound method …>") are what a model without a usable name gives.
        names = list(
            AuditEntry.objects.exclude(object_repr="").values_list("object_repr", flat=True)
        )
        assert names
        unreadable = [n for n in names if "bound method" in n or " object (" in n]
        assert unreadable == []
