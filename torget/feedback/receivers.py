"""Cases that arrive from other parts of Torget: receivers that the apps above feedback connect
to their own signals in their `AppConfig.ready()` (feedback imports none of them)."""

from typing import Any

from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.feedback import services
from torget.feedback.models import (
    DESCRIPTION_MAX,
    Category,
    CategoryUse,
    Kind,
    ReplyChannel,
    Source,
)


def proposal_moved_to_feedback(*, proposal: Any, actor: Actor, **kwargs: Any) -> None:
    """A "proposal" that is really a complaint or a fault report becomes a case for the
    contact centre, who re-categorises it; the author hears from the case as from any other
    (by e-mail, when the proposal had an address)."""
    opinions = Category.objects.filter(use=CategoryUse.OPINION, is_active=True)
    category = opinions.filter(code="annat").first() or opinions.order_by("order", "name").first()
    if category is None:
        return  # No opinion categories configured: the moderator's message is all there is.
    author = proposal.author
    email = (author.email if author is not None and author.is_active else "") or getattr(
        proposal, "contact_email", ""
    )
    text = f"{proposal.title}\n\n{proposal.body}"
    note = _("Flyttat från medborgarförslag nr %(pk)s.") % {"pk": proposal.pk}
    services.case_create(
        kind=Kind.SUGGESTION,
        category=category,
        description=text[: DESCRIPTION_MAX - len(note) - 2] + "\n\n" + note,
        reporter=author,
        reporter_name=proposal.author_name,
        reporter_email=email,
        reply_channel=ReplyChannel.EMAIL if email else ReplyChannel.NONE,
        source=Source.PROPOSAL,
        actor=actor,
    )
