"""Writes of the councils part: councils, their members, support and chair, closing a
council, planning its meetings through the meetings part, the secretary and attendance, and
the utskott's decisions that a matter calls for one of its members to take part.

Invitations and minutes always go to the utskott for the area (DOMAIN §5), through the
outbox, in the transaction of the change."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core.workflow import Move, Step
from torget.councils import permissions, selectors, workflow
from torget.councils.models import (
    Council,
    CouncilKind,
    CouncilMeeting,
    CouncilMember,
    CouncilSupport,
    Represents,
    UtskottParticipation,
)
from torget.councils.workflow import CouncilError
from torget.dialogues.models import Method
from torget.meetings import services as meetings
from torget.meetings.models import Meeting
from torget.notifications.services import notify
from torget.organisation.models import Body, BodyKind
from torget.organisation.permissions import is_member_of_body

COUNCIL_FIELDS = ("name", "description", "area", "focus_questions")
MEMBER_FIELDS = (
    "name",
    "organisation",
    "role",
    "represents",
    "term_from",
    "term_to",
    "email",
    "phone",
    "user",
)
# The catalogue method a council's meetings are recorded with (its stable code).
COUNCIL_MEETING_METHOD = "dialogmote"


def _require_editor(actor: Actor) -> None:
    if not permissions.edits_councils(actor):
        raise PermissionDenied


def _require_open(council: Council) -> None:
    if council.is_closed:
        raise CouncilError(_("Rådet är avslutat och kan inte ändras."))


def utskott_covering(area: Any) -> Body | None:
    """The active utskott för medborgardialog whose area is `area` or one that contains it
    (DOMAIN §5: each safety council is tied to the utskott whose area covers it)."""
    while area is not None:
        utskott = (
            Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE, is_active=True, area=area)
            .order_by("pk")
            .first()
        )
        if utskott is not None:
            return utskott
        area = area.parent
    return None


def councils_retie(*, actor: Actor | None = None) -> int:
    """Tie every council with an area to the utskott that covers the area now: run when an
    utskott or an area changes (councils.apps), so the stored tie is never stale. Returns
    how many councils changed utskott."""
    changed = 0
    for council in Council.objects.filter(area__isnull=False).select_related("area"):
        utskott = utskott_covering(council.area)
        if (utskott.pk if utskott else None) == council.utskott_id:
            continue
        Council.objects.filter(pk=council.pk).update(utskott=utskott)
        audit.record(
            actor=actor,
            action="council.retied",
            obj=council,
            changes={"utskott": str(utskott or "")},
        )
        changed += 1
    return changed


def _tie_to_utskott(council: Council) -> None:
    council.utskott = utskott_covering(council.area)
    if council.kind == CouncilKind.SAFETY:
        if council.area is None:
            raise CouncilError({"area": _("Ett trygghetsråd hör till ett område. Välj området.")})
        if council.utskott is None:
            raise CouncilError(
                {"area": _("Inget utskott för medborgardialog täcker området. Välj ett annat.")}
            )


def _unique(model: Any, field: str, value: str, max_length: int) -> str:
    candidate, number = value[:max_length], 2
    while model.objects.filter(**{field: candidate}).exists():
        suffix = f"-{number}"
        candidate = value[: max_length - len(suffix)] + suffix
        number += 1
    return candidate


@transaction.atomic
def council_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    area: Any = None,
    description: str = "",
    focus_questions: str = "",
) -> Council:
    _require_editor(actor)
    name = name.strip()
    slug = _unique(Council, "slug", slugify(name) or "rad", 150)
    if Council.objects.filter(name=name).exists():
        raise CouncilError({"name": _("Det finns redan ett råd med det namnet.")})
    council = Council(
        kind=kind,
        name=name,
        slug=slug,
        area=area,
        description=description.strip(),
        focus_questions=focus_questions.strip(),
    )
    _tie_to_utskott(council)
    if (
        kind == CouncilKind.SAFETY
        and Council.objects.filter(kind=kind, area=area, status="aktivt").exists()
    ):
        raise CouncilError({"area": _("Området har redan ett trygghetsråd.")})
    # The council's own body, whose meetings are the council's (meetings.bodies).
    body = Body(
        kind=BodyKind.STANDING_COUNCIL,
        name=_unique(Body, "name", name, 150),
        slug=_unique(Body, "slug", f"rad-{slug}", 150),
        abbreviation=_unique(Body, "abbreviation", f"R-{slug[:6].upper()}", 12),
        # No area: the council's place is the council's, and an area's page lists its
        # political bodies, which a council is not.
        description=description.strip(),
    )
    body.full_clean()
    body.save()
    council.body = body
    council.full_clean()
    council.save()
    audit.record(
        actor=actor,
        action="council.created",
        obj=council,
        changes={"kind": kind, "utskott": str(council.utskott or "")},
    )
    return council


@transaction.atomic
def council_update(*, actor: Actor, council: Council, **values: Any) -> Council:
    _require_editor(actor)
    council = Council.objects.select_for_update().get(pk=council.pk)
    _require_open(council)
    unknown = set(values) - set(COUNCIL_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: str(getattr(council, name)) for name in (*values, "utskott")}
    for name, value in values.items():
        setattr(council, name, value.strip() if isinstance(value, str) else value)
    _tie_to_utskott(council)
    if (
        council.kind == CouncilKind.SAFETY
        and Council.objects.filter(kind=council.kind, area=council.area, status="aktivt")
        .exclude(pk=council.pk)
        .exists()
    ):
        raise CouncilError({"area": _("Området har redan ett trygghetsråd.")})
    if Council.objects.filter(name=council.name).exclude(pk=council.pk).exists():
        raise CouncilError({"name": _("Det finns redan ett råd med det namnet.")})
    council.full_clean()
    council.save()
    body = council.body
    body.description = council.description
    if not Body.objects.filter(name=council.name).exclude(pk=body.pk).exists():
        body.name = council.name
    body.save(update_fields=["description", "name"])
    after = {name: str(getattr(council, name)) for name in (*values, "utskott")}
    audit.record(
        actor=actor, action="council.updated", obj=council, changes=audit.diff(before, after)
    )
    return council


@transaction.atomic
def council_close(
    *, actor: Actor, council: Council, closed_on: datetime.date | None, reason: str
) -> Council:
    """Mark a council closed: it is kept, with its members, meetings and documents."""
    _require_editor(actor)

    def apply(council: Council) -> None:
        council.closed_on = closed_on
        council.closed_reason = reason.strip()

    def record(move: Move[Council, Step]) -> Council:
        body = move.obj.body
        body.is_active = False
        body.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="council.closed",
            obj=move.obj,
            changes={"closed_on": str(closed_on), "reason": move.obj.closed_reason},
        )
        return move.obj

    return workflow.PROCESS.take(council, "close", apply=apply, record=record)


# --- Members, support, chair -------------------------------------------------------------------


def _check_member(council: Council, member: CouncilMember) -> None:
    if member.represents == Represents.ELECTED and not council.has_elected:
        raise CouncilError(
            {
                "represents": _(
                    "Ett %(kind)s har inga förtroendevalda ledamöter. Välj vad personen företräder."
                )
                % {"kind": council.get_kind_display().lower()}
            }
        )
    if member.term_to is not None and member.term_to < member.term_from:
        raise CouncilError({"term_to": _("Uppdraget kan inte sluta innan det börjar.")})


@transaction.atomic
def member_add(*, actor: Actor, council: Council, **values: Any) -> CouncilMember:
    _require_editor(actor)
    _require_open(council)
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    member = CouncilMember(
        council=council,
        **{k: v.strip() if isinstance(v, str) else v for k, v in values.items()},
    )
    _check_member(council, member)
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        action="council.member_added",
        obj=council,
        changes={"organisation": member.organisation, "role": member.role},
    )
    return member


@transaction.atomic
def member_update(*, actor: Actor, member: CouncilMember, **values: Any) -> CouncilMember:
    _require_editor(actor)
    council = member.council
    _require_open(council)
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: str(getattr(member, name)) for name in values}
    for name, value in values.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    _check_member(council, member)
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        action="council.member_updated",
        obj=council,
        changes=audit.diff(before, {name: str(getattr(member, name)) for name in values}),
    )
    return member


@transaction.atomic
def support_add(*, actor: Actor, council: Council, user: User, task: str = "") -> CouncilSupport:
    """An official added to the council as administrative support."""
    _require_editor(actor)
    _require_open(council)
    if not user.groups.filter(name__in=[Role.OFFICIAL, Role.SAFETY_COORDINATOR]).exists():
        raise CouncilError({"user": _("Administrativt stöd är en tjänsteperson i kommunen.")})
    if council.support.filter(user=user).exists():
        raise CouncilError({"user": _("Personen är redan stöd till rådet.")})
    support = CouncilSupport.objects.create(council=council, user=user, task=task.strip()[:150])
    audit.record(
        actor=actor, action="council.support_added", obj=council, changes={"user": user.pk}
    )
    return support


@transaction.atomic
def chair_set(
    *,
    actor: Actor,
    council: Council,
    member: CouncilMember | None = None,
    coordinator: User | None = None,
    reason: str = "",
) -> Council:
    """The chair is chosen among the council's local members. Only when none of them will
    take it does the safety unit's coordinator act as chair, and that exception is recorded
    with its reason (DOMAIN §5)."""
    _require_editor(actor)
    council = Council.objects.select_for_update().get(pk=council.pk)
    _require_open(council)
    reason = reason.strip()
    if (member is None) == (coordinator is None):
        raise CouncilError(
            _("Välj en ledamot som ordförande, eller samordnaren om ingen ledamot vill.")
        )
    if member is not None:
        if not selectors.current_members(council).filter(pk=member.pk).exists():
            raise CouncilError({"member": _("Ordföranden väljs bland rådets nuvarande ledamöter.")})
        council.chair, council.acting_chair, council.chair_exception_reason = member, None, ""
        council.save(update_fields=["chair", "acting_chair", "chair_exception_reason"])
        audit.record(
            actor=actor,
            action="council.chair_set",
            obj=council,
            changes={"chair": member.pk, "organisation": member.organisation},
        )
        return council
    assert coordinator is not None  # noqa: S101 — one of the two, checked above
    if not coordinator.groups.filter(name=Role.SAFETY_COORDINATOR).exists():
        raise CouncilError({"coordinator": _("Välj en av säkerhetsenhetens samordnare.")})
    if not reason:
        raise CouncilError(
            {
                "reason": _(
                    "Samordnaren är ordförande bara när ingen av rådets ledamöter vill ta "
                    "uppdraget. Skriv varför det är så i det här rådet."
                )
            }
        )
    council.chair, council.acting_chair, council.chair_exception_reason = None, coordinator, reason
    council.save(update_fields=["chair", "acting_chair", "chair_exception_reason"])
    audit.record(
        actor=actor,
        action="council.chair_exception",
        obj=council,
        changes={"acting_chair": coordinator.pk, "reason": reason},
    )
    return council


# --- Meetings ----------------------------------------------------------------------------------


def _agenda(council: Council, duration: int) -> list[tuple[str, int]]:
    """An agenda built around the focus questions: the secretary is appointed first, one item
    per focus question, what goes on to the utskott last."""
    questions = [line.strip() for line in council.focus_questions.splitlines() if line.strip()]
    questions = questions or [_("Läget i området")]
    opening = closing = 10 if duration >= 20 + 5 * len(questions) else 5
    # What is left is shared by the focus questions, so the agenda fits the meeting.
    each = max(1, (duration - opening - closing) // len(questions))
    return [
        (_("Välkomna och val av sekreterare"), opening),
        *[(question[:200], each) for question in questions],
        (_("Åtgärder, ansvar och vad som går till utskottet"), closing),
    ]


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def council_meeting_plan(
    *,
    actor: Actor,
    council: Council,
    title: str,
    purpose: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
) -> CouncilMeeting:
    """Plan a council meeting through the meetings part (its agenda built around the focus
    questions), and send the invitation to the utskott for the area."""
    _require_editor(actor)
    _require_open(council)
    method = (
        Method.objects.filter(code=COUNCIL_MEETING_METHOD).first()
        or Method.objects.order_by("pk").first()
    )
    meeting = meetings.meeting_create(
        actor=actor,
        body=council.body,
        method=method,
        title=title.strip(),
        purpose=purpose.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        area=council.area,
    )
    for item_title, item_minutes in _agenda(council, meeting.duration_minutes):
        meetings.agenda_item_add(
            meeting=meeting, actor=actor, title=item_title, minutes=item_minutes
        )
    council_meeting = CouncilMeeting.objects.create(council=council, meeting=meeting)
    _invite(council_meeting)
    audit.record(
        actor=actor,
        action="council.meeting_planned",
        obj=council,
        changes={"meeting": meeting.pk, "starts_at": _fmt(starts_at)},
    )
    return council_meeting


def _invite(council_meeting: CouncilMeeting) -> None:
    council, meeting = council_meeting.council, council_meeting.meeting
    utskott = selectors.utskott_recipients(council.utskott)
    emails = sorted(
        {m.email for m in selectors.current_members(council) if m.email and m.user_id is None}
    )
    members = [m.user for m in selectors.current_members(council) if m.user is not None]
    if not (utskott or emails or members):
        return
    notify(
        template="councils.invitation",
        context={
            "council": council.name,
            "title": meeting.title,
            "starts_at": _fmt(meeting.starts_at),
            "place": meeting.place,
            "url": council_meeting.council.staff_url(),
        },
        users=[*utskott, *[m for m in members if m not in utskott]],
        emails=emails,
    )
    council_meeting.invited_at = timezone.now()
    council_meeting.save(update_fields=["invited_at"])


@transaction.atomic
def secretary_appoint(
    *, actor: Actor, council_meeting: CouncilMeeting, member: CouncilMember
) -> CouncilMeeting:
    """A secretary is appointed at each meeting, among the council's members."""
    _require_editor(actor)
    if member.council_id != council_meeting.council_id:
        raise CouncilError({"member": _("Sekreteraren är en av rådets ledamöter.")})
    council_meeting.secretary = member
    council_meeting.save(update_fields=["secretary"])
    audit.record(
        actor=actor,
        action="council.secretary_appointed",
        obj=council_meeting.council,
        changes={"meeting": council_meeting.meeting_id, "secretary": member.pk},
    )
    return council_meeting


