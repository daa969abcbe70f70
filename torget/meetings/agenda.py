"""The agenda rule (seed 004 §7), in one place: at least one third of the meeting's time is
for questions the citizens raise; the agenda cannot be published otherwise."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from torget.meetings import bodies
from torget.meetings.models import Meeting

CITIZENS_SHARE = 1 / 3


@dataclass(frozen=True)
class AgendaCheck:
    meeting_minutes: int
    planned_minutes: int
    citizens_minutes: int
    problems: tuple[str, ...]
    # False for a meeting the rule does not apply to (a council's working meeting).
    applies: bool = True

    @property
    def citizens_share(self) -> float:
        return self.citizens_minutes / self.meeting_minutes if self.meeting_minutes else 0.0

    @property
    def citizens_percent(self) -> int:
        return round(self.citizens_share * 100)

    @property
    def ok(self) -> bool:
        return not self.problems


def citizens_time_applies(meeting: Meeting) -> bool:
    """Whether the meeting gives time to the citizens' questions: every dialogue and utskott
    meeting; not a council's working meeting (the owning app says so, meetings.bodies)."""
    owned = bodies.rules_for(meeting.body) if meeting.body_id else None
    return owned is None or owned.citizens_third


def check(meeting: Meeting) -> AgendaCheck:
    items = list(meeting.agenda.all())
    total = meeting.duration_minutes
    planned = sum(item.minutes for item in items)
    citizens = sum(item.minutes for item in items if item.citizens_time)
    problems = []
    if not items:
        problems.append(_("Agendan har inga punkter."))
    if planned > total:
        problems.append(
            _("Agendan tar %(planned)s minuter men mötet är bara %(total)s minuter.")
            % {"planned": planned, "total": total}
        )
    applies = citizens_time_applies(meeting)
    if applies and citizens * 3 < total:
        problems.append(
            _(
                "Minst en tredjedel av mötestiden ska vara till för frågor som invånarna tar "
                "upp: %(needed)s av %(total)s minuter, men agendan har %(citizens)s."
            )
            % {"needed": -(-total // 3), "total": total, "citizens": citizens}
        )
    return AgendaCheck(total, planned, citizens, tuple(problems), applies)
