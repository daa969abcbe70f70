"""Writes of the invitations to an inspection: the contacts of each invited group, the
invitation itself (by e-mail and SMS to the contacts, and always to the utskott of the area,
with an iCalendar invitation), and the coordinators' warning of a season with no inspection
planned. Each write is audited in its transaction; the messages go through the outbox."""

import datetime
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torget.accounts.models import normalize_email
from torget.accounts.roles import Role
from torget.accounts.selectors import users_with_role
from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.councils import selectors as councils
from torget.inspections import permissions, selectors
from torget.inspections.models import (
    GroupContact,
    Inspection,
    InspectionGroup,
    InspectionStatus,
    InvitedGroup,
    Season,
    SeasonWarning,
)
from torget.inspections.workflow import InspectionError
from torget.notifications.models import Channel
from torget.notifications.phones import normalize_mobile
from torget.notifications.services import clean_addresses, notify
from torget.organisation.selectors import municipality_get

INVITATION = "inspections.invitation"
SEASON_WARNING = "inspections.season_warning"
# How long the walk is in the calendar invitation when nothing else is known.
WALK_LENGTH = datetime.timedelta(hours=2)


def _require_editor(actor: Actor) -> None:
    if not permissions.edits_inspections(actor):
        raise PermissionDenied


# --- Contacts ----------------------------------------------------------------------------------


def clean_contact(*, email: str, phone: str) -> tuple[str, str]:
    """The e-mail address normalised and the mobile number as E.164, or the errors by field;
    at least one of them."""
    email, phone, errors = clean_addresses(email=email.strip(), phone=phone.strip())
    if not email and not phone and not errors:
        errors["email"] = [_("Skriv en e-postadress eller ett mobilnummer, eller båda.")]
    if errors:
        raise InspectionError(errors)
    return email, phone


@transaction.atomic
def contact_add(
    *,
    actor: Actor,
    inspection: Inspection,
    group: str,
    name: str = "",
    email: str = "",
    phone: str = "",
) -> GroupContact:
    """Someone the invitation goes to for one of the inspection's invited groups."""
    _require_editor(actor)
    if inspection.status == InspectionStatus.CANCELLED:
        raise InspectionError(_("Besiktningen är inställd."))
    row = InspectionGroup.objects.filter(inspection=inspection, group=group).first()
    if row is None:
        raise InspectionError({"group": _("Välj en av besiktningens inbjudna grupper.")})
    email, phone = clean_contact(email=email, phone=phone)
    contact = GroupContact.objects.create(group=row, name=name.strip(), email=email, phone=phone)
    audit.record(
        actor=actor,
        action="inspection.contact_added",
        obj=inspection,
        changes={"group": group, "contact": contact.pk},
    )
    return contact


@transaction.atomic
def contact_remove(*, actor: Actor, contact: GroupContact) -> None:
    _require_editor(actor)
    inspection = contact.group.inspection
    group, pk = contact.group.group, contact.pk
    contact.delete()
    audit.record(
        actor=actor,
        action="inspection.contact_removed",
        obj=inspection,
        changes={"group": group, "contact": pk},
    )


def contacts_copy_previous(inspection: Inspection) -> int:
    """A newly planned inspection starts with the contacts of the council's latest earlier
    one, for the groups both invite; returns how many were copied."""
    previous = (
        Inspection.objects.filter(council=inspection.council, groups__contacts__isnull=False)
        .exclude(pk=inspection.pk)
        .order_by("-date", "-pk")
        .first()
    )
    if previous is None:
        return 0
    rows = {row.group: row for row in inspection.groups.all()}
    copies = [
        GroupContact(group=rows[c.group.group], name=c.name, email=c.email, phone=c.phone)
        for c in GroupContact.objects.filter(group__inspection=previous).select_related("group")
        if c.group.group in rows
    ]
    GroupContact.objects.bulk_create(copies)
    return len(copies)


# --- The invitation ----------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "torget.invalid"


def _route_text(inspection: Inspection) -> str:
    points = inspection.route_points
    if not points:
        return ""
    return "\n".join(
        f"{number}. {lat:.5f}, {lon:.5f}" for number, (lat, lon) in enumerate(points, start=1)
    )


