"""An inspection's life and an action's, each in one table.

An inspection:

planerad ─hold→ genomförd ─protocol→ protokoll klart
    └─cancel→ inställd (with a reason)
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.core import workflow
from torget.inspections.models import Action, ActionStatus, Inspection, InspectionStatus


class InspectionError(workflow.WorkflowError):
    pass


def has_been_walked(inspection: Inspection) -> str | None:
    if inspection.date > timezone.localdate():
        return _("En besiktning kan inte markeras som genomförd före sitt datum.")
    return None


def attendance_recorded(inspection: Inspection) -> str | None:
    if inspection.groups.filter(attended__isnull=True).exists():
        return _("Registrera vilka grupper som deltog innan protokollet markeras klart.")
    return None


def has_reason(inspection: Inspection) -> str | None:
    if not inspection.cancelled_reason.strip():
        return _("Skriv varför besiktningen ställs in.")
    return None


def _refused(inspection: Inspection, step: workflow.Step) -> Any:
    return _("Besiktningen är %(status)s och det steget går inte att ta nu.") % {
        "status": inspection.get_status_display().lower()
    }


PROCESS: workflow.Workflow[Inspection, workflow.Step] = workflow.Workflow(
    model=Inspection,
    refused=_refused,
    error=InspectionError,
    steps=[
        workflow.Step(
            name="hold",
            sources=frozenset({InspectionStatus.PLANNED}),
            target=InspectionStatus.HELD,
            label=gettext_lazy("Markera som genomförd"),
            guards=(has_been_walked,),
        ),
        workflow.Step(
            name="protocol",
            sources=frozenset({InspectionStatus.HELD}),
            target=InspectionStatus.PROTOCOL_DONE,
            label=gettext_lazy("Markera protokollet som klart"),
            guards=(attendance_recorded,),
        ),
        workflow.Step(
            name="cancel",
            sources=frozenset({InspectionStatus.PLANNED}),
            target=InspectionStatus.CANCELLED,
            label=gettext_lazy("Ställ in besiktningen"),
            guards=(has_reason,),
        ),
    ],
)


class ActionError(workflow.WorkflowError):
    pass


def has_not_done_reason(action: Action) -> str | None:
    if not action.not_done_reason.strip():
        return _("Skriv varför åtgärden inte genomfördes.")
    return None


def _action_refused(action: Action, step: workflow.Step) -> Any:
    return _("Åtgärden är %(status)s och det steget går inte att ta nu.") % {
        "status": action.get_status_display().lower()
    }


_OPEN = frozenset({ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS})

ACTION_PROCESS: workflow.Workflow[Action, workflow.Step] = workflow.Workflow(
    model=Action,
    refused=_action_refused,
    error=ActionError,
    steps=[
        workflow.Step(
            name="agree",
            sources=frozenset({ActionStatus.PROPOSED}),
            target=ActionStatus.AGREED,
            label=gettext_lazy("Överenskommen"),
        ),
        workflow.Step(
            name="start",
            sources=frozenset({ActionStatus.PROPOSED, ActionStatus.AGREED}),
            target=ActionStatus.IN_PROGRESS,
            label=gettext_lazy("Pågår"),
        ),
        workflow.Step(
            name="complete",
            sources=_OPEN,
            target=ActionStatus.DONE,
            label=gettext_lazy("Genomförd"),
        ),
        workflow.Step(
            name="give_up",
            sources=_OPEN,
            target=ActionStatus.NOT_DONE,
            label=gettext_lazy("Inte genomförd"),
            guards=(has_not_done_reason,),
        ),
    ],
)
