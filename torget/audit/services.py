import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from torget.audit.models import AuditEntry


def record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. Call it inside the transaction of the change, so
    the entry exists exactly when the change does."""
    user = actor if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        actor=user,  # type: ignore[misc]
        actor_label=actor_label or ("" if user else "system"),
        action=action,
        changes=changes or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        # A model can say how it is named in the log; users say "användare 12", so the
        # append-only log keeps no e-mail address or name after an account is closed.
        entry.object_repr = describe(obj)[:200]
    entry.save()
    return entry


def describe(obj: models.Model) -> str:
    """How an object is named in the log: its `audit_repr` (a property or a method), else
    its str()."""
    name = getattr(obj, "audit_repr", None)
    if callable(name):
        name = name()
    return str(name if name is not None else obj)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}, for the `changes` of an entry."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def entries_prune(*, before: datetime.datetime, dry_run: bool = False) -> int:
    """Retention (gallring): remove the entries written before `before`, the one deliberate
    exception to the append-only log (torget/audit/retention.py). On PostgreSQL the trigger
    lets a delete through only in a transaction that says so. The number removed."""
    old = AuditEntry.objects.filter(at__lt=before)
    if dry_run:
        return old.count()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL torget.audit_prune = 'on'")
        ids = list(old.values_list("pk", flat=True))
        removed = 0
        for start in range(0, len(ids), 1000):
            batch = ids[start : start + 1000]
            placeholders = ", ".join(["%s"] * len(batch))
            # The model and its queryset refuse deletes; this is the deliberate way round.
            cursor.execute(
                f"DELETE FROM {AuditEntry._meta.db_table} WHERE id IN ({placeholders})",  # noqa: S608
                batch,
            )
            removed += cursor.rowcount
    return removed
