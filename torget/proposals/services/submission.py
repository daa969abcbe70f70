"""Sending in a medborgarförslag and moderating it: submit, register on someone's behalf
or from a dialogue meeting, publish, reject, move to synpunkter, hide and show again."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torget.accounts.permissions import has_perm
from torget.accounts.roles import Role
from torget.accounts.selectors import holds_role
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import inputs
from torget.core.files import files_prune
from torget.identity import personnummer
from torget.identity.services import verification_assisted
from torget.notifications.services import notify
from torget.organisation.models import Municipality, Topic
from torget.organisation.selectors import municipality_get
from torget.proposals import workflow
from torget.proposals.models import Event, EventKind, Origin, Proposal, RejectionReason, Status
from torget.proposals.services.common import ProposalError, notice_context, notify_author

# Sent when a moderator moves a proposal to the feedback channel (the feedback app listens).
proposal_moved_to_feedback = Signal()

# --- Submitting ------------------------------------------------------------------------------


def _signing_days(municipality: Municipality, chosen: int | None) -> int:
    choices = municipality.signing_day_choices()
    if chosen is None:
        return municipality.proposal_signing_days
    if chosen not in choices and chosen != municipality.proposal_signing_days:
        raise ProposalError({"signing_days": _("Välj en av insamlingstiderna.")})
    return chosen


def _check_text(**values: str) -> None:
    """No control characters (PostgreSQL refuses a NUL outright): a clear error instead."""
    errors = {}
    for name, value in values.items():
        try:
            inputs.validate_text(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ProposalError(errors)


def _check_organisation(municipality: Municipality, organisation_name: str) -> None:
    if organisation_name and not municipality.proposal_organisations_allowed:
        raise ProposalError(
            {"organisation_name": _("Kommunen tar bara emot förslag från enskilda personer.")}
        )


@transaction.atomic
def proposal_submit(
    *,
    author: Any,
    title: str,
    body: str,
    topic: Topic,
    area: Any = None,
    image: Any = None,
    image_alt: str = "",
    organisation_name: str = "",
    signing_days: int | None = None,
) -> Proposal:
    """A citizen sends in a proposal; it waits for moderation before anyone else sees it."""
    if not author.is_authenticated or not author.is_email_verified:
        raise PermissionDenied(_("Du behöver ett konto med bekräftad e-postadress."))
    municipality = municipality_get()
    _check_organisation(municipality, organisation_name)
    _check_text(title=title, body=body, image_alt=image_alt, organisation_name=organisation_name)
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        image=image or "",
        image_alt=image_alt.strip(),
        author=author,
        author_name=author.public_name,
        organisation_name=organisation_name.strip(),
        signing_days=_signing_days(municipality, signing_days),
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal, kind=EventKind.SUBMITTED, occurred_on=timezone.localdate()
    )
    audit.record(actor=author, action="proposal.submitted", obj=proposal)
    notify_author(proposal, "proposals.received")
    return proposal


@transaction.atomic
def proposal_register_on_behalf(
    *,
    actor: Actor,
    author_name: str,
    pin: personnummer.PersonalNumber,
    evidence: str,
    title: str,
    body: str,
    topic: Topic,
    area: Any = None,
    contact_email: str = "",
    organisation_name: str = "",
) -> Proposal:
    """Staff register a proposal received on paper or at a service desk. It is moderated
    like any other; the identity check and who registered it are in the audit log."""
    if not has_perm(actor, "proposals.register_on_behalf"):
        raise PermissionDenied
    municipality = municipality_get()
    _check_organisation(municipality, organisation_name)
    verification = verification_assisted(pin=pin, evidence=evidence, staff=actor)
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        author_name=author_name.strip(),
        contact_email=contact_email.strip(),
        organisation_name=organisation_name.strip(),
        origin=Origin.ASSISTED,
        registered_by=user_or_none(actor),
        signing_days=municipality.proposal_signing_days,
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.SUBMITTED,
        occurred_on=timezone.localdate(),
        created_by=user_or_none(actor),
    )
    audit.record(
        actor=actor,
        action="proposal.registered_on_behalf",
        obj=proposal,
        changes={"verification": verification.pk, "evidence": verification.evidence},
    )
    notify_author(proposal, "proposals.received")
    return proposal


@transaction.atomic
def proposal_register_from_meeting(
    *,
    actor: Actor,
    title: str,
    body: str,
    topic: Topic,
    source: str = "",
    responsible_politician: Any,
    area: Any = None,
    meeting: Any = None,
) -> Proposal:
    """seed 004 §8: a proposal raised at a dialogue meeting gets its own public page at once;
    the responsible politician then lifts it to a nämnd. With `meeting` (a meeting in
    Torget) the source says the meeting's title and date unless it is given in words."""
    if not has_perm(actor, "proposals.register_proposal_step"):
        raise PermissionDenied
    if not source.strip() and meeting is not None:
        source = f"{meeting.title}, {date_format(timezone.localtime(meeting.starts_at).date())}"
    if not source.strip():
        raise ProposalError({"source": _("Skriv vilket dialogmöte förslaget kom från.")})
    if not holds_role(responsible_politician, Role.ELECTED):
        raise ProposalError(
            {"responsible_politician": _("Välj en förtroendevald som ansvarig politiker.")}
        )
    now = timezone.now()
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        author_name=_("Deltagare på dialogmöte"),
        origin=Origin.MEETING,
        source=source.strip()[:200],
        meeting=meeting,
        responsible_politician=responsible_politician,
        registered_by=user_or_none(actor),
        status=Status.REGISTERED,
        published_at=now,
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.REGISTERED,
        occurred_on=timezone.localdate(),
        text=proposal.source,
        created_by=user_or_none(actor),
    )
    audit.record(actor=actor, action="proposal.registered_from_meeting", obj=proposal)
    notify(
        template="proposals.responsible",
        context=notice_context(proposal, source=proposal.source),
        users=[responsible_politician],
    )
    return proposal


