"""Who may open the meetings' staff pages, as rules that templates can ask too
(`perms.meetings.plan_utskott_meetings`), so a page links to them only for those who may."""

import rules

from torget.accounts.types import Actor
from torget.meetings import services
from torget.organisation.models import Body, BodyKind


def plannable_utskott(user: Actor) -> list[Body]:
    """The active utskott for medborgardialog whose meetings `user` may plan."""
    bodies = Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE, is_active=True).order_by("name")
    return [body for body in bodies if services.can_plan(user, body=body)]


@rules.predicate
def plans_utskott_meetings(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and plannable_utskott(user))


# The utskott's meetings (/personal/moten/): the view lists exactly plannable_utskott().
rules.add_perm("meetings.plan_utskott_meetings", plans_utskott_meetings)