@transaction.atomic
def attendance_record(
    *, actor: Actor, council_meeting: CouncilMeeting, present: list[CouncilMember]
) -> CouncilMeeting:
    _require_editor(actor)
    if any(member.council_id != council_meeting.council_id for member in present):
        raise CouncilError({"present": _("Välj bland rådets ledamöter.")})
    council_meeting.present.set(present)
    audit.record(
        actor=actor,
        action="council.attendance_recorded",
        obj=council_meeting.council,
        changes={"meeting": council_meeting.meeting_id, "present": len(present)},
    )
    return council_meeting


def minutes_send_to_utskott(*, meeting: Meeting, actor: Actor) -> CouncilMeeting | None:
    """The approved minutes of a council meeting go to the utskott for the area, and are
    listed on the agenda of its next meeting (meetings.minutes). Called by the meetings part
    in the transaction that approves the documentation (meetings.bodies)."""
    council_meeting = CouncilMeeting.objects.select_for_update().filter(meeting=meeting).first()
    if council_meeting is None or council_meeting.minutes_sent_at is not None:
        return council_meeting
    council = council_meeting.council
    council_meeting.minutes_sent_at = timezone.now()
    council_meeting.save(update_fields=["minutes_sent_at"])
    recipients = selectors.utskott_recipients(council.utskott)
    if recipients:
        notify(
            template="councils.minutes",
            context={
                "council": council.name,
                "title": meeting.title,
                "starts_at": _fmt(meeting.starts_at),
                "url": meeting.get_absolute_url(),
            },
            users=recipients,
        )
    audit.record(
        actor=actor,
        action="council.minutes_sent",
        obj=council,
        changes={"meeting": meeting.pk, "utskott": str(council.utskott or "")},
    )
    return council_meeting


