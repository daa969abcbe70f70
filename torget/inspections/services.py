"""Writes of the inspections part: planning an inspection of a safety council's area,
changing it, recording which invited groups came, and its steps (held, protocol done,
cancelled). Each write is audited in its transaction."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import images
from torget.core.storage import removed_on_failure
from torget.core.workflow import Move, Step
from torget.councils.models import Council, CouncilKind
from torget.feedback import services as feedback
from torget.feedback.models import Case, Kind, Source
from torget.inspections import invitations, permissions, workflow
from torget.inspections.models import (
    Action,
    ActionStatus,
    Cause,
    CauseRemoved,
    Finding,
    FindingPhoto,
    FollowUp,
    Inspection,
    InspectionGroup,
    InspectionStatus,
    InvitedGroup,
    ResponsibleKind,
    season_of,
)
from torget.inspections.workflow import ActionError, InspectionError

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
    # The groups' contacts from the council's previous inspection, to start from.
    copied = invitations.contacts_copy_previous(inspection)
    audit.record(
        actor=actor,
        action="inspection.planned",
        obj=inspection,
        changes={"date": str(date), "season": inspection.season, "groups": codes}
        | ({"contacts": copied} if copied else {}),
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
    """The protocol is done: it goes to the utskott of the area, listed on the agenda of its
    next meeting (selectors.protocols_to_utskott)."""

    def apply(locked: Inspection) -> None:
        locked.protocol_done_at = timezone.now()

    return _step(actor, inspection, "protocol", apply)


@transaction.atomic
def protocol_publish(*, actor: Actor, inspection: Inspection) -> Inspection:
    """Publish the public version of a done protocol under /trygghet/: no names of persons,
    and only the photos approved for it."""
    _require_editor(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.PROTOCOL_DONE:
        raise InspectionError(_("Bara ett färdigt protokoll kan publiceras."))
    if inspection.published_at is None:
        inspection.published_at = timezone.now()
        inspection.save(update_fields=["published_at", "updated_at"])
        audit.record(actor=actor, action="inspection.published", obj=inspection)
    return inspection


@transaction.atomic
def inspection_cancel(*, actor: Actor, inspection: Inspection, reason: str) -> Inspection:
    def apply(locked: Inspection) -> None:
        locked.cancelled_reason = reason.strip()

    return _step(actor, inspection, "cancel", apply)


# --- Findings ----------------------------------------------------------------------------------

MAX_FINDING_PHOTOS = 5


def _require_open(inspection: Inspection) -> None:
    if inspection.status in (InspectionStatus.CANCELLED, InspectionStatus.PROTOCOL_DONE):
        raise InspectionError(
            _("Fynd läggs till innan protokollet är klart, och inte på en inställd besiktning.")
        )


def _processed(photos: Iterable[Any]) -> list[ContentFile[bytes]]:
    """Each upload checked, turned upright and stripped of its metadata, as fault-report
    photos are; the first that fails refuses them all."""
    uploads = list(photos)
    if len(uploads) > MAX_FINDING_PHOTOS:
        raise InspectionError(
            {"photos": _("Du kan lägga till högst %(max)s foton.") % {"max": MAX_FINDING_PHOTOS}}
        )
    files = []
    for upload in uploads:
        try:
            files.append(images.process(upload).file)
        except images.ImageError as error:
            raise InspectionError({"photos": str(error)}) from error
    return files


@transaction.atomic
def finding_add(
    *,
    actor: Actor,
    inspection: Inspection,
    category: str,
    description: str,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photos: Iterable[Any] = (),
) -> Finding:
    """A finding on the walk: a place (a pin, or an address or description of the place),
    what was seen, its category and photos."""
    _require_editor(actor)
    _require_open(inspection)
    if (lat is None) != (lon is None):
        lat = lon = None
    if lat is None and not address.strip():
        raise InspectionError(
            {"address": _("Markera platsen på kartan, skriv koordinaterna eller beskriv platsen.")}
        )
    files = _processed(photos)
    finding = Finding(
        inspection=inspection,
        category=category,
        description=description.strip(),
        address=address.strip(),
        lat=lat,
        lon=lon,
        created_by=user_or_none(actor),
    )
    finding.full_clean()
    finding.save()
    with removed_on_failure():
        for file in files:
            FindingPhoto.objects.create(finding=finding, image=file)
    audit.record(
        actor=actor,
        action="inspection.finding_added",
        obj=inspection,
        changes={"finding": finding.pk, "category": category, "photos": len(files)},
    )
    return finding


@transaction.atomic
def finding_photo_set_public(*, actor: Actor, photo: FindingPhoto, is_public: bool) -> None:
    """Approve a photo for the public version of the protocol (no faces), or take it back."""
    _require_editor(actor)
    if photo.is_public != is_public:
        photo.is_public = is_public
        photo.save(update_fields=["is_public"])
        audit.record(
            actor=actor,
            action="inspection.photo_public" if is_public else "inspection.photo_private",
            obj=photo.finding.inspection,
            changes={"finding": photo.finding_id, "photo": photo.pk},
        )


# --- Root-cause analysis and actions -----------------------------------------------------------


@transaction.atomic
def problem_set(*, actor: Actor, finding: Finding, problem: str) -> Finding:
    """The observed problem the root-cause analysis starts from."""
    _require_editor(actor)
    finding.problem = problem.strip()
    finding.full_clean()
    finding.save(update_fields=["problem"])
    audit.record(
        actor=actor,
        action="inspection.problem_set",
        obj=finding.inspection,
        changes={"finding": finding.pk, "problem": finding.problem},
    )
    return finding


@transaction.atomic
def cause_add(*, actor: Actor, finding: Finding, description: str, influenced_by: str) -> Cause:
    _require_editor(actor)
    cause = Cause(
        finding=finding, description=description.strip(), influenced_by=influenced_by.strip()
    )
    cause.full_clean()
    cause.save()
    audit.record(
        actor=actor,
        action="inspection.cause_added",
        obj=finding.inspection,
        changes={"finding": finding.pk, "cause": cause.description},
    )
    return cause


@transaction.atomic
def action_propose(
    *,
    actor: Actor,
    finding: Finding,
    description: str,
    responsible: str,
    responsible_kind: str,
    due_on: datetime.date,
    cause: Cause | None = None,
) -> Action:
    """A proposed action for a cause of the finding (status proposed)."""
    _require_editor(actor)
    if cause is not None and cause.finding_id != finding.pk:
        raise ActionError({"cause": _("Välj en av fyndets orsaker.")})
    action = Action(
        finding=finding,
        cause=cause,
        description=description.strip(),
        responsible=responsible.strip(),
        responsible_kind=responsible_kind,
        due_on=due_on,
    )
    action.full_clean()
    action.save()
    audit.record(
        actor=actor,
        action="inspection_action.proposed",
        obj=action,
        changes={
            "finding": finding.pk,
            "responsible": action.responsible,
            "due_on": str(due_on),
        },
    )
    return action


@transaction.atomic
def action_step(*, actor: Actor, action: Action, step: str, reason: str = "") -> Action:
    """Move an action on (agree, start, complete, give_up: the last needs a reason)."""
    _require_editor(actor)
    if step not in workflow.ACTION_PROCESS.steps:
        raise ActionError(_("Okänt steg."))

    def apply(locked: Action) -> None:
        if step == "give_up":
            locked.not_done_reason = reason.strip()

    def record(move: Move[Action, Step]) -> Action:
        audit.record(
            actor=actor,
            action=f"inspection_action.{step}",
            obj=move.obj,
            changes={"status": [move.source, move.obj.status]}
            | ({"reason": move.obj.not_done_reason} if step == "give_up" else {}),
        )
        return move.obj

    return workflow.ACTION_PROCESS.take(action, step, apply=apply, record=record)


@transaction.atomic
def follow_up_record(
    *,
    actor: Actor,
    inspection: Inspection,
    action: Action,
    cause_removed: str,
    note: str = "",
) -> FollowUp:
    """At the area's next inspection: was the action's cause removed? Recorded once per
    inspection and action (recording again corrects it)."""
    _require_editor(actor)
    earlier = action.finding.inspection
    if earlier.council_id != inspection.council_id or earlier.date >= inspection.date:
        raise ActionError(_("En åtgärd följs upp vid en senare besiktning av samma område."))
    if inspection.status == InspectionStatus.CANCELLED:
        raise ActionError(_("Besiktningen är inställd."))
    if cause_removed not in CauseRemoved.values:
        raise ActionError({"cause_removed": _("Välj om orsaken är borta.")})
    follow_up, _created = FollowUp.objects.update_or_create(
        action=action,
        inspection=inspection,
        defaults={
            "cause_removed": cause_removed,
            "note": note.strip(),
            "recorded_by": user_or_none(actor),
        },
    )
    audit.record(
        actor=actor,
        action="inspection.follow_up",
        obj=inspection,
        changes={"action": action.pk, "cause_removed": cause_removed},
    )
    return follow_up


# --- A finding the municipality must fix -------------------------------------------------------


@transaction.atomic
def finding_report_fault(*, actor: Actor, finding: Finding, category: Any) -> Case:
    """Turn the finding into a fault report in the right category and area, through
    feedback's own service, with one action for it; linked both ways (Finding.case, and
    the case's staff page through feedback.links)."""
    _require_editor(actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.case_id is not None:
        raise InspectionError(_("Fyndet är redan en felanmälan."))
    inspection = finding.inspection
    council = inspection.council
    note = _("Från trygghetsbesiktningen med %(council)s %(date)s.") % {
        "council": council.name,
        "date": f"{inspection.date:%Y-%m-%d}",
    }
    try:
        case = feedback.case_create(
            kind=Kind.FAULT,
            category=category,
            description=f"{finding.description}\n\n{note}",
            lat=finding.lat,
            lon=finding.lon,
            address=finding.address,
            area=council.area,
            source=Source.INSPECTION,
            actor=actor,
        )
    except ValidationError as error:
        raise InspectionError({"category": error.messages}) from error
    finding.case = case
    finding.save(update_fields=["case"])
    administration = case.administration.name if case.administration else category.name
    action = action_propose(
        actor=actor,
        finding=finding,
        description=_("Åtgärdas som felanmälan %(number)s.") % {"number": case.number},
        responsible=administration,
        responsible_kind=ResponsibleKind.ADMINISTRATION,
        due_on=case.respond_by,
    )
    if action.status == ActionStatus.PROPOSED:
        action_step(actor=actor, action=action, step="agree")
    audit.record(
        actor=actor,
        action="inspection.fault_reported",
        obj=inspection,
        changes={"finding": finding.pk, "case": case.number},
    )
    return case


# --- Corrections after the walk ----------------------------------------------------------------

FINDING_FIELDS = ("category", "description", "address", "lat", "lon", "problem")
CAUSE_FIELDS = ("description", "influenced_by")
ACTION_FIELDS = ("description", "responsible", "responsible_kind", "due_on")


def _require_correctable(inspection: Inspection) -> None:
    if inspection.status in (InspectionStatus.CANCELLED, InspectionStatus.PROTOCOL_DONE):
        raise InspectionError(
            _("Det som står i protokollet kan ändras tills protokollet är klart.")
        )


def _correct(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> dict[str, list[str]]:
    """Set the fields given (strings stripped), check and save the object; what changed, as
    [before, after] by field, for the audit log."""
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    obj.full_clean()
    changed = {
        name: [str(before[name]), str(getattr(obj, name))]
        for name in values
        if getattr(obj, name) != before[name]
    }
    if changed:
        obj.save(update_fields=[*changed, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return changed


@transaction.atomic
def finding_update(*, actor: Actor, finding: Finding, **values: Any) -> Finding:
    """Correct a finding (category, description, place, problem) until the protocol is done."""
    _require_editor(actor)
    finding = Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
    _require_correctable(finding.inspection)
    lat, lon = values.get("lat", finding.lat), values.get("lon", finding.lon)
    if (lat is None) != (lon is None):
        raise InspectionError({"lon": _("Skriv både latitud och longitud, eller ingen av dem.")})
    if lat is None and not str(values.get("address", finding.address)).strip():
        raise InspectionError(
            {"address": _("Markera platsen på kartan, skriv koordinaterna eller beskriv platsen.")}
        )
    changed = _correct(finding, FINDING_FIELDS, values)
    if changed:
        audit.record(
            actor=actor,
            action="inspection.finding_updated",
            obj=finding.inspection,
            changes={"finding": finding.pk} | changed,
        )
    return finding


@transaction.atomic
def cause_update(*, actor: Actor, cause: Cause, **values: Any) -> Cause:
    _require_editor(actor)
    cause = Cause.objects.select_for_update().select_related("finding__inspection").get(pk=cause.pk)
    _require_correctable(cause.finding.inspection)
    changed = _correct(cause, CAUSE_FIELDS, values)
    if changed:
        audit.record(
            actor=actor,
            action="inspection.cause_updated",
            obj=cause.finding.inspection,
            changes={"finding": cause.finding_id, "cause": cause.pk} | changed,
        )
    return cause


@transaction.atomic
def action_update(*, actor: Actor, action: Action, **values: Any) -> Action:
    """Correct an action (what, who, by when); its status moves by action_step."""
    _require_editor(actor)
    action = (
        Action.objects.select_for_update().select_related("finding__inspection").get(pk=action.pk)
    )
    _require_correctable(action.finding.inspection)
    if "responsible_kind" in values and values["responsible_kind"] not in ResponsibleKind.values:
        raise ActionError({"responsible_kind": _("Välj typ av ansvarig.")})
    changed = _correct(action, ACTION_FIELDS, values)
    if changed:
        audit.record(
            actor=actor,
            action="inspection_action.updated",
            obj=action,
            changes={"finding": action.finding_id} | changed,
        )
    return action
