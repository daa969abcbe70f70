"""Who may do what with proposals, beyond the role permissions in apps.py."""

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.proposals.models import PUBLIC_STATUSES


@rules.predicate
def is_responsible_politician(user: Actor, proposal: Any) -> bool:
    return bool(
        proposal is not None
        and getattr(user, "is_authenticated", False)
        and proposal.responsible_politician_id == user.pk
    )


@rules.predicate
def registers_steps(user: Actor) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and ModelBackend().has_perm(user, "proposals.register_proposal_step")
    )


@rules.predicate
def is_author(user: Actor, proposal: Any) -> bool:
    return bool(
        proposal is not None
        and getattr(user, "is_authenticated", False)
        and proposal.author_id == user.pk
    )


@rules.predicate
def is_public(user: Actor, proposal: Any) -> bool:
    return proposal is not None and proposal.status in PUBLIC_STATUSES


@rules.predicate
def is_proposal_staff(user: Actor) -> bool:
    backend = ModelBackend()
    return bool(
        getattr(user, "is_active", False)
        and any(
            backend.has_perm(user, perm)
            for perm in (
                "proposals.moderate_proposal",
                "proposals.register_proposal_step",
                "proposals.register_on_behalf",
            )
        )
    )


def can_use_staff_pages(user: Actor) -> bool:
    """Anyone who handles proposals, and elected officials who follow them."""
    return has_perm(user, "proposals.view_proposal") or has_perm(
        user, "proposals.work_with_proposals"
    )


# seed 004 §8: the responsible politician lifts a meeting proposal to a nämnd.
rules.add_perm("proposals.lift_proposal", is_responsible_politician | registers_steps)
# The author sees their own proposal in every status; everyone sees public ones (hidden ones
# show their reason instead of the text); staff who handle proposals see all.
rules.add_perm("proposals.view_proposal_page", is_public | is_author | is_proposal_staff)
rules.add_perm("proposals.work_with_proposals", is_proposal_staff)
