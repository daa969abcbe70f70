from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role

if TYPE_CHECKING:
    from torget.accounts.models import User


class FeedbackConfig(AppConfig):
    name = "torget.feedback"
    label = "feedback"
    verbose_name = _("Synpunkter och felanmälan")
    role_permissions = {
        Role.CONTACT_CENTRE: [
            "feedback.view_case",
            "feedback.handle_case",
            "feedback.redact_case_photo",
            "feedback.view_feedback_statistics",
        ],
        Role.OFFICIAL: [
            "feedback.view_case",
            "feedback.handle_case",
            "feedback.redact_case_photo",
            "feedback.view_feedback_statistics",
        ],
        Role.ELECTED: ["feedback.view_feedback_statistics"],
        # Fault reports per area and month are part of the safety work in its areas.
        Role.SAFETY_COORDINATOR: ["feedback.view_feedback_statistics"],
    }

    def ready(self) -> None:
        from torget.feedback import notices  # noqa: F401 (registers its notice kinds)
        from torget.feedback.models import Case
        from torget.notifications import registry

        registry.register(
            "felanmalan",
            Case,
            label=_("Felanmälan"),
            visible=lambda case: case.is_public and case.merged_into_id is None,
        )

    def on_tick(self) -> dict[str, Any]:
        """The notifications worker's sweep: the daily digest of overdue cases (working days,
        from 07:00); retention runs with the retention plan."""
        from torget.feedback.digest import daily_work
        from torget.feedback.services import draft_photos_prune

        return daily_work() | {"drafts_removed": draft_photos_prune()}

    def export_personal_data(self, user: "User") -> list[dict[str, Any]]:
        from torget.feedback.models import Case

        return [
            {
                "number": case.number,
                "kind": case.get_kind_display(),
                "category": str(case.category),
                "text": case.description,
                "status": str(case.status),
                "received": case.created_at.isoformat(),
                "follow": case.follow_url(),
            }
            for case in Case.objects.filter(reporter=user).select_related("category", "status")
        ]

    def on_account_closed(self, user: "User") -> None:
        # Cases are public records handled under the retention rule; the account link goes.
        from torget.feedback.models import Case

        Case.objects.filter(reporter=user).update(reporter=None)
