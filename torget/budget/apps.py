from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role


class BudgetConfig(AppConfig):
    name = "torget.budget"
    label = "budget"
    verbose_name = _("Medborgarbudget")
    role_permissions = {
        Role.CONTACT_CENTRE: ["budget.vote_assisted"],
        Role.OFFICIAL: ["budget.vote_assisted"],
    }

    def ready(self) -> None:
        import torget.budget.notices  # noqa: F401 (the round's notice kinds)
        from torget.budget import (
            permissions,  # noqa: F401 (registers its rules)
            round_views,
        )
        from torget.dialogues import sections

        _register_followable()
        # The rounds of a dialogue on its public page and, for staff, on its staff page.
        sections.register(sections.PUBLIC, round_views.public_section, order=19)
        sections.register(sections.STAFF, round_views.staff_section, order=29)

    def on_tick(self) -> dict[str, Any]:
        """The worker's sweep: a round stops taking ideas, and its vote closes, once the last
        day the presidium approved has passed (as the system, audited and announced)."""
        from torget.budget.services import rounds_sweep

        return rounds_sweep()

    def export_personal_data(self, user: Any) -> dict[str, Any]:
        """What the person wrote in citizen budgets. Votes are secret and not linked to the
        account, so they are not in the export: only that the person voted is known, under a
        keyed hash of the personal identity number."""
        from torget.budget.models import Comment, Idea, Interest

        return {
            "ideas": [
                {
                    "round": idea.round.title,
                    "number": idea.number,
                    "title": idea.title,
                    "description": idea.description,
                    "shown_name": idea.shown_name,
                    "status": idea.status,
                    "submitted_at": idea.created_at.isoformat(),
                }
                for idea in Idea.objects.filter(author=user).select_related("round")
            ],
            "comments": [
                {
                    "idea": comment.idea.title,
                    "text": comment.text,
                    "written_at": comment.created_at.isoformat(),
                }
                for comment in Comment.objects.filter(author=user).select_related("idea")
            ],
            "interests": Interest.objects.filter(user=user).count(),
        }

    def on_account_closed(self, user: Any) -> None:
        """Ideas and comments stay (public records); the name the person chose goes."""
        from torget.budget.models import Comment, Idea

        closed = str(_("Avslutat konto"))
        Idea.objects.filter(author=user).update(shown_name=closed)
        Comment.objects.filter(author=user).update(shown_name=closed)


def _register_followable() -> None:
    from torget.budget.models import BudgetRound
    from torget.notifications import registry

    registry.register(
        "medborgarbudget",
        BudgetRound,
        label=_("Medborgarbudget"),
        widen=lambda round: [round, round.dialogue],
        visible=lambda round: bool(round.is_public),
    )
