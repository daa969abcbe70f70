"""A council's life, in one table:

    aktivt ─close→ avslutat

A closed council is kept, with its members, meetings and documents (Ljungsbro närråd stopped
with a new term of office): it is marked closed, never deleted.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.core import workflow
from torget.councils.models import Council, CouncilStatus


class CouncilError(workflow.WorkflowError):
    pass


def has_reason(council: Council) -> str | None:
    if not council.closed_reason.strip():
        return _("Skriv varför rådet avslutas.")
    return None


def not_in_the_future(council: Council) -> str | None:
    if council.closed_on is None:
        return _("Skriv när rådet avslutades.")
    if council.closed_on > timezone.localdate():
        return _("Ett råd kan inte avslutas i förväg.")
    return None


def _refused(council: Council, step: workflow.Step) -> Any:
    return _("Rådet är redan avslutat.")


PROCESS: workflow.Workflow[Council, workflow.Step] = workflow.Workflow(
    model=Council,
    refused=_refused,
    error=CouncilError,
    steps=[
        workflow.Step(
            name="close",
            sources=frozenset({CouncilStatus.ACTIVE}),
            target=CouncilStatus.CLOSED,
            label=gettext_lazy("Avsluta rådet"),
            guards=(has_reason, not_in_the_future),
        ),
    ],
)
