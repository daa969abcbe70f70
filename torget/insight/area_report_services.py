"""What the utskott coordinator does with an area report (insight.forward_area_report):
attach it, as PDF, to an utskott meeting's documents (the meetings part's forwarded
documents: each member is told), and send it on to the municipal council (KF): its members
and the registrar get a notice with the link, and the audit log records it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.insight.area_report import AreaReport, report_filename, report_title
from torget.meetings import services as meeting_services
from torget.meetings.models import ForwardedDocument, Meeting
from torget.meetings.workflow import MeetingError
from torget.notifications.services import notify
from torget.organisation.models import Body, BodyKind
from torget.organisation.selectors import elected_members, municipality_get

FORWARD_PERMISSION = "insight.forward_area_report"
FORWARDED_TEMPLATE = "insight.area_report_forwarded"


class AreaReportError(Exception):
    """Why the report could not be attached or sent, in words for the user."""


def _require(actor: Actor) -> None:
    if not has_perm(actor, FORWARD_PERMISSION):
        raise PermissionDenied


def report_url(report: AreaReport) -> str:
    query = urlencode(
        {"fran": report.period.start.isoformat(), "till": report.period.end.isoformat()}
    )
    return reverse("insight:area_report", kwargs={"slug": report.area.slug}) + "?" + query


@transaction.atomic
def area_report_attach(
    *, report: AreaReport, meeting: Meeting, actor: Actor, pdf: bytes
) -> ForwardedDocument:
    """The report as a document of one of the area's utskott meetings."""
    _require(actor)
    if meeting.body_id not in {body.pk for body in report.utskott}:
        raise AreaReportError(_("Välj ett möte med områdets utskott."))
    try:
        document = meeting_services.document_forward(
            meeting=meeting,
            actor=actor,
            upload=ContentFile(pdf, name=report_filename(report)),
            title=report_title(report),
            note=_("Områdesrapporten inför mötet."),
        )
    except MeetingError as error:
        raise AreaReportError(" ".join(_messages(error))) from error
    audit.record(
        actor=actor,
        action="insight.area_report_attached",
        obj=meeting,
        changes={
            "area": report.area.slug,
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
            "document": document.pk,
        },
    )
    return document


def _messages(error: Exception) -> list[str]:
    messages = getattr(error, "messages", None)
    return [str(message) for message in messages] if messages else [str(error)]


def council_body() -> Body | None:
    """Kommunfullmäktige (there is one at most)."""
    return Body.objects.filter(kind=BodyKind.COUNCIL).first()


@transaction.atomic
def area_report_forward(*, report: AreaReport, actor: Actor, note: str = "") -> int:
    """Send the report on to KF: each member with a seat and the registrar (who enters it in
    the diary) get a notice with the link to the report; returns how many were told."""
    _require(actor)
    council = council_body()
    if council is None:
        raise AreaReportError(_("Kommunfullmäktige finns inte i organisationen ännu."))
    members = [member for member in elected_members(body=council) if member.email]
    registrar = municipality_get().registrar_email
    emails = [registrar] if registrar else []
    if not members and not emails:
        raise AreaReportError(
            _("Kommunfullmäktige har inga ledamöter med e-post och kommunen ingen registrator.")
        )
    notify(
        template=FORWARDED_TEMPLATE,
        context={
            "title": report_title(report),
            "area_name": report.area.name,
            "body_name": council.name,
            "note": note.strip()[:2000],
            "url": report_url(report),
        },
        users=members,
        emails=emails,
    )
    told = len(members) + len(emails)
    audit.record(
        actor=actor,
        action="insight.area_report_forwarded",
        obj=council,
        changes={
            "area": report.area.slug,
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
            "recipients": told,
        },
    )
    return told