def calendar(inspection: Inspection) -> str:
    """The walk as an iCalendar invitation (METHOD:REQUEST); a changed invitation has a higher
    SEQUENCE, so calendars move the entry they hold."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Torget//Trygghetsbesiktning {_host()}//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"inspection-{inspection.pk}@{_host()}")
    event.add("sequence", inspection.invitation_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    if inspection.starts_at is not None:
        start = timezone.make_aware(
            datetime.datetime.combine(inspection.date, inspection.starts_at)
        )
        event.add("dtstart", start)
        event.add("dtend", start + WALK_LENGTH)
    else:
        event.add("dtstart", inspection.date)
        event.add("dtend", inspection.date + datetime.timedelta(days=1))
    event.add(
        "summary", _("Trygghetsbesiktning med %(council)s") % {"council": inspection.council.name}
    )
    event.add("location", inspection.meeting_point)
    description = "\n\n".join(
        text for text in (inspection.description, _route_text(inspection)) if text
    )
    if description:
        event.add("description", description)
    if inspection.route_points:
        event.add("geo", inspection.route_points[0])
    event.add("status", "CONFIRMED")
    event.add("organizer", f"mailto:{_from_address()}", parameters={"CN": _organizer_name()})
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def _from_address() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("<", 1)[1].rstrip(">").strip() if "<" in address else address


def _organizer_name() -> str:
    return municipality_get().name or _from_address()


def _council_reach(inspection: Inspection) -> tuple[list[Any], set[str], set[str]]:
    """The council's current members, invited as its representatives: those with an account
    as users, the others by their e-mail and mobile number (a number that cannot take an SMS
    is left out)."""
    if not inspection.groups.filter(group=InvitedGroup.COUNCIL).exists():
        return [], set(), set()
    users, emails, phones = [], set(), set()
    for member in councils.current_members(inspection.council).select_related("user"):
        if member.user is not None and member.user.is_active:
            users.append(member.user)
            continue
        if member.email:
            emails.add(normalize_email(member.email))
        if member.phone:
            try:
                phones.add(normalize_mobile(member.phone))
            except ValidationError:
                pass
    return users, emails, phones


@transaction.atomic
def invitation_send(*, actor: Actor, inspection: Inspection) -> dict[str, int]:
    """Invite the groups: by e-mail to every contact with an address and by SMS to every
    contact with a mobile number, the council's members as its representatives, and always
    the utskott of the area, even when no group has a contact. Sent again after a change, it
    is the changed invitation. Returns how many were sent to, by channel."""
    _require_editor(actor)
    inspection = (
        Inspection.objects.select_for_update().select_related("council").get(pk=inspection.pk)
    )
    if inspection.status != InspectionStatus.PLANNED:
        raise InspectionError(_("Inbjudan skickas till en besiktning som är planerad."))
    changed = inspection.invited_at is not None
    if changed:
        inspection.invitation_sequence += 1
    inspection.invited_at = timezone.now()
    inspection.save(update_fields=["invited_at", "invitation_sequence"])

    members, emails, phones = _council_reach(inspection)
    for contact in selectors.contacts(inspection):
        if contact.email:
            emails.add(contact.email)
        if contact.phone:
            phones.add(contact.phone)
    # The utskott of the area, and its coordinator through whom its invitations go.
    utskott = councils.utskott_recipients(inspection.council.utskott)
    utskott += [u for u in users_with_role(Role.UTSKOTT_COORDINATOR) if u not in utskott]
    staff = [*utskott, *[m for m in members if m not in utskott]]
    # Whoever has an account hears of it there once, with the link.
    emails -= {normalize_email(user.email) for user in staff if user.email}
    context = {
        "council": inspection.council.name,
        "date": date_format(inspection.date, "l j F Y"),
        "time": inspection.starts_at.strftime("%H:%M") if inspection.starts_at else "",
        "meeting_point": inspection.meeting_point,
        "description": inspection.description,
        "route": _route_text(inspection),
        "changed": changed,
    }
    attachments = [
        {
            "filename": "trygghetsbesiktning.ics",
            "content": calendar(inspection),
            "mimetype": "text/calendar",
            "params": {"method": "REQUEST"},
        }
    ]
    if emails or phones:
        # Outside the municipality's accounts: no link to the staff page.
        notify(
            template=INVITATION,
            context=context | {"url": ""},
            emails=sorted(emails),
            phones=sorted(phones),
            channels=(Channel.EMAIL, Channel.SMS),
            attachments=attachments,
        )
    notify(
        template=INVITATION,
        context=context | {"url": inspection.get_absolute_url(), "for_utskott": True},
        users=staff,
        attachments=attachments,
    )
    counts = {"emails": len(emails), "phones": len(phones), "accounts": len(staff)}
    audit.record(
        actor=actor,
        action="inspection.invitation_changed" if changed else "inspection.invited",
        obj=inspection,
        changes=counts | {"sequence": inspection.invitation_sequence},
    )
    return counts


# --- The season warning ------------------------------------------------------------------------


def season_warnings_send(today: datetime.date | None = None) -> int:
    """Warn the safety coordinators of each season that ends within four weeks without an
    inspection planned: once a council, year and season, however many workers tick (the
    unique row is written in the transaction that sends). Returns how many were sent."""
    today = today or timezone.localdate()
    due = [(c, cell) for c, cell in selectors.season_warnings(today) if cell.warn]
    if not due:
        return 0
    warned = set(SeasonWarning.objects.filter(year=today.year).values_list("council_id", "season"))
    due = [(c, cell) for c, cell in due if (c.pk, cell.season) not in warned]
    coordinators = list(users_with_role(Role.SAFETY_COORDINATOR))
    if not due or not coordinators:
        return 0
    sent = 0
    for council, cell in due:
        with transaction.atomic():
            _, created = SeasonWarning.objects.get_or_create(
                council=council, year=today.year, season=cell.season
            )
            if not created:
                continue
            notify(
                template=SEASON_WARNING,
                context={
                    "council": council.name,
                    "season": str(Season(cell.season).label).lower(),
                    "year": today.year,
                    "last_day": date_format(cell.end, "j F Y"),
                    "url": reverse("inspections:staff_plan") + f"?ar={today.year}",
                },
                users=coordinators,
            )
            sent += 1
    return sent
