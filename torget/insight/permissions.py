"""Who may see the insight pages (rules; no model permissions, so no migration).

* insight.view_staff_dashboard: every staff role (the internal dashboard and the area reports);
* insight.forward_area_report: the utskott coordinator (who prepares every utskott's meetings,
  meetings.prepare_utskott_meetings) and the administrators: attach an area report to an
  utskott meeting and send it on to the municipal council.
"""

import rules

from torget.accounts.permissions import has_perm, has_staff_role, is_administrator
from torget.accounts.types import Actor


@rules.predicate
def coordinates_utskott(user: Actor) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(is_administrator(user) or has_perm(user, "meetings.prepare_utskott_meetings"))


rules.add_perm("insight.view_staff_dashboard", has_staff_role)
rules.add_perm("insight.forward_area_report", coordinates_utskott)
