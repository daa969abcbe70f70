"""A result item's handling, in one table (seed 000: every question or result from a dialogue
is one of three kinds, each handled its own way; 004 §8: a citizen proposal gets its page):

    ny ─classify→ ny                       (say which kind it is)
    ny ─hold→ vilande ─raise→ stängd       (party-political: the elected official raises it)
    ny ─assign→ bereds ─timeline→ bereds   (needs preparation in a nämnd)
    ny ─forward→ kontaktcenter             (simple: always to the contact centre)
    ny ─proposal→ medborgarförslag
    bereds | kontaktcenter | medborgarförslag | hanterad ─feedback→ hanterad ─close→ stängd
    any status but stängd ─reclassify→ ny          (another kind, with a reason: handled anew)
    any status but stängd ─reclassify_hold→ vilande (now party-political, with a reason)
    any status ─correct→ the same                      (title or description, the earlier kept)

The services in `services.py` take these steps through `PROCESS.take()` (toolbox
`core.workflow`): the item's row is locked, the guards below say which rule refused a step,
and the audit entry and notifications are written in the same transaction.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.core import workflow
from torget.results.models import ItemStatus, Kind, ResultItem


class ResultError(workflow.WorkflowError):
    pass


@dataclass(frozen=True, kw_only=True)
class Step(workflow.Step):
    # The kind of item the step is for (None: any kind).
    kind: str | None = None


def of_kind(kind: str) -> workflow.Guard:
    def guard(item: ResultItem) -> str | None:
        if item.kind != kind:
            return _("Det här steget gäller bara punkter av typen ”%(kind)s”.") % {
                "kind": Kind(kind).label
            }
        return None

    return guard


def contact_centre_done(item: ResultItem) -> str | None:
    # seed 000: the utskott hears back after handling, so a simple question's case is closed
    # at the contact centre first.
    if item.kind == Kind.SIMPLE and item.case is not None and item.case.is_open:
        return _(
            "Kontaktcenter har inte avslutat ärende %(number)s ännu. Återkoppla till "
            "utskottet när ärendet är hanterat."
        ) % {"number": item.case.number}
    return None


def utskott_told(item: ResultItem) -> str | None:
    # seed 000: the administration ensures feedback to the utskott after handling.
    if not item.utskott_feedback:
        return _("Punkten kan inte stängas förrän återkopplingen till utskottet är registrerad.")
    return None


def classified(item: ResultItem) -> str | None:
    if not item.kind:
        return _("Punkten är inte klassificerad ännu. Klassificera den först.")
    return None


def _refused(item: ResultItem, step: Step) -> str:
    if item.status == ItemStatus.HELD:
        # seed 000: the administration does not handle a party-political question before
        # the elected official has raised it politically.
        return _(
            "Frågan är partipolitisk och hanteras inte av förvaltningen förrän den "
            "förtroendevalda har lyft den politiskt."
        )
    if item.status == ItemStatus.CLOSED:
        return _("Punkten är stängd.")
    if step.name == "close" and (missing := utskott_told(item)):
        return missing  # the rule, rather than the status, is what the official must fix
    return _("Det går inte när punkten har status ”%(status)s”.") % {
        "status": ItemStatus(item.status).label
    }


def _save(item: ResultItem) -> None:
    if item.status == ItemStatus.CLOSED and item.closed_at is None:
        item.closed_at = timezone.now()
    item.full_clean()
    item.save()


HANDLED_BY_NOW = frozenset(
    {ItemStatus.PREPARING, ItemStatus.CONTACT_CENTRE, ItemStatus.PROPOSAL, ItemStatus.HANDLED}
)

REOPENABLE = frozenset(ItemStatus.values) - {ItemStatus.CLOSED}

PROCESS: workflow.Workflow[ResultItem, Step] = workflow.Workflow(
    model=ResultItem,
    refused=_refused,
    error=ResultError,
    save=_save,
    steps=[
        Step(
            name="classify",
            sources=frozenset({ItemStatus.NEW}),
            target=None,
            label=gettext_lazy("Klassificera"),
        ),
        Step(
            name="hold",
            sources=frozenset({ItemStatus.NEW}),
            target=ItemStatus.HELD,
            label=gettext_lazy("Partipolitisk: vänta på att den förtroendevalda lyfter frågan"),
            kind=Kind.PARTY_POLITICAL,
            guards=(of_kind(Kind.PARTY_POLITICAL),),
        ),
        Step(
            name="raise",
            sources=frozenset({ItemStatus.HELD}),
            target=ItemStatus.CLOSED,
            label=gettext_lazy("Registrera att frågan är lyft politiskt"),
            kind=Kind.PARTY_POLITICAL,
            guards=(of_kind(Kind.PARTY_POLITICAL),),
        ),
        Step(
            name="assign",
            sources=frozenset({ItemStatus.NEW}),
            target=ItemStatus.PREPARING,
            label=gettext_lazy("Lämna till nämnd för beredning"),
            kind=Kind.COMMITTEE,
            guards=(of_kind(Kind.COMMITTEE),),
        ),
        Step(
            name="timeline",
            sources=frozenset({ItemStatus.PREPARING}),
            target=None,
            label=gettext_lazy("Lägg till i tidplanen"),
            kind=Kind.COMMITTEE,
            guards=(of_kind(Kind.COMMITTEE),),
        ),
        Step(
            name="forward",
            sources=frozenset({ItemStatus.NEW}),
            target=ItemStatus.CONTACT_CENTRE,
            label=gettext_lazy("Skicka till kontaktcenter"),
            kind=Kind.SIMPLE,
            guards=(of_kind(Kind.SIMPLE),),
        ),
        Step(
            name="proposal",
            sources=frozenset({ItemStatus.NEW}),
            target=ItemStatus.PROPOSAL,
            label=gettext_lazy("Registrera som medborgarförslag"),
            kind=Kind.PROPOSAL,
            guards=(of_kind(Kind.PROPOSAL),),
        ),
        Step(
            name="feedback",
            sources=HANDLED_BY_NOW,
            target=ItemStatus.HANDLED,
            label=gettext_lazy("Registrera återkoppling till utskottet"),
            guards=(contact_centre_done,),
        ),
        Step(
            name="close",
            sources=frozenset({ItemStatus.HANDLED}),
            target=ItemStatus.CLOSED,
            label=gettext_lazy("Stäng punkten"),
            guards=(utskott_told,),
        ),
        # 004 §9: a result can be corrected afterwards, and moved to another kind with a
        # reason; the item is then handled the new kind's way (held again if party-political).
        Step(
            name="reclassify",
            sources=REOPENABLE,
            target=ItemStatus.NEW,
            label=gettext_lazy("Klassificera om"),
        ),
        Step(
            name="reclassify_hold",
            sources=REOPENABLE,
            target=ItemStatus.HELD,
            label=gettext_lazy("Klassificera om som partipolitisk"),
        ),
        Step(
            name="correct",
            sources=frozenset(ItemStatus.values),
            target=None,
            label=gettext_lazy("Rätta punkten"),
        ),
    ],
)


def allowed_actions(item: ResultItem) -> list[str]:
    """The steps the table allows for this item now (for the staff page's buttons)."""
    return [
        step.name for step in PROCESS.available(item) if step.kind is None or item.kind == step.kind
    ]


def audit_changes(move: workflow.Move[ResultItem, Step], **changes: Any) -> dict[str, Any]:
    return {"status": [move.source, move.obj.status]} | {k: str(v) for k, v in changes.items()}
