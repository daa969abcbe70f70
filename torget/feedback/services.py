"""Writes of synpunkter och felanmälan. Every channel (web form, staff, Open311, a moved
proposal, a dialogue result) creates cases through `case_create`; every change of a case goes
through one of the services below, which record a CaseUpdate and an audit entry and tell the
citizen through the notifications outbox in the same transaction.
"""

import datetime
import io
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from torget.accounts.models import normalize_email
from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import inputs
from torget.core.files import files_prune
from torget.core.storage import removed_on_failure
from torget.core.workdays import add_working_days
from torget.feedback import selectors
from torget.feedback.models import (
    DESCRIPTION_MAX,
    Case,
    CasePhoto,
    CaseStatus,
    CaseUpdate,
    Category,
    CategoryUse,
    Kind,
    ReplyChannel,
    ReplyTemplate,
    Source,
    StatusGroup,
    UpdateKind,
)
from torget.geo.models import Area, AreaKind
from torget.geo.services import areas_containing_point
from torget.notifications import sms
from torget.notifications.models import Channel, Notification, Subscription
from torget.notifications.phones import normalize_mobile
from torget.notifications.services import notify
from torget.organisation.selectors import municipality_get

MAX_PHOTOS = 3


class CaseError(ValidationError):
    pass


# --- Helpers ---------------------------------------------------------------------------------


def _site_context(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "category": case.category.name,
        "kind": Kind(case.kind).label,
        "follow_url": case.follow_url(),
        "municipality_name": municipality_get().name,
    }


def _tell_reporter(case: Case, template: str, **context: Any) -> Notification | None:
    """Tell the reporter by the channel they chose; the notification whose delivery staff
    can follow, or None when there is no way to tell them."""
    channel = selectors.reply_channel_for(case)
    if channel == ReplyChannel.EMAIL and case.reporter_email:
        return notify(
            template=template, context=_site_context(case) | context, emails=[case.reporter_email]
        )
    if channel == ReplyChannel.SMS and case.reporter_phone:
        return notify(
            template=template,
            context=_site_context(case) | context,
            phones=[case.reporter_phone],
            channels=[Channel.SMS],
        )
    return None


def _link(update: CaseUpdate, notification: Notification | None) -> None:
    if notification is not None:
        update.notification = notification
        update.save(update_fields=["notification"])


