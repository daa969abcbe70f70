"""What the parts of the proposals' services share: their errors and the notices to a
proposal's author and followers."""

from typing import Any

from django.core.exceptions import ValidationError

from torget.notifications.services import notify
from torget.proposals.models import Event, Proposal


class ProposalError(ValidationError):
    pass


class SupportRefused(ValidationError):
    pass


# --- Notifications ---------------------------------------------------------------------------


def notice_context(proposal: Proposal, **extra: Any) -> dict[str, Any]:
    return {"title": proposal.title, "url": proposal.get_absolute_url(), **extra}


def notify_author(proposal: Proposal, template: str, **extra: Any) -> None:
    context = notice_context(proposal, **extra)
    if proposal.author_id and proposal.author and proposal.author.is_active:
        notify(template=template, context=context, users=[proposal.author])
    elif proposal.contact_email:
        notify(template=template, context=context, emails=[proposal.contact_email])


def notify_step(proposal: Proposal, event: Event) -> None:
    """A public step: the author and everyone who follows the proposal (or its area/topic)."""
    context = notice_context(
        proposal,
        kind=event.kind,
        step=str(event.get_kind_display()),
        date=event.occurred_on.isoformat(),
        reference=event.reference,
        text=event.text[:1000],
        body=event.body.name if event.body else "",
    )
    notify_author(
        proposal,
        "proposals.step",
        **{k: v for k, v in context.items() if k not in {"title", "url"}},
    )
    targets: list[Any] = [proposal, proposal.topic]
    if proposal.area:
        targets.append(proposal.area)
    notify(template="proposals.step", context=context, followers_of=targets)
