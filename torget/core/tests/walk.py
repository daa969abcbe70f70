"""Walk a process's whole table (`core.workflow.Workflow`): for every state and every step,
put a record in that state and take the step. A step the table allows must succeed; every
other step must be refused with the table's own message, and nothing written."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from torget.core.workflow import Workflow


class _Undo(Exception):
    pass


def walk_table(
    process: Workflow[Any, Any],
    *,
    put: Callable[[str], Any],
    take: Callable[[Any, str], Any],
    written: Callable[[], tuple[int, ...]],
) -> list[tuple[str, str, str]]:
    """`put(state)` returns a record in that state; `take(record, step)` takes the step the
    way the pages do (with inputs that satisfy the step's guards); `written()` counts what a
    step writes (audit entries, outbox rows). Each attempt is rolled back before the next.
    Returns (state, step, outcome) for every pair, so a test can check the walk was whole."""
    walked = []
    for state in sorted(process.states):
        for step in process:
            try:
                with transaction.atomic():
                    record = put(state)
                    before = written()
                    if state in step.sources:
                        take(record, step.name)
                        record.refresh_from_db()
                        assert process.status_of(record) == (step.target or state), (state, step)
                        assert written()[0] > before[0], f"{step.name} from {state}: no audit"
                        walked.append((state, step.name, "taken"))
                    else:
                        with pytest.raises(process.error) as refused:
                            take(record, step.name)
                        record.refresh_from_db()
                        assert refused.value.messages == [str(process.refused(record, step))]
                        assert process.status_of(record) == state
                        assert written() == before, f"{step.name} from {state} wrote something"
                        walked.append((state, step.name, "refused"))
                    raise _Undo
            except _Undo:
                pass
    return walked