def _update(case: Case, kind: str, *, actor: Actor | None = None, **fields: Any) -> CaseUpdate:
    return CaseUpdate.objects.create(
        case=case,
        kind=kind,
        author=user_or_none(actor),
        created_at=timezone.now(),
        **fields,
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("status", "category").get(pk=case.pk)


def _require(actor: Actor, perm: str = "feedback.handle_case", obj: Any = None) -> None:
    if not has_perm(actor, perm, obj):
        raise PermissionDenied


# The statuses a new installation starts with (migration 0002 holds the same list); the
# municipality can rename them and add its own in the admin.
DEFAULT_STATUSES = [
    ("mottaget", "Mottaget", StatusGroup.OPEN, True, 10),
    ("pagar", "Pågår", StatusGroup.OPEN, False, 20),
    ("besvarat", "Besvarat", StatusGroup.OPEN, False, 30),
    ("atgardat", "Åtgärdat", StatusGroup.CLOSED, False, 40),
    ("avslutat", "Avslutat", StatusGroup.CLOSED, False, 50),
    ("vidarebefordrat", "Vidarebefordrat", StatusGroup.CLOSED, False, 60),
]


def statuses_ensure_defaults() -> None:
    """Create the default statuses that are missing (never changes existing ones)."""
    for slug, name, group, is_initial, order in DEFAULT_STATUSES:
        if not CaseStatus.objects.filter(slug=slug).exists():
            CaseStatus.objects.create(
                slug=slug,
                name=name,
                group=group,
                is_initial=is_initial and not CaseStatus.objects.filter(is_initial=True).exists(),
                order=order,
            )


def initial_status() -> CaseStatus:
    return CaseStatus.objects.get(is_initial=True)


def route(
    category: Category, area: Area | None, *, chain: Sequence[Area] | None = None
) -> tuple[Any, Any]:
    """(förvaltning, enhet) responsible for a case of this category in this area: the route
    of the smallest area containing it, else the category's own. `chain` is the area and
    those it lies in, smallest first, when the caller already has them."""
    if area is not None and category.is_fault:
        if chain is None:
            chain = []
            while area is not None:
                chain.append(area)
                area = area.parent
        routes = {
            r.area_id: r
            for r in category.routes.filter(area__in=chain).select_related("administration", "unit")
        }
        for candidate in chain:
            if candidate.pk in routes:
                found = routes[candidate.pk]
                return found.administration, found.unit
    return category.administration, category.unit


def areas_at(*, lat: float, lon: float) -> list[Area]:
    """Every area containing the point, smallest first; CaseError when the point lies
    outside the municipality (its area of kind "kommun" if there is one, else all areas
    together)."""
    areas = areas_containing_point(lon=lon, lat=lat)
    if any(a.kind == AreaKind.MUNICIPALITY for a in areas):
        return areas[::-1]
    has_boundary = Area.objects.filter(kind=AreaKind.MUNICIPALITY).exists()
    if has_boundary or (not areas and Area.objects.exists()):
        raise CaseError(
            {
                "lat": _(
                    "Platsen ligger utanför kommunen. Flytta markeringen till en plats i kommunen."
                )
            },
            code="outside",
        )
    return areas[::-1]


def locate(*, lat: float, lon: float) -> Area | None:
    """The smallest area containing the point (see areas_at)."""
    areas = areas_at(lat=lat, lon=lon)
    return areas[0] if areas else None


# Without an SMS gateway (SMS_URL empty) an answer by sms would never arrive.
SMS_UNAVAILABLE = gettext_lazy(
    "Kommunen skickar inte sms. Välj e-post eller telefonsamtal, eller inget svar."
)


def _clean_contact(*, email: str, phone: str, reply_channel: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    email = normalize_email(email) if email.strip() else ""
    if email:
        try:
            email = inputs.parse_email(email)
        except ValidationError:
            errors["reporter_email"] = _("Skriv en giltig e-postadress.")
    if phone.strip():
        try:
            if reply_channel == ReplyChannel.SMS:
                phone = normalize_mobile(phone)
            else:
                phone = inputs.parse_phone(phone)
        except ValidationError as error:
            errors["reporter_phone"] = (
                _("Skriv ett mobilnummer, till exempel 070-123 45 67.")
                if reply_channel == ReplyChannel.SMS
                else error.messages[0]
            )
    else:
        phone = ""
    if reply_channel == ReplyChannel.SMS and not sms.is_enabled():
        errors["reply_channel"] = str(SMS_UNAVAILABLE)
    if reply_channel == ReplyChannel.EMAIL and not email and "reporter_email" not in errors:
        errors["reporter_email"] = _("Skriv din e-postadress om du vill ha svar via e-post.")
    if reply_channel in (ReplyChannel.SMS, ReplyChannel.PHONE) and not phone:
        errors.setdefault("reporter_phone", _("Skriv ditt telefonnummer om du vill ha svar så."))
    if errors:
        raise CaseError(errors)
    return email, phone


# --- Creating a case ---------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    kind: str,
    category: Category,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    attributes: dict[str, Any] | None = None,
    reporter: Any = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    reply_channel: str = ReplyChannel.NONE,
    source: str = Source.WEB,
    api_client: Any = None,
    media_url: str = "",
    api_token: str | None = None,
    photos: Sequence[ContentFile[bytes]] = (),
    actor: Actor | None = None,
    created_at: datetime.datetime | None = None,
    area: Area | None = None,
) -> Case:
    """Receive a case from any channel. Everything is checked before anything is written, so
    bad input leaves nothing half-saved. The receipt goes by the channel the reporter chose."""
    errors: dict[str, Any] = {}
    description = (description or "").strip()
    address = (address or "").strip()
    if kind not in Kind.values:
        raise CaseError({"kind": _("Välj vad ärendet gäller.")}, code="invalid_kind")
    kind = Kind(kind)
    for name, text in (
        ("description", description),
        ("address", address),
        ("reporter_name", reporter_name),
    ):
        try:
            inputs.validate_text(text)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if not description:
        errors.setdefault("description", _("Beskriv ärendet."))
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Beskrivningen får vara högst %(max)s tecken.") % {
            "max": DESCRIPTION_MAX
        }
    expected_use = CategoryUse.FAULT if kind == Kind.FAULT else CategoryUse.OPINION
    if not category.is_active or category.use != expected_use:
        errors["category"] = _("Välj en av kategorierna i listan.")
    if (lat is None) != (lon is None):
        errors["lat"] = _("Platsen behöver både latitud och longitud.")
    if kind == Kind.FAULT and lat is None and not address:
        errors["address"] = _("Markera platsen på kartan eller beskriv var felet finns.")
    if len(address) > 250:
        errors["address"] = _("Platsbeskrivningen får vara högst 250 tecken.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Du kan skicka högst %(max)s foton.") % {"max": MAX_PHOTOS}
    # `area`: where a case without a point belongs, when its source knows (an inspection's
    # finding described by address lies in the inspected area).
    areas: list[Area] = []
    if lat is not None and lon is not None and "lat" not in errors:
        try:
            areas = areas_at(lat=lat, lon=lon)
            area = areas[0] if areas else None
        except CaseError as error:
            errors.update(error.message_dict)
    try:
        email, phone = _clean_contact(
            email=reporter_email or "", phone=reporter_phone or "", reply_channel=reply_channel
        )
    except CaseError as error:
        errors.update(error.message_dict)
    if errors:
        raise CaseError(errors)

    administration, unit = route(category, area, chain=areas or None)
    municipality = municipality_get()
    now = created_at or timezone.now()
    status = initial_status()
    case = Case.objects.create(
        number=f"tmp-{secrets.token_hex(6)}",
        kind=kind,
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        address=address,
        area=area,
        attributes=attributes or {},
        status=status,
        is_open=status.group == StatusGroup.OPEN,
        administration=administration,
        unit=unit,
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
        reporter_name=reporter_name.strip()[:120],
        reporter_email=email,
        reporter_phone=phone,
        reply_channel=reply_channel,
        source=source,
        api_client=api_client,
        media_url=media_url,
        api_token=api_token,
        is_public=kind == Kind.FAULT,
        created_at=now,
        respond_by=add_working_days(timezone.localtime(now).date(), municipality.feedback_sla_days),
    )
    case.number = f"{timezone.localtime(now).year}-{case.pk:05d}"
    Case.objects.filter(pk=case.pk).update(number=case.number)
    with removed_on_failure():
        for photo in photos:
            CasePhoto.objects.create(case=case, image=photo)
    created = _update(case, UpdateKind.CREATED, actor=actor, status=status)
    audit.record(
        actor=actor,
        actor_label=""
        if getattr(actor, "is_authenticated", False)
        else (f"open311:{api_client.pk}" if api_client else "medborgare"),
        action="case.created",
        obj=case,
        changes={"kind": kind.value, "category": category.code, "source": source},
    )
    _link(created, _tell_reporter(case, "feedback.received"))
    return case


