"""Who sees what of the retention plan: the plan is a public document; the run log is for the
administrators who run the site (retention.view_retentionrun, which the administrator role
holds)."""

from typing import Any

VIEW_RUNS = "retention.view_retentionrun"
CHANGE_PLAN = "retention.change_retentionrule"


def can_view_runs(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(VIEW_RUNS))


def can_change_plan(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(CHANGE_PLAN))