# --- The utskott's participation ---------------------------------------------------------------


@transaction.atomic
def participation_record(
    *,
    actor: Actor,
    council: Council,
    person: User,
    matter: str,
    decided_on: datetime.date | None,
    decision_reference: str = "",
    council_meeting: CouncilMeeting | None = None,
) -> UtskottParticipation:
    """Record the utskott's decision that a council matter calls for one of its members to
    take part; the decision gives the right to compensation (ersättning för förrättning)."""
    _require_editor(actor)
    errors: dict[str, str] = {}
    if council.utskott is None:
        raise CouncilError(_("Rådet hör inte till något utskott."))
    if not is_member_of_body(person, council.utskott):
        errors["person"] = _("Personen är inte ledamot i utskottet för rådets område.")
    if not matter.strip():
        errors["matter"] = _("Skriv vilket ärende som påkallar deltagande.")
    if decided_on is None:
        errors["decided_on"] = _("Skriv när utskottet beslutade.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("Ett beslut kan inte ha ett datum i framtiden.")
    if council_meeting is not None and council_meeting.council_id != council.pk:
        errors["council_meeting"] = _("Välj ett av rådets möten.")
    if errors or decided_on is None:
        raise CouncilError(errors)
    participation = UtskottParticipation.objects.create(
        council=council,
        council_meeting=council_meeting,
        person=person,
        matter=matter.strip(),
        decided_on=decided_on,
        decision_reference=decision_reference.strip()[:60],
        compensation=True,
        recorded_by=user_or_none(actor),
    )
    audit.record(
        actor=actor,
        action="council.utskott_participation",
        obj=council,
        changes={"person": person.pk, "decided_on": str(decided_on), "compensation": True},
    )
    return participation