# --- Handling ----------------------------------------------------------------------------------


def _set_status(case: Case, status: CaseStatus, *, actor: Actor, text: str = "") -> bool:
    """The one place a case's status changes, always on a row its caller has locked.

    Not a `core.workflow` table: case statuses are data the municipality renames and adds to,
    each only in the open or the closed group, and any status may follow any other (a case is
    reopened, answered again). So there is no table of steps to guard; the rules that matter
    (the group sets `is_open` and `closed_at`, a merged case is frozen) live here and in the
    services that call this, with the history entry and the audit entry in the same
    transaction."""
    if case.status_id == status.pk:
        return False
    before = case.status.slug
    case.status = status
    case.is_open = status.group == StatusGroup.OPEN
    if not case.is_open and case.closed_at is None:
        case.closed_at = timezone.now()
    elif case.is_open:
        case.closed_at = None
    case.save(update_fields=["status", "is_open", "closed_at", "updated_at"])
    _update(case, UpdateKind.STATUS, actor=actor, status=status, text=text)
    audit.record(
        actor=actor, action="case.status", obj=case, changes={"status": [before, status.slug]}
    )
    return True


@transaction.atomic
def case_set_status(*, case: Case, status: CaseStatus, actor: Actor, text: str = "") -> Case:
    _require(actor, obj=case)
    case = _lock(case)
    if case.merged_into_id:
        raise CaseError(_("Ärendet är sammanslaget med ett annat och kan inte ändras."))
    if _set_status(case, status, actor=actor, text=text.strip()):
        notify_followers(case, text=text.strip())
    return case


