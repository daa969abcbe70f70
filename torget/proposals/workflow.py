"""The proposal's life, in one table: which step may follow which, and who may take it.

    granskas ─publish→ insamling ─threshold→ till-kf ─assign→ bereds ─decide→ beslutat
        │                  └─period ends under the threshold→ ej-nog-stod
        ├─reject→ avvisat (never public)
        └─move→ flyttat (to synpunkter/felanmälan; also from insamling)
    registrerat (from a dialogue meeting) ─lift→ bereds

Every step goes through `transition()`: it locks the proposal, refuses a step that does not
follow from the current status (so no proposal skips a step, whatever the path: view, admin,
command), records the timeline event and the audit entry, and returns the event for the
service to notify about.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.permissions import has_perm
from torget.audit import services as audit
from torget.proposals.models import Event, EventKind, Proposal, Status

SYSTEM = "system"  # steps the platform takes itself (threshold reached, period ended)


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    event: str
    # A permission, or SYSTEM for steps no person takes.
    permission: str
    label: Any


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            "publish",
            frozenset({Status.SUBMITTED}),
            Status.SIGNING,
            EventKind.PUBLISHED,
            "proposals.moderate_proposal",
            _("Publicera"),
        ),
        Step(
            "reject",
            frozenset({Status.SUBMITTED}),
            Status.REJECTED,
            EventKind.REJECTED,
            "proposals.moderate_proposal",
            _("Avvisa"),
        ),
        Step(
            "move",
            frozenset({Status.SUBMITTED, Status.SIGNING}),
            Status.MOVED,
            EventKind.MOVED,
            "proposals.moderate_proposal",
            _("Flytta till synpunkter och felanmälan"),
        ),
        Step(
            "reach_threshold",
            frozenset({Status.SIGNING}),
            Status.TO_COUNCIL,
            EventKind.THRESHOLD,
            SYSTEM,
            _("Tillräckligt stöd"),
        ),
        Step(
            "close_unsupported",
            frozenset({Status.SIGNING}),
            Status.UNSUPPORTED,
            EventKind.UNSUPPORTED,
            SYSTEM,
            _("Avsluta insamlingen"),
        ),
        Step(
            "assign",
            frozenset({Status.TO_COUNCIL}),
            Status.PREPARING,
            EventKind.ASSIGNED,
            "proposals.register_proposal_step",
            _("Lämna till nämnd för beredning"),
        ),
        Step(
            "lift",
            frozenset({Status.REGISTERED}),
            Status.PREPARING,
            EventKind.LIFTED,
            "proposals.lift_proposal",
            _("Lyft till nämnd"),
        ),
        Step(
            "decide",
            frozenset({Status.PREPARING}),
            Status.DECIDED,
            EventKind.DECIDED,
            "proposals.register_proposal_step",
            _("Registrera beslut"),
        ),
    ]
}

# Steps that end a proposal's hidden state are not status changes; see services.


class TransitionRefused(ValidationError):
    pass


def allowed_steps(proposal: Proposal, user: Any) -> list[Step]:
    """The steps this user may take now (for the staff page's buttons)."""
    return [
        step
        for step in STEPS.values()
        if step.permission != SYSTEM
        and proposal.status in step.sources
        and has_perm(user, step.permission, proposal)
    ]


def transition(
    proposal: Proposal,
    step_name: str,
    *,
    actor: Any = None,
    occurred_on: datetime.date | None = None,
    reference: str = "",
    text: str = "",
    body: Any = None,
    document: Any = None,
    event_public: bool = True,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Take one step. `changes` are the fields the step sets on the proposal.

    Must run inside a transaction: the row is locked so two officials (or the threshold
    check and a moderator) cannot both move it.
    """
    step = STEPS[step_name]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    if step.permission == SYSTEM:
        if actor is not None:
            raise PermissionDenied(_("Det här steget tas bara av systemet."))
    elif not has_perm(actor, step.permission, proposal):
        raise PermissionDenied(_("Du har inte behörighet att ta det här steget."))
    current = Proposal.objects.select_for_update().only("status").get(pk=proposal.pk).status
    if current not in step.sources:
        raise TransitionRefused(
            _("Förslaget har status ”%(status)s” och kan inte gå vidare med ”%(step)s”.")
            % {"status": Status(current).label, "step": step.label},
            code="wrong_status",
        )
    before = {"status": current}
    proposal.status = step.target
    for field, value in (changes or {}).items():
        before[field] = getattr(proposal, field)
        setattr(proposal, field, value)
    proposal.save(update_fields=["status", *(changes or {})])
    event = Event.objects.create(
        proposal=proposal,
        kind=step.event,
        occurred_on=occurred_on or timezone.localdate(),
        reference=reference,
        text=text,
        body=body,
        document=document or "",
        is_public=event_public,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        actor_label="" if actor else "system",
        action=f"proposal.{step.name}",
        obj=proposal,
        changes={key: [str(value), str(getattr(proposal, key))] for key, value in before.items()},
    )
    return event
