"""A consultation's life, in one table:

    utkast ─approve→ godkänt ─open→ öppet ─close→ stängt ─publish→ resultatet publicerat

The alternatives are prepared in the draft; the politicians' approval in the dialogue's plan
is recorded before anything is shown to citizens (DOMAIN §7), and nothing can be changed after
it. The services take these steps through `PROCESS.take()` (toolbox `core.workflow`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.consultations.models import Consultation, Status
from torget.core import workflow

MIN_ALTERNATIVES = 2


class ConsultationError(workflow.WorkflowError):
    pass


def has_alternatives(consultation: Consultation) -> str | None:
    if consultation.alternatives.count() < MIN_ALTERNATIVES:
        return _("Ett samråd behöver minst två alternativ att välja mellan.")
    return None


def approval_recorded(consultation: Consultation) -> str | None:
    # DOMAIN §7: the alternatives are approved by the responsible politicians in the plan.
    if not (consultation.approved_on and consultation.approved_by_body_id):
        return _(
            "Godkännandet är inte registrerat. Registrera vilket organ som godkände "
            "alternativen och när, innan samrådet öppnas."
        )
    return None


def _refused(consultation: Consultation, step: workflow.Step) -> str:
    return _("Samrådet är %(status)s, så det går inte att %(step)s nu.") % {
        "status": str(Status(consultation.status).label).lower(),
        "step": str(step.label).lower(),
    }


PROCESS: workflow.Workflow[Consultation, workflow.Step] = workflow.Workflow(
    model=Consultation,
    steps=[
        workflow.Step(
            name="approve",
            sources=frozenset({Status.DRAFT}),
            target=Status.APPROVED,
            label=gettext_lazy("Registrera godkännandet"),
            guards=(has_alternatives, approval_recorded),
        ),
        workflow.Step(
            name="open",
            sources=frozenset({Status.APPROVED}),
            target=Status.OPEN,
            label=gettext_lazy("Öppna samrådet"),
            guards=(has_alternatives, approval_recorded),
        ),
        workflow.Step(
            name="close",
            sources=frozenset({Status.OPEN}),
            target=Status.CLOSED,
            label=gettext_lazy("Stäng samrådet"),
        ),
        workflow.Step(
            name="publish",
            sources=frozenset({Status.CLOSED}),
            target=Status.PUBLISHED,
            label=gettext_lazy("Publicera resultatet"),
        ),
    ],
    refused=_refused,
    error=ConsultationError,
)