def notify_followers(case: Case, *, text: str = "") -> None:
    """Followers of a public fault report hear when its status changes."""
    if case.is_public:
        notify(
            template="feedback.status",
            context=_site_context(case)
            | {"status": case.status.name, "text": text, "url": case.get_absolute_url()},
            followers_of=[case],
        )


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Actor,
    administration: Any,
    unit: Any = None,
    assignee: Any = None,
    text: str = "",
) -> Case:
    """Give the case to a förvaltning/unit and (optionally) a person."""
    _require(actor, obj=case)
    if unit is not None and unit.administration_id != administration.pk:
        raise CaseError({"unit": _("Enheten hör inte till den valda förvaltningen.")})
    case = _lock(case)
    before = [case.administration_id, case.unit_id, case.assignee_id]
    case.administration, case.unit, case.assignee = administration, unit, assignee
    if before == [case.administration_id, case.unit_id, case.assignee_id]:
        return case
    case.save(update_fields=["administration", "unit", "assignee", "updated_at"])
    parts = (
        [str(administration)]
        + ([str(unit)] if unit else [])
        + ([assignee.get_full_name() or str(assignee)] if assignee else [])
    )
    _update(
        case,
        UpdateKind.ASSIGNED,
        actor=actor,
        text=" / ".join(parts) + (f"\n{text.strip()}" if text.strip() else ""),
    )
    audit.record(
        actor=actor,
        action="case.assigned",
        obj=case,
        changes={
            "administration": [before[0], administration.pk],
            "unit": [before[1], unit.pk if unit else None],
            "assignee": [before[2], assignee.pk if assignee else None],
        },
    )
    return case


@transaction.atomic
def case_note(*, case: Case, actor: Actor, text: str) -> CaseUpdate:
    """An internal note: never shown to the citizen or the public."""
    _require(actor, obj=case)
    if not text.strip():
        raise CaseError({"text": _("Skriv anteckningen.")})
    update = _update(case, UpdateKind.NOTE, actor=actor, text=text.strip())
    audit.record(actor=actor, action="case.note", obj=case)
    return update


