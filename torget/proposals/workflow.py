"""The proposal's life, in one table: which step may follow which, and who may take it.

    granskas ─publish→ insamling ─threshold→ till-kf ─assign→ bereds ─decide→ beslutat
        │                  └─period ends under the threshold→ ej-nog-stod
        ├─reject→ avvisat (never public)
        └─move→ flyttat (to synpunkter/felanmälan; also from insamling)
    registrerat (from a dialogue meeting) ─lift→ bereds

Every step goes through `transition()`, which runs the table with the toolbox's
`core.workflow`: it locks the proposal, refuses a step that does not follow from the current
status (so no proposal skips a step, whatever the path: view, admin, command), records the
timeline event and the audit entry in the same transaction, and returns the event for the
service to notify about.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core import workflow
from torget.proposals.models import Event, EventKind, Proposal, Status

SYSTEM = "system"  # steps the platform takes itself (threshold reached, period ended)


@dataclass(frozen=True, kw_only=True)
class Step(workflow.Step):
    event: str
    # A permission, or SYSTEM for steps no person takes.
    permission: str


class TransitionRefused(workflow.WorkflowError):
    pass


def _refused(proposal: Proposal, step: Step) -> str:
    return str(
        _("Förslaget har status ”%(status)s” och kan inte gå vidare med ”%(step)s”.")
        % {"status": Status(proposal.status).label, "step": step.label}
    )


PROCESS: workflow.Workflow[Proposal, Step] = workflow.Workflow(
    model=Proposal,
    refused=_refused,
    error=TransitionRefused,
    steps=[
        Step(
            name="publish",
            sources=frozenset({Status.SUBMITTED}),
            target=Status.SIGNING,
            event=EventKind.PUBLISHED,
            permission="proposals.moderate_proposal",
            label=_("Publicera"),
        ),
        Step(
            name="reject",
            sources=frozenset({Status.SUBMITTED}),
            target=Status.REJECTED,
            event=EventKind.REJECTED,
            permission="proposals.moderate_proposal",
            label=_("Avvisa"),
        ),
        Step(
            name="move",
            sources=frozenset({Status.SUBMITTED, Status.SIGNING}),
            target=Status.MOVED,
            event=EventKind.MOVED,
            permission="proposals.moderate_proposal",
            label=_("Flytta till synpunkter och felanmälan"),
        ),
        Step(
            name="reach_threshold",
            sources=frozenset({Status.SIGNING}),
            target=Status.TO_COUNCIL,
            event=EventKind.THRESHOLD,
            permission=SYSTEM,
            label=_("Tillräckligt stöd"),
        ),
        Step(
            name="close_unsupported",
            sources=frozenset({Status.SIGNING}),
            target=Status.UNSUPPORTED,
            event=EventKind.UNSUPPORTED,
            permission=SYSTEM,
            label=_("Avsluta insamlingen"),
        ),
        Step(
            name="assign",
            sources=frozenset({Status.TO_COUNCIL}),
            target=Status.PREPARING,
            event=EventKind.ASSIGNED,
            permission="proposals.register_proposal_step",
            label=_("Lämna till nämnd för beredning"),
        ),
        Step(
            name="lift",
            sources=frozenset({Status.REGISTERED}),
            target=Status.PREPARING,
            event=EventKind.LIFTED,
            permission="proposals.lift_proposal",
            label=_("Lyft till nämnd"),
        ),
        Step(
            name="decide",
            sources=frozenset({Status.PREPARING}),
            target=Status.DECIDED,
            event=EventKind.DECIDED,
            permission="proposals.register_proposal_step",
            label=_("Registrera beslut"),
        ),
    ],
)
STEPS: dict[str, Step] = PROCESS.steps

# Steps that end a proposal's hidden state are not status changes; see services.


def allowed_steps(proposal: Proposal, user: Actor) -> list[Step]:
    """The steps this user may take now (for the staff page's buttons)."""
    return [
        step
        for step in PROCESS.available(proposal)
        if step.permission != SYSTEM and has_perm(user, step.permission, proposal)
    ]


def transition(
    proposal: Proposal,
    step_name: str,
    *,
    actor: Actor | None = None,
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
    if step.permission == SYSTEM:
        if actor is not None:
            raise PermissionDenied(_("Det här steget tas bara av systemet."))
    elif not has_perm(actor, step.permission, proposal):
        raise PermissionDenied(_("Du har inte behörighet att ta det här steget."))
    changes = changes or {}
    before: dict[str, Any] = {}

    def apply(locked: Proposal) -> None:
        for name, value in changes.items():
            before[name] = getattr(locked, name)
            setattr(locked, name, value)

    def record(move: workflow.Move[Proposal, Step]) -> Event:
        saved = move.obj
        event = Event.objects.create(
            proposal=saved,
            kind=step.event,
            occurred_on=occurred_on or timezone.localdate(),
            reference=reference,
            text=text,
            body=body,
            document=document or "",
            is_public=event_public,
            created_by=user_or_none(actor),
        )
        audit.record(
            actor=actor,
            actor_label="" if actor else "system",
            action=f"proposal.{step.name}",
            obj=saved,
            changes={"status": [str(move.source), str(saved.status)]}
            | {name: [str(value), str(getattr(saved, name))] for name, value in before.items()},
        )
        return event

    return PROCESS.take(proposal, step_name, apply=apply, record=record)
