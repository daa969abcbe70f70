"""The council's steps once a proposal has its support: KF assigns it to a nämnd, a
politician lifts a meeting proposal, and the decision."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.core import documents
from torget.organisation.models import Body, BodyKind
from torget.proposals import workflow
from torget.proposals.models import Outcome, Proposal
from torget.proposals.services.common import ProposalError, notify_step

# --- The council's steps ---------------------------------------------------------------------


def _check_body(body: Any, kinds: set[str], message: str) -> None:
    if body is None or body.kind not in kinds:
        raise ProposalError({"body": message})


def _check_date(occurred_on: datetime.date) -> None:
    if occurred_on > timezone.localdate():
        raise ProposalError({"occurred_on": _("Datumet kan inte ligga i framtiden.")})


@transaction.atomic
def proposal_assign(
    *,
    proposal: Proposal,
    actor: Actor,
    body: Body,
    due: datetime.date,
    occurred_on: datetime.date,
    reference: str,
) -> Proposal:
    """KF lämnar förslaget till en nämnd för beredning, with a date it is due."""
    if not reference.strip():
        raise ProposalError({"reference": _("Ange referens, till exempel paragraf i protokollet.")})
    return _to_committee(
        proposal,
        "assign",
        actor=actor,
        body=body,
        due=due,
        occurred_on=occurred_on,
        reference=reference,
        due_message=_("Beredningen ska vara klar efter beslutsdatumet."),
    )


@transaction.atomic
def proposal_lift(
    *,
    proposal: Proposal,
    actor: Actor,
    body: Body,
    due: datetime.date | None,
    occurred_on: datetime.date,
    reference: str = "",
) -> Proposal:
    """seed 004 §8: the responsible politician lifts a meeting proposal to a nämnd."""
    return _to_committee(
        proposal,
        "lift",
        actor=actor,
        body=body,
        due=due,
        occurred_on=occurred_on,
        reference=reference,
        due_message=_("Beredningen ska vara klar efter datumet då förslaget lyftes."),
    )


def _to_committee(
    proposal: Proposal,
    step: str,
    *,
    actor: Actor,
    body: Body,
    due: datetime.date | None,
    occurred_on: datetime.date,
    reference: str,
    due_message: str,
) -> Proposal:
    """A nämnd takes the proposal for preparation (assigned by KF, or lifted by a politician)."""
    _check_body(body, {BodyKind.COMMITTEE, BodyKind.EXECUTIVE}, _("Välj en nämnd."))
    _check_date(occurred_on)
    if due is not None and due <= occurred_on:
        raise ProposalError({"due": due_message})
    event = workflow.transition(
        proposal,
        step,
        actor=actor,
        occurred_on=occurred_on,
        reference=reference.strip(),
        body=body,
        changes={"preparing_body": body, "preparation_due": due},
    )
    notify_step(proposal, event)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    actor: Actor,
    body: Body,
    outcome: str,
    answer: str,
    occurred_on: datetime.date,
    reference: str,
    document: Any = None,
) -> Proposal:
    """KF (or the nämnd, if delegated) decides; the answer is published on the page."""
    _check_body(
        body,
        {BodyKind.COUNCIL, BodyKind.EXECUTIVE, BodyKind.COMMITTEE},
        _("Välj det organ som fattade beslutet."),
    )
    _check_date(occurred_on)
    if outcome not in Outcome.values:
        raise ProposalError({"outcome": _("Välj beslutet i listan.")})
    if not answer.strip():
        raise ProposalError({"answer": _("Skriv beslutets svar till förslagsställaren.")})
    if not reference.strip():
        raise ProposalError({"reference": _("Ange referens, till exempel paragraf i protokollet.")})
    if document:
        document = _checked_document(document)
    event = workflow.transition(
        proposal,
        "decide",
        actor=actor,
        occurred_on=occurred_on,
        reference=reference.strip(),
        text=answer.strip(),
        body=body,
        document=document,
        changes={
            "outcome": Outcome(outcome),
            "answer": answer.strip(),
            "decided_on": occurred_on,
        },
    )
    if event.document:
        # The same stored file as the timeline's, not a second copy.
        proposal.decision_document.name = event.document.name
        proposal.save(update_fields=["decision_document"])
    notify_step(proposal, event)
    return proposal


def _checked_document(document: Any) -> Any:
    """The decision document by its content, not its name (a PDF or a word-processing file,
    at most 20 MB), stored under the extension its content has: a page or script named
    beslut.pdf is refused."""
    try:
        kind = documents.check(document, allowed=DECISION_DOCUMENT_KINDS)
    except documents.DocumentError as error:
        raise ProposalError({"document": str(error)}) from error
    document.name = documents.stored_name(document.name or "", kind, default_stem="beslut")
    return document


DECISION_DOCUMENT_KINDS = frozenset({"pdf", "doc", "docx", "odt"})