@transaction.atomic
def case_reply(
    *,
    case: Case,
    actor: Actor,
    text: str,
    public: bool = False,
    status: CaseStatus | None = None,
    template: ReplyTemplate | None = None,
) -> CaseUpdate:
    """Answer the citizen by the channel they chose (a phone call is recorded as made), and,
    for a public fault report, optionally publish the answer on its page. The first answer
    stops the service-level clock. `template` is the reply template the answer started from
    (recorded, so a used template is kept)."""
    _require(actor, obj=case)
    if (
        template is not None
        and not selectors.reply_templates_for(case, active_only=False)
        .filter(pk=template.pk)
        .exists()
    ):
        raise CaseError({"template": _("Svarsmallen gäller inte för det här ärendet.")})
    text = text.strip()
    if not text:
        raise CaseError({"text": _("Skriv svaret.")})
    if len(text) > DESCRIPTION_MAX:
        raise CaseError(
            {"text": _("Svaret får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX}}
        )
    case = _lock(case)
    if case.merged_into_id:
        raise CaseError(_("Ärendet är sammanslaget med ett annat och kan inte ändras."))
    if public and not case.is_public:
        raise CaseError({"public": _("Bara publika felanmälningar kan få publika svar.")})
    kind = UpdateKind.PUBLIC_REPLY if public else UpdateKind.REPLY
    channel = selectors.reply_channel_for(case)
    update = _update(case, kind, actor=actor, text=text, channel=channel, template=template)
    if case.first_response_at is None:
        case.first_response_at = update.created_at
        case.save(update_fields=["first_response_at", "updated_at"])
    audit.record(
        actor=actor,
        action="case.replied",
        obj=case,
        changes={"public": public, "channel": channel}
        | ({"template": template.pk} if template else {}),
    )
    _link(update, _tell_reporter(case, "feedback.reply", text=text))
    changed = status is not None and _set_status(case, status, actor=actor)
    if public or changed:
        notify_followers(case, text=text if public else "")
    return update


@transaction.atomic
def case_set_visibility(
    *, case: Case, actor: Actor, is_public: bool, public_description: str = ""
) -> Case:
    """Hide a fault report from the public (it names a person, say), or publish its text."""
    _require(actor, obj=case)
    case = _lock(case)
    if is_public and case.kind != Kind.FAULT:
        raise CaseError(_("Synpunkter är aldrig publika."))
    before = {"is_public": case.is_public, "public_description": case.public_description}
    case.is_public = is_public
    case.public_description = public_description.strip()[:DESCRIPTION_MAX]
    after = {"is_public": case.is_public, "public_description": case.public_description}
    if before == after:
        return case
    case.save(update_fields=["is_public", "public_description", "updated_at"])
    _update(case, UpdateKind.VISIBILITY, actor=actor)
    audit.record(actor=actor, action="case.visibility", obj=case, changes=audit.diff(before, after))
    return case


@transaction.atomic
def case_merge(*, duplicate: Case, into: Case, actor: Actor) -> Case:
    """The duplicate is closed as merged; its followers (and its reporter, by e-mail) follow
    the case it was merged into from now on."""
    _require(actor, obj=duplicate)
    if duplicate.pk == into.pk:
        raise CaseError(_("Ett ärende kan inte slås samman med sig självt."))
    first, second = sorted([duplicate, into], key=lambda c: c.pk)
    first, second = _lock(first), _lock(second)
    duplicate, into = (first, second) if first.pk == duplicate.pk else (second, first)
    if duplicate.merged_into_id:
        raise CaseError(_("Ärendet är redan sammanslaget."))
    if into.merged_into_id:
        raise CaseError(_("Det ärendet är självt sammanslaget; välj det det slogs samman med."))
    closed = (
        CaseStatus.objects.filter(slug="avslutat").first()
        or CaseStatus.objects.filter(group=StatusGroup.CLOSED).order_by("order").first()
    )
    if closed is None:
        raise CaseError(_("Det finns ingen avslutad status att ge det sammanslagna ärendet."))
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    _set_status(duplicate, closed, actor=actor)
    merged = _update(duplicate, UpdateKind.MERGED, actor=actor, text=into.number)
    _update(into, UpdateKind.MERGED, actor=actor, text=duplicate.number)
    moved = _move_followers(duplicate, into)
    audit.record(
        actor=actor,
        action="case.merged",
        obj=duplicate,
        changes={"into": into.number, "followers_moved": moved},
    )
    notification = _tell_reporter(
        duplicate,
        "feedback.merged",
        into_number=into.number,
        into_url=(into.get_absolute_url() if into.is_public else ""),
    )
    _link(merged, notification)
    return into


def _move_followers(duplicate: Case, into: Case) -> int:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Case)
    followers = Subscription.objects.filter(target_type=content_type, target_id=duplicate.pk)
    existing_users = set(
        Subscription.objects.filter(
            target_type=content_type, target_id=into.pk, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    existing_emails = set(
        Subscription.objects.filter(
            target_type=content_type, target_id=into.pk, user__isnull=True
        ).values_list("email", flat=True)
    )
    moved = 0
    for subscription in followers:
        if (subscription.user_id and subscription.user_id in existing_users) or (
            not subscription.user_id and subscription.email in existing_emails
        ):
            subscription.delete()
            continue
        subscription.target_id = into.pk
        subscription.save(update_fields=["target_id"])
        moved += 1
    # The duplicate's reporter heard of their case by e-mail: they keep hearing of this one.
    if (
        into.is_public
        and duplicate.reporter_email
        and duplicate.reply_channel == ReplyChannel.EMAIL
        and duplicate.reporter_email not in existing_emails
        and not followers.filter(email=duplicate.reporter_email).exists()
    ):
        Subscription.objects.create(
            email=duplicate.reporter_email,
            target_type=content_type,
            target_id=into.pk,
            confirmed_at=timezone.now(),
        )
        moved += 1
    return moved


@transaction.atomic
def photo_set_public(*, photo: CasePhoto, actor: Actor, is_public: bool) -> CasePhoto:
    _require(actor, "feedback.redact_case_photo", photo.case)
    if photo.is_public != is_public:
        photo.is_public = is_public
        photo.save(update_fields=["is_public"])
        _update(photo.case, UpdateKind.PHOTO_REDACTED, actor=actor)
        audit.record(
            actor=actor,
            action="case.photo_visibility",
            obj=photo.case,
            changes={"photo": photo.pk, "is_public": is_public},
        )
    return photo


# --- Retention (gallring) ----------------------------------------------------------------------


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Cases closed before this moment have been closed longer than the retention period."""
    months = municipality_get().feedback_retention_months
    return now - datetime.timedelta(days=round(months * 30.44))


def cases_expired(
    now: datetime.datetime, *, cutoff: datetime.datetime | None = None
) -> QuerySet[Case]:
    """Closed cases whose personal data the retention rule removes now (closed before
    `cutoff`, by default the municipality's retention period ago)."""
    return Case.objects.filter(
        is_open=False,
        closed_at__lt=cutoff or retention_cutoff(now),
        anonymized_at__isnull=True,
    )


@transaction.atomic
def cases_anonymize_expired(
    *, now: datetime.datetime | None = None, cutoff: datetime.datetime | None = None
) -> int:
    """Remove personal data from cases closed longer ago than the municipality's retention
    period (or before `cutoff`, the retention plan's): reporter, contact details, free texts
    and photos. Category, area, place of a public fault report, dates and status stay, so the
    statistics remain."""
    now = now or timezone.now()
    cutoff = cutoff or retention_cutoff(now)
    expired = list(cases_expired(now, cutoff=cutoff).values_list("pk", flat=True))
    for start in range(0, len(expired), 500):
        batch = expired[start : start + 500]
        for photo in CasePhoto.objects.filter(case_id__in=batch):
            photo.image.delete(save=False)
        CasePhoto.objects.filter(case_id__in=batch).delete()
        CaseUpdate.objects.filter(case_id__in=batch).exclude(
            kind__in=[
                UpdateKind.PUBLIC_REPLY,
                UpdateKind.STATUS,
                UpdateKind.CREATED,
                UpdateKind.MERGED,
            ]
        ).update(text="")
        # Opinions' places may be someone's home; fault reports' places were public anyway.
        Case.objects.filter(pk__in=batch).exclude(kind=Kind.FAULT).update(
            lat=None, lon=None, address=""
        )
        Case.objects.filter(pk__in=batch).update(
            reporter=None,
            reporter_name="",
            reporter_email="",
            reporter_phone="",
            reply_channel=ReplyChannel.NONE,
            description="",
            attributes={},
            media_url="",
            anonymized_at=now,
        )
    if expired:
        audit.record(
            action="case.retention", changes={"cases": len(expired), "cutoff": cutoff.isoformat()}
        )
    return len(expired)


@transaction.atomic
def photo_redact(
    *, photo: CasePhoto, actor: Actor, box: tuple[float, float, float, float]
) -> CasePhoto:
    """Black out part of a photo for good (a face, a number plate). The original is replaced:
    what was masked cannot be recovered from the site."""
    from torget.core.images import ImageError, black_out

    _require(actor, "feedback.redact_case_photo", photo.case)
    x, y, w, h = box
    if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 - x + 1e-9 and 0 < h <= 1 - y + 1e-9):
        raise CaseError({"box": _("Markera ett område inom fotot.")})
    photo = CasePhoto.objects.select_for_update().get(pk=photo.pk)
    with photo.image.open("rb") as handle:
        original = handle.read()
    try:
        redacted = black_out(original, box)
    except ImageError as error:
        raise CaseError({"box": str(error)}) from error
    old_name = photo.image.name
    photo.image.save("redacted.jpg", ContentFile(redacted, name="redacted.jpg"), save=False)
    with Image.open(io.BytesIO(redacted)) as image:
        photo.width, photo.height = image.size
    photo.redacted_at = timezone.now()
    photo.save(update_fields=["image", "width", "height", "redacted_at"])
    photo.image.storage.delete(old_name)
    _update(photo.case, UpdateKind.PHOTO_REDACTED, actor=actor)
    audit.record(
        actor=actor,
        action="case.photo_redacted",
        obj=photo.case,
        changes={"photo": photo.pk, "box": [round(v, 4) for v in box]},
    )
    return photo


DRAFT_PHOTO_DIR = "feedback/drafts"  # photos kept between a form's rounds (views.py)


def draft_photos_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Photos uploaded with a form that was never sent (run by the worker)."""
    return files_prune(DRAFT_PHOTO_DIR, older_than=older_than)


# --- Reply templates (svarsmallar) -------------------------------------------------------------


@transaction.atomic
def reply_template_save(*, template: ReplyTemplate, actor: Actor) -> ReplyTemplate:
    """Create or change a reply template; unknown placeholders are refused (replies.py)."""
    created = template.pk is None
    _require(actor, "feedback.add_replytemplate" if created else "feedback.change_replytemplate")
    template.full_clean()
    template.save()
    audit.record(
        actor=actor,
        action="replytemplate.created" if created else "replytemplate.changed",
        obj=template,
        changes={"name": template.name, "is_active": template.is_active},
    )
    return template


@transaction.atomic
def reply_template_set_active(
    *, template: ReplyTemplate, actor: Actor, is_active: bool
) -> ReplyTemplate:
    """Deactivate a template (it can no longer be picked; replies that used it keep it), or
    take it into use again."""
    _require(actor, "feedback.change_replytemplate")
    template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_active == is_active:
        return template
    template.is_active = is_active
    template.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="replytemplate.activated" if is_active else "replytemplate.deactivated",
        obj=template,
    )
    return template


@transaction.atomic
def reply_template_delete(*, template: ReplyTemplate, actor: Actor) -> None:
    """Remove a template nobody has used. A used one is refused: deactivate it instead."""
    _require(actor, "feedback.delete_replytemplate")
    template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_used:
        raise CaseError(
            _(
                "Svarsmallen ”%(name)s” har använts i svar och kan inte tas bort. "
                "Inaktivera den i stället."
            )
            % {"name": template.name}
        )
    audit.record(actor=actor, action="replytemplate.deleted", obj=template)
    template.delete()
