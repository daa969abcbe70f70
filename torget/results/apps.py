from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "torget.results"
    label = "results"
    verbose_name = _("Resultat och återkoppling")

    def ready(self) -> None:
        from torget.dialogues import sections, workflow
        from torget.results import notices, services, views  # noqa: F401 (notices: kinds)

        # 004 §9: feedback point 2 before "feedback given"; point 3 before the decision in the
        # matter is registered (or a recorded reason why it was skipped).
        for step, rule in (
            ("give_feedback", services.rule_summary_published),
            ("record_decision", services.rule_decision_proposal_before_decision),
        ):
            workflow.register_rule(step, rule)
        sections.register(sections.STAFF, views.staff_section, order=20)
        sections.register(sections.PUBLIC, views.public_section, order=20)
