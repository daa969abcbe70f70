from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role

if TYPE_CHECKING:
    from torget.accounts.models import User


def _list_changed(**_kwargs: Any) -> None:
    from torget.proposals.selectors import list_forget

    list_forget()


class ProposalsConfig(AppConfig):
    name = "torget.proposals"
    label = "proposals"
    verbose_name = _("Medborgarförslag")
    role_permissions = {
        Role.OFFICIAL: [
            "proposals.view_proposal",
            "proposals.moderate_proposal",
            "proposals.register_proposal_step",
            "proposals.register_on_behalf",
        ],
        Role.CONTACT_CENTRE: ["proposals.view_proposal", "proposals.register_on_behalf"],
        Role.ELECTED: ["proposals.view_proposal"],
    }

    def ready(self) -> None:
        from torget.feedback import receivers
        from torget.notifications import registry
        from torget.proposals import notices, permissions  # noqa: F401 (register kinds, rules)
        from torget.proposals.models import Proposal
        from torget.proposals.services import proposal_moved_to_feedback

        # Feedback sits below proposals and takes in what a moderator moves there; proposals
        # connects it here, so feedback never needs to know that proposals exist.
        proposal_moved_to_feedback.connect(
            receivers.proposal_moved_to_feedback, dispatch_uid="feedback.proposal_moved"
        )

        # Any saved or deleted proposal (new, published, hidden, decided) changes the public
        # list: its cached counts and pages go (selectors.list_forget).
        post_save.connect(_list_changed, sender=Proposal, dispatch_uid="proposals.list_saved")
        post_delete.connect(_list_changed, sender=Proposal, dispatch_uid="proposals.list_deleted")

        registry.register(
            "forslag", Proposal, label=_("Medborgarförslag"), visible=lambda p: p.is_public
        )

    def on_tick(self) -> dict[str, Any]:
        from torget.proposals.services import proposals_sweep

        return proposals_sweep()

    def export_personal_data(self, user: "User") -> list[dict[str, Any]]:
        from torget.proposals.models import Proposal, Support

        proposals = [
            {
                "title": p.title,
                "text": p.body,
                "status": p.get_status_display(),
                "submitted": p.created_at.isoformat(),
                "address": p.get_absolute_url(),
            }
            for p in Proposal.objects.filter(author=user)
        ]
        supports = [
            {
                "proposal": s.proposal.title,
                "given": s.created_at.isoformat(),
                "withdrawn": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
            }
            for s in Support.objects.filter(user=user).select_related("proposal")
        ]
        return [{"proposals": proposals, "supports": supports}]

    def on_account_closed(self, user: "User") -> None:
        # Proposals are public records and stay, under the name they were published with;
        # supports stay counted (they belong to the person, not the account).
        from torget.proposals.models import Proposal, Support

        Proposal.objects.filter(author=user).update(author=None)
        Support.objects.filter(user=user).update(user=None)

    def on_person_keys_changed(
        self, *, apps: Any, changes: dict[str, str], audit: Any
    ) -> dict[str, int]:
        # identity's repair of keys from other digit scripts (issue 15): supports follow
        # their person's new key, and one person's second support stops counting.
        from torget.proposals.repair import supports_rekey

        return supports_rekey(apps=apps, changes=changes, audit=audit)
