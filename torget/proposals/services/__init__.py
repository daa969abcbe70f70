"""Writes for medborgarförslag. Views, the staff pages, commands and the worker call these.

By concern, one module each:

- `submission`: sending in, registering on someone's behalf or from a meeting, moderation
  (publish, reject, move to feedback, hide) and the preview's draft images;
- `support`: supports (the one-statement fast path on PostgreSQL included), withdrawals, the
  threshold and the worker's periodic sweep;
- `handling`: the council's steps (KF assigns to a nämnd, a politician lifts a meeting
  proposal, the decision);
- `common`: what they share, the errors and the notices to authors and followers.

Callers import from here (`from torget.proposals import services`); the names below are the
public interface.
"""

from torget.proposals.services.common import ProposalError, SupportRefused
from torget.proposals.services.handling import proposal_assign, proposal_decide, proposal_lift
from torget.proposals.services.submission import (
    DRAFT_DIR,
    draft_images_prune,
    proposal_hide,
    proposal_move_to_feedback,
    proposal_moved_to_feedback,
    proposal_publish,
    proposal_register_from_meeting,
    proposal_register_on_behalf,
    proposal_reject,
    proposal_submit,
    proposal_unhide,
)
from torget.proposals.services.support import (
    check_can_support,
    proposals_sweep,
    support_active,
    support_add,
    support_add_assisted,
    support_add_fast,
    support_counts_refresh,
    support_withdraw,
    threshold_check,
)

__all__ = [
    "DRAFT_DIR",
    "ProposalError",
    "SupportRefused",
    "check_can_support",
    "draft_images_prune",
    "proposal_assign",
    "proposal_decide",
    "proposal_hide",
    "proposal_lift",
    "proposal_move_to_feedback",
    "proposal_moved_to_feedback",
    "proposal_publish",
    "proposal_register_from_meeting",
    "proposal_register_on_behalf",
    "proposal_reject",
    "proposal_submit",
    "proposal_unhide",
    "proposals_sweep",
    "support_active",
    "support_add",
    "support_add_assisted",
    "support_add_fast",
    "support_counts_refresh",
    "support_withdraw",
    "threshold_check",
]
