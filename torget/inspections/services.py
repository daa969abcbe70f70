"""Writes of the inspections part: planning an inspection of a safety council's area,
changing it, recording which invited groups came, and its steps (held, protocol done,
cancelled). Each write is audited in its transaction."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.core.workflow import Move, Step
from torget.councils.models import Council, CouncilKind
from torget.inspections import permissions, workflow
from torget.inspections.models import (
    Inspection,
    InspectionGroup,
    InspectionStatus,
    InvitedGroup,
    season_of,
)
from torget.inspections.workflow import InspectionError

INSPECTION_FIELDS = ("date", "starts_at", "meeting_point", "route", "description")


def _require_editor(actor: Actor) -> None:
    if not permissions.edits_inspections(actor):
        raise PermissionDenied


def validate_route(route: Any) -> dict[str, Any] | None:
    """A GeoJSON LineString of at least two [lon, lat] positions on the Earth, or None."""
    if route in (None, "", {}):
        return None
    message = _("Sträckningen ska vara en linje med minst två punkter.")
    if not isinstance(route, dict) or route.get("type") != "LineString":
        raise InspectionError({"route": message})
    coordinates = route.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise InspectionError({"route": message})
    for position in coordinates:
        if (
            not isinstance(position, list | tuple)
            or len(position) != 2
            or not all(isinstance(v, int | float) for v in position)
            or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90)
        ):
            raise InspectionError({"route": message})
    return {"type": "LineString", "coordinates": [[float(x), float(y)] for x, y in coordinates]}


def _set_date(inspection: Inspection, day: datetime.date) -> None:
    inspection.date = day
    inspection.year = day.year
    inspection.season = season_of(day)


@transaction.atomic
def inspection_plan(
    *,
    actor: Actor,
    council: Council,
    date: datetime.date,
    meeting_point: str,
    starts_at: datetime.time | None = None,
    route: Any = None,
    description: str = "",
    groups: Iterable[str] | None = None,
) -> Inspection:
    """Plan an inspection of the council's area; all groups are invited unless `groups`
    names fewer (the district coordinators only exist in some areas)."""
    _require_editor(actor)
    if council.kind != CouncilKind.SAFETY or council.is_closed:
        raise InspectionError(_("Besiktningar planeras för trygghetsråd som är aktiva."))
    inspection = Inspection(
        council=council,
        meeting_point=meeting_point.strip(),
        starts_at=starts_at,
        route=validate_route(route),
        description=description.strip(),
    )
    _set_date(inspection, date)
    inspection.full_clean()
    inspection.save()
    codes = list(groups) if groups is not None else list(InvitedGroup.values)
    if not codes:
        raise InspectionError({"groups": _("Bjud in minst en grupp.")})
    InspectionGroup.objects.bulk_create(
        [InspectionGroup(inspection=inspection, group=code) for code in dict.fromkeys(codes)]
    )
    audit.record(
        actor=actor,
        action="inspection.planned",
        obj=inspection,
        changes={"date": str(date), "season": inspection.season, "groups": codes},
    )
    return inspection


@transaction.atomic
def inspection_update(*, actor: Actor, inspection: Inspection, **values: Any) -> Inspection:
    _require_editor(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == InspectionStatus.CANCELLED:
        raise InspectionError(_("Besiktningen är inställd och kan inte ändras."))
    unknown = set(values) - set(INSPECTION_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "route" in values:
        values["route"] = validate_route(values["route"])
    before = {name: str(getattr(inspection, name)) for name in values}
    for name, value in values.items():
        if name == "date":
            _set_date(inspection, value)
        else:
            setattr(inspection, name, value.strip() if isinstance(value, str) else value)
    inspection.full_clean()
    inspection.save()
    changes = {
        name: str(getattr(inspection, name))
        for name in values
        if str(getattr(inspection, name)) != before[name]
    }
    audit.record(actor=actor, action="inspection.updated", obj=inspection, changes=changes)
    return inspection


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    inspection: Inspection,
    attended: Iterable[str],
    attendees: dict[str, int | None] | None = None,
) -> Inspection:
    """Record which invited groups came (the others did not), with how many where known."""
    _require_editor(actor)
    if inspection.status == InspectionStatus.CANCELLED:
        raise InspectionError(_("Besiktningen är inställd."))
    came, counts = set(attended), attendees or {}
    unknown = came - set(inspection.groups.values_list("group", flat=True))
    if unknown:
        raise InspectionError(_("Bara inbjudna grupper kan registreras som närvarande."))
    for row in inspection.groups.select_for_update():
        row.attended = row.group in came
        row.attendees = counts.get(row.group) if row.attended else None
        row.save(update_fields=["attended", "attendees"])
    audit.record(
        actor=actor,
        action="inspection.attendance_recorded",
        obj=inspection,
        changes={"attended": sorted(came)},
    )
    return inspection


def _step(actor: Actor, inspection: Inspection, name: str, apply: Any = None) -> Inspection:
    _require_editor(actor)

    def record(move: Move[Inspection, Step]) -> Inspection:
        audit.record(
            actor=actor,
            action=f"inspection.{name}",
            obj=move.obj,
            changes={"status": [move.source, move.obj.status]}
            | ({"reason": move.obj.cancelled_reason} if move.obj.cancelled_reason else {}),
        )
        return move.obj

    return workflow.PROCESS.take(inspection, name, apply=apply, record=record)


@transaction.atomic
def inspection_mark_held(*, actor: Actor, inspection: Inspection) -> Inspection:
    return _step(actor, inspection, "hold")


@transaction.atomic
def inspection_protocol_done(*, actor: Actor, inspection: Inspection) -> Inspection:
    return _step(actor, inspection, "protocol")


@transaction.atomic
def inspection_cancel(*, actor: Actor, inspection: Inspection, reason: str) -> Inspection:
    def apply(locked: Inspection) -> None:
        locked.cancelled_reason = reason.strip()

    return _step(actor, inspection, "cancel", apply)