# --- Moderation ------------------------------------------------------------------------------


@transaction.atomic
def proposal_publish(*, proposal: Proposal, actor: Actor) -> Proposal:
    municipality = municipality_get()
    days = proposal.signing_days or municipality.proposal_signing_days
    now = timezone.now()
    workflow.transition(
        proposal,
        "publish",
        actor=actor,
        changes={
            "published_at": now,
            "signing_days": days,
            "signing_ends_on": timezone.localdate(now) + datetime.timedelta(days=days),
            "threshold": municipality.proposal_threshold(),
            "moderated_by": actor,
        },
    )
    notify_author(
        proposal,
        "proposals.published",
        ends=proposal.signing_ends_on.isoformat() if proposal.signing_ends_on else "",
        threshold=proposal.threshold,
    )
    return proposal


@transaction.atomic
def proposal_reject(
    *,
    proposal: Proposal,
    actor: Actor,
    reason: str,
    text: str = "",
    repeat_of: Proposal | None = None,
) -> Proposal:
    """Not published. The author is told why; the proposal is never public."""
    if reason not in RejectionReason.values:
        raise ProposalError({"reason": _("Välj ett skäl i listan.")})
    reason = RejectionReason(reason)
    if reason == RejectionReason.REPEAT:
        _check_repeat(proposal, repeat_of)
    elif repeat_of is not None:
        raise ProposalError(
            {"repeat_of": _("Ange ett tidigare beslut bara när skälet är upprepning.")}
        )
    if reason == RejectionReason.OTHER and not text.strip():
        raise ProposalError({"text": _("Skriv skälet när du väljer ”Annat skäl”.")})
    workflow.transition(
        proposal,
        "reject",
        actor=actor,
        text=text.strip(),
        event_public=False,
        changes={
            "rejection_reason": reason,
            "rejection_text": text.strip(),
            "repeat_of": repeat_of,
            "moderated_by": actor,
        },
    )
    notify_author(
        proposal,
        "proposals.rejected",
        reason=str(reason.label),
        text=text.strip(),
        repeat_url=repeat_of.get_absolute_url() if repeat_of else "",
        repeat_title=repeat_of.title if repeat_of else "",
    )
    return proposal


def _check_repeat(proposal: Proposal, earlier: Proposal | None) -> None:
    municipality = municipality_get()
    if earlier is None:
        raise ProposalError({"repeat_of": _("Välj det tidigare beslutet i samma fråga.")})
    if earlier.pk == proposal.pk or earlier.status != Status.DECIDED or not earlier.decided_on:
        raise ProposalError({"repeat_of": _("Det valda förslaget är inte beslutat.")})
    months = municipality.proposal_repeat_months
    limit = timezone.localdate() - datetime.timedelta(days=round(months * 30.44))
    if months == 0 or earlier.decided_on < limit:
        raise ProposalError(
            {
                "repeat_of": _(
                    "Beslutet fattades för mer än %(months)d månader sedan; frågan får tas upp igen."
                )
                % {"months": months}
            }
        )


@transaction.atomic
def proposal_move_to_feedback(*, proposal: Proposal, actor: Actor, text: str) -> Proposal:
    """It is really a complaint or a fault report: it goes to synpunkter/felanmälan."""
    if not text.strip():
        raise ProposalError({"text": _("Skriv en hälsning till förslagsställaren.")})
    workflow.transition(proposal, "move", actor=actor, text=text.strip(), event_public=False)
    proposal_moved_to_feedback.send(sender=Proposal, proposal=proposal, actor=actor)
    notify_author(proposal, "proposals.moved", text=text.strip())
    return proposal


@transaction.atomic
def proposal_hide(*, proposal: Proposal, actor: Actor, reason: str) -> Proposal:
    """A published proposal is hidden with a public reason; it is never silently deleted."""
    if not has_perm(actor, "proposals.moderate_proposal"):
        raise PermissionDenied
    if not reason.strip():
        raise ProposalError({"reason": _("Skriv ett skäl; det visas på förslagets sida.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.hidden_at is not None:
        raise ProposalError(_("Förslaget är redan dolt."))
    if not proposal.published_at:
        raise ProposalError(_("Bara publicerade förslag kan döljas."))
    proposal.hidden_at = timezone.now()
    proposal.hidden_reason = reason.strip()
    proposal.save(update_fields=["hidden_at", "hidden_reason"])
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.HIDDEN,
        occurred_on=timezone.localdate(),
        text=proposal.hidden_reason,
        created_by=user_or_none(actor),
    )
    audit.record(
        actor=actor, action="proposal.hidden", obj=proposal, changes={"reason": reason.strip()}
    )
    notify_author(proposal, "proposals.hidden", reason=proposal.hidden_reason)
    return proposal


@transaction.atomic
def proposal_unhide(*, proposal: Proposal, actor: Actor) -> Proposal:
    if not has_perm(actor, "proposals.moderate_proposal"):
        raise PermissionDenied
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.hidden_at is None:
        raise ProposalError(_("Förslaget är inte dolt."))
    proposal.hidden_at = None
    proposal.save(update_fields=["hidden_at"])
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.SHOWN,
        occurred_on=timezone.localdate(),
        created_by=user_or_none(actor),
    )
    audit.record(actor=actor, action="proposal.shown", obj=proposal)
    return proposal


# --- The preview's draft images --------------------------------------------------------------

DRAFT_DIR = "proposals/drafts"


def draft_images_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Images uploaded with a preview whose proposal was never sent in."""
    return files_prune(DRAFT_DIR, older_than=older_than)
