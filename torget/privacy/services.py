"""Writes of the rights tool: the record of each handled request, and erasure."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from torget.accounts.models import User
from torget.audit import services as audit
from torget.core import personal_data as pd
from torget.privacy.models import Action, RightsRequest


@transaction.atomic
def rights_request_record(
    *, actor: User, action: Action, searched_by: str, counts: dict[str, Any]
) -> RightsRequest:
    """Record one handling of a person's request, under a reference number of its own, and
    write it to the audit log. Neither holds anything that names the person."""
    now = timezone.now()
    request = RightsRequest(
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        action=action,
        searched_by=searched_by,
        handled_by=actor,
        handled_at=now,
        counts=counts,
    )
    request.save()
    request.reference = f"PU-{now:%Y}-{request.pk:05d}"
    request.full_clean()
    request.save(update_fields=["reference"])
    audit.record(
        actor=actor,
        action=f"privacy.{action}",
        obj=request,
        changes={"reference": request.reference, "searched_by": searched_by, **counts},
    )
    return request


def _value_for(value: Any, row: models.Model) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if callable(value):
        return value(row)
    return value


def _anonymise(declaration: pd.Declaration, rows: models.QuerySet[Any]) -> int:
    changed = 0
    for row in rows:
        for name, value in declaration.anonymise.items():
            field = row._meta.get_field(name)
            setattr(row, field.attname if field.is_relation else name, _value_for(value, row))
        names = [row._meta.get_field(name).name for name in declaration.anonymise]
        row.save(update_fields=names)
        changed += 1
    return changed


@transaction.atomic
def personal_data_erase(*, subject: pd.Subject, searched_by: str, actor: User) -> RightsRequest:
    """Erase or anonymise the person's data, kind by kind as each app declares, where the law
    allows; what the law requires keeping stays, with its reason in the record. The whole
    erasure is one transaction: it happens entirely or not at all."""
    deleted: dict[str, int] = {}
    anonymised: dict[str, int] = {}
    kept: dict[str, dict[str, Any]] = {}
    if not subject.is_empty():
        for declaration in pd.declarations():
            if declaration.find is None:
                continue
            rows = declaration.find(subject)
            count = rows.count()
            if not count:
                continue
            if declaration.erasure == pd.Erasure.DELETE:
                # Delete through the model (not a raw bulk delete), so files and cascades go.
                for row in rows:
                    row.delete()
                deleted[declaration.label] = count
                continue
            if declaration.erasure == pd.Erasure.ANONYMISE:
                if declaration.erase is not None:
                    anonymised[declaration.label] = declaration.erase(rows, actor)
                else:
                    anonymised[declaration.label] = _anonymise(declaration, rows)
            if declaration.erasure == pd.Erasure.KEEP or declaration.keep_reason:
                kept[declaration.label] = {
                    "rows": count,
                    "reason": str(declaration.keep_reason),
                }
    return rights_request_record(
        actor=actor,
        action=Action.ERASURE,
        searched_by=searched_by,
        counts={"deleted": deleted, "anonymised": anonymised, "kept": kept},
    )
