"""A meeting's life, in one table:

    utkast ─publish→ publicerat ─hold→ genomfört
      │                 ├─publish→ publicerat   (the agenda published again after a change)
      └────cancel───────┴─cancel→ inställt

The services (`agenda_publish`, `meeting_cancel`, `meeting_mark_held`) take these steps
through `PROCESS.take()` (toolbox `core.workflow`): the meeting's row is locked, the guards
below say which rule refused a step, and the audit entry and the e-mails are written in the
same transaction.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.core import workflow
from torget.meetings import agenda
from torget.meetings.models import Meeting, MeetingStatus


class MeetingError(workflow.WorkflowError):
    pass


def citizens_third(meeting: Meeting) -> list[str] | None:
    # 004 §7: at least one third of the meeting's time is for the citizens' questions.
    return list(agenda.check(meeting).problems) or None


def has_started(meeting: Meeting) -> str | None:
    if meeting.starts_at > timezone.now():
        return _("Mötet har inte börjat än.")
    return None


def _refused(meeting: Meeting, step: workflow.Step) -> Any:
    if step.name == "hold":
        return _("Bara ett publicerat möte kan markeras som genomfört.")
    return _("Mötet är %(status)s och kan inte ändras.") % {
        "status": meeting.get_status_display().lower()
    }


PROCESS: workflow.Workflow[Meeting, workflow.Step] = workflow.Workflow(
    model=Meeting,
    refused=_refused,
    error=MeetingError,
    steps=[
        workflow.Step(
            name="publish",
            sources=frozenset({MeetingStatus.DRAFT, MeetingStatus.PUBLISHED}),
            target=MeetingStatus.PUBLISHED,
            label=gettext_lazy("Publicera agendan och mötet"),
            guards=(citizens_third,),
        ),
        workflow.Step(
            name="cancel",
            sources=frozenset({MeetingStatus.DRAFT, MeetingStatus.PUBLISHED}),
            target=MeetingStatus.CANCELLED,
            label=gettext_lazy("Ställ in mötet"),
        ),
        workflow.Step(
            name="hold",
            sources=frozenset({MeetingStatus.PUBLISHED}),
            target=MeetingStatus.HELD,
            label=gettext_lazy("Markera som genomfört"),
            guards=(has_started,),
        ),
    ],
)
