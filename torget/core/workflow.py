"""One way to write a process (dialogue, proposal, result item, meeting): a table of named
steps, a guard per step that says in Swedish why it is refused, the row locked while the step
is taken, and the audit entry and outbox message written in the same transaction.

Each process keeps its own module (`dialogues/workflow.py`, `proposals/workflow.py`, …) with
its table and its guards; this module only runs them, always the same way:

    PROCESS = Workflow(
        model=Meeting,
        steps=[Step(name="hold", sources=frozenset({PUBLISHED}), target=HELD, label=_("…"),
                    guards=(has_started,))],
        refused=lambda meeting, step: _("Mötet är …"),
        error=MeetingError,
    )

    @transaction.atomic
    def meeting_mark_held(*, meeting, actor):
        return PROCESS.take(meeting, "hold", record=lambda move: _recorded(move, actor))

`take()` locks the row, checks the table (the status must be one of the step's sources),
lets the caller set the step's own fields (`apply`), runs the guards against the row as it
will be saved, and only then saves it and calls `record` — the process's own function that
writes the history, `audit.record(...)` and `notify(...)`. A refusal raises before anything
is written; the caller's transaction takes back whatever `apply` did. Modelled on the
dialogue's original step table and Wagtail's `WorkflowState`.

The toolbox imports no domain app: the model, the error class and the hooks come from the
process.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")

# A guard looks at the record as the step would save it and returns the broken rule's
# message (in Swedish, citing the rule), or None when the step may go ahead.
Guard = Callable[[Any], "str | Sequence[str] | None"]


class WorkflowError(ValidationError):
    """A step the table or a guard refuses; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Step:
    """One named step: from any of `sources` to `target` (None: the status stays, as for a
    dated entry that is part of the process but moves nothing). Processes subclass it for
    their own columns (who may take it, which notification it sends…)."""

    name: str
    sources: frozenset[str]
    target: str | None
    label: Any
    guards: tuple[Guard, ...] = ()
    # Rules a higher app adds through `Workflow.add_guard` (a hook, so no upward import).
    added_guards: list[Guard] = field(default_factory=list, compare=False, repr=False)

    def refusals(self, record: Any) -> list[str]:
        problems: list[str] = []
        for guard in (*self.guards, *self.added_guards):
            message = guard(record)
            if not message:
                continue
            problems.extend([str(message)] if isinstance(message, str) else map(str, message))
        return problems


S = TypeVar("S", bound=Step)


@dataclass(frozen=True)
class Move(Generic[M, S]):
    """What `record` is told: the saved (locked) object, the step, and the status it came
    from."""

    obj: M
    step: S
    source: str


class Workflow(Generic[M, S]):
    def __init__(
        self,
        *,
        model: type[M],
        steps: Iterable[S],
        refused: Callable[[M, S], Any],
        error: type[ValidationError] = WorkflowError,
        status_field: str = "status",
        save: Callable[[M], None] | None = None,
    ) -> None:
        self.model = model
        self.steps: dict[str, S] = {step.name: step for step in steps}
        self.refused = refused  # the message when the status is not one of the step's sources
        self.error = error
        self.status_field = status_field
        self.save = save or (lambda record: record.save())

    def __getitem__(self, name: str) -> S:
        return self.steps[name]

    def __iter__(self) -> Any:
        return iter(self.steps.values())

    @property
    def states(self) -> frozenset[str]:
        return frozenset(
            state
            for step in self.steps.values()
            for state in (*step.sources, *([step.target] if step.target else []))
        )

    def status_of(self, obj: M) -> str:
        return str(getattr(obj, self.status_field))

    def available(self, obj: M) -> list[S]:
        """The steps the table allows from the record's status (guards not run)."""
        status = self.status_of(obj)
        return [step for step in self.steps.values() if status in step.sources]

    def add_guard(self, name: str, guard: Guard) -> None:
        """A higher app adds a rule to a step from its `AppConfig.ready()`; idempotent."""
        if guard not in self.steps[name].added_guards:
            self.steps[name].added_guards.append(guard)

    def check(self, obj: M, name: str) -> None:
        """Raise the refusal for this step on this record as it is (status, then guards)."""
        step = self.steps[name]
        if self.status_of(obj) not in step.sources:
            raise self.error(self.refused(obj, step), code="wrong_status")
        problems = step.refusals(obj)
        if problems:
            raise self.error(problems, code="rule")

    def take(
        self,
        obj: M,
        name: str,
        *,
        record: Callable[[Move[M, S]], R],
        apply: Callable[[M], None] | None = None,
    ) -> R:
        """Take step `name` on `obj`, inside the caller's transaction.

        The row is read again under `select_for_update()`, so the table and the guards judge
        what is stored (two people cannot both move it) and nothing a stale copy holds is
        written back. `apply` sets the step's own fields on that locked row; `record` writes
        the history, the audit entry and the outbox message, and its result is returned. The
        caller's object is brought up to date with the saved row.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Workflow.take() must run inside transaction.atomic()")
        step = self.steps[name]
        locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
        source = self.status_of(locked)
        if source not in step.sources:
            raise self.error(self.refused(locked, step), code="wrong_status")
        if apply is not None:
            apply(locked)
        problems = step.refusals(locked)
        if problems:
            raise self.error(problems, code="rule")
        if step.target is not None:
            setattr(locked, self.status_field, step.target)
        self.save(locked)
        if locked is not obj:
            for model_field in self.model._meta.concrete_fields:
                setattr(obj, model_field.attname, getattr(locked, model_field.attname))
        return record(Move(obj=locked, step=step, source=source))
