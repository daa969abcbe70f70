"""Writes of the results part: recording the questions and results of a dialogue, handling
each the way seed 000 says for its kind, and the two dialogue-level feedback points of
004 §9 (the summary at the end of the dialogue, the decision proposal).

The item's state machine is the table in `workflow.py`; each service below takes one of its
steps through `workflow.PROCESS.take()`, which locks the item, refuses a step with the rule's
Swedish message, and writes the audit entry (and notifications) in the same transaction.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.roles import Role
from torget.accounts.selectors import holds_role
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.core.workflow import Move
from torget.dialogues.models import Dialogue
from torget.dialogues.models import Status as DialogueStatus
from torget.dialogues.selectors import can_work_with
from torget.feedback import services as feedback
from torget.feedback.models import Category, Source
from torget.feedback.models import Kind as CaseKind
from torget.meetings.models import Meeting
from torget.notifications.models import Channel
from torget.notifications.services import notify
from torget.organisation.models import Body, BodyKind
from torget.organisation.selectors import elected_members
from torget.proposals import services as proposals
from torget.results import selectors, workflow
from torget.results.models import (
    Correction,
    CorrectionKind,
    FeedbackPoint,
    Kind,
    PointKind,
    PointSkip,
    RaisedHow,
    RaisedVia,
    ResultItem,
    ResultStep,
)
from torget.results.permissions import can_raise, can_work_with_item
from torget.results.selectors import PointState
from torget.results.workflow import ResultError, Step

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# Where a summary and a decision proposal may be published (004 §9: at the end of the
# dialogue; when the proposal goes to the deciding body, which is before the decision).
SUMMARY_STATUSES = frozenset({DialogueStatus.COMPILING, DialogueStatus.DECISION_MADE})
PROPOSAL_STATUSES = frozenset({DialogueStatus.COMPILING})
# The decision in the matter is recorded: too late for the decision proposal.
DECIDED_STATUSES = frozenset(
    {
        DialogueStatus.DECISION_MADE,
        DialogueStatus.FEEDBACK_GIVEN,
        DialogueStatus.EVALUATED,
        DialogueStatus.CLOSED,
    }
)


def allowed_actions(item: ResultItem) -> list[str]:
    return workflow.allowed_actions(item)


def _require_worker(actor: Actor, item: ResultItem) -> None:
    if not can_work_with_item(actor, item):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan hantera resultaten."))


def _audited(action: str, *, actor: Actor, **changes: Any) -> Any:
    """The `record` hook of a step that only moves the item: its audit entry."""

    def record(move: Move[ResultItem, Step]) -> ResultItem:
        audit.record(
            actor=actor,
            action=f"result.{action}",
            obj=move.obj,
            changes=workflow.audit_changes(move, **changes),
        )
        return move.obj

    return record


def _is_elected(user: Actor) -> bool:
    return holds_role(user, Role.ELECTED)


# --- Items -------------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    dialogue: Dialogue,
    actor: Actor,
    title: str,
    description: str = "",
    meeting: Meeting | None = None,
    utskott: Body | None = None,
    kind: str = "",
    politician: Any = None,
) -> ResultItem:
    """Record a question or result. The utskott is the meeting's (an utskott meeting), the
    one chosen, or the one whose area is the dialogue's."""
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan registrera resultat."))
    errors: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Skriv en rubrik för frågan eller resultatet.")
    if meeting is not None and meeting.dialogue_id not in (None, dialogue.pk):
        errors["meeting"] = _("Mötet hör till en annan dialog.")
    if utskott is not None and utskott.kind != BodyKind.DIALOGUE_COMMITTEE:
        errors["utskott"] = _("Välj ett utskott för medborgardialog.")
    if errors:
        raise ResultError(errors)
    item = ResultItem(
        dialogue=dialogue,
        meeting=meeting,
        utskott=utskott or selectors.default_utskott(dialogue, meeting),
        title=title,
        description=(description or "").strip(),
        created_by=user_or_none(actor),
    )
    item.full_clean()
    item.save()
    audit.record(actor=actor, action="result.created", obj=item, changes={"title": title})
    if kind:
        _classify(item, actor=actor, kind=kind, politician=politician)
    return item


def _classify(item: ResultItem, *, actor: Actor, kind: str, politician: Any) -> ResultItem:
    # A party-political item is held (its own step in the table); any other kind stays new.
    step = "hold" if kind == Kind.PARTY_POLITICAL else "classify"

    def apply(item: ResultItem) -> None:
        if kind not in Kind.values:
            raise ResultError({"kind": _("Välj en av typerna.")})
        if kind == Kind.PARTY_POLITICAL:
            if not _is_elected(politician):
                raise ResultError(
                    {"politician": _("Välj den förtroendevalda som ska lyfta frågan politiskt.")}
                )
            item.politician = politician
        else:
            item.politician = None
        item.kind = kind

    def record(move: Move[ResultItem, Step]) -> ResultItem:
        item = move.obj
        audit.record(
            actor=actor,
            action="result.classified",
            obj=item,
            changes={"kind": kind, "status": item.status},
        )
        if kind == Kind.PARTY_POLITICAL:
            notify(template="results.to_raise", context=_context(item), users=[politician])
        return item

    return workflow.PROCESS.take(item, step, apply=apply, record=record)


@transaction.atomic
def item_classify(
    *, item: ResultItem, actor: Actor, kind: str, politician: Any = None
) -> ResultItem:
    """Say which of the three kinds (or a citizen proposal) the item is. A party-political
    item is held until the elected official named on it has raised it (seed 000)."""
    _require_worker(actor, item)
    return _classify(item, actor=actor, kind=kind, politician=politician)


@transaction.atomic
def mark_raised_politically(
    *, item: ResultItem, actor: Actor, raised_how: str, note: str
) -> ResultItem:
    """The elected official records how the question was raised; that closes the item, with
    the note as what the utskott hears (seed 000)."""
    if not can_raise(actor, item):
        raise PermissionDenied(
            _("Bara den förtroendevalda som ska lyfta frågan kan registrera att den är lyft.")
        )

    def apply(item: ResultItem) -> None:
        errors: dict[str, Any] = {}
        if raised_how not in RaisedHow.values:
            errors["raised_how"] = _("Välj hur frågan lyftes.")
        if not (note or "").strip():
            errors["note"] = _("Skriv en anteckning om hur och när frågan lyftes.")
        if errors:
            raise ResultError(errors)
        item.raised_how = raised_how
        item.raised_note = note.strip()
        item.raised_at = timezone.now()

    return workflow.PROCESS.take(
        item, "raise", apply=apply, record=_audited("raise", actor=actor, raised_how=raised_how)
    )


@transaction.atomic
def assign_to_namnd(
    *,
    item: ResultItem,
    actor: Actor,
    body: Body,
    raised_via: str,
    matter_reference: str = "",
) -> ResultItem:
    """Give the item to the nämnd that prepares it: through party colleagues, or by the
    administration to its presidium; a matter already in preparation is linked by its
    diarienummer and continues as usual (seed 000)."""
    _require_worker(actor, item)

    def apply(item: ResultItem) -> None:
        errors: dict[str, Any] = {}
        if body is None or body.kind != BodyKind.COMMITTEE:
            errors["body"] = _("Välj en nämnd.")
        if raised_via not in RaisedVia.values:
            errors["raised_via"] = _("Välj hur frågan lyfts till nämnden.")
        if errors:
            raise ResultError(errors)
        item.body = body
        item.raised_via = raised_via
        item.matter_reference = (matter_reference or "").strip()

    return workflow.PROCESS.take(
        item,
        "assign",
        apply=apply,
        record=_audited(
            "assign", actor=actor, body=body.pk if body else None, raised_via=raised_via
        ),
    )


@transaction.atomic
def timeline_add(
    *,
    item: ResultItem,
    actor: Actor,
    text: str,
    date: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> ResultStep:
    """One dated entry on the timeline; the utskott's current members get an e-mail (seed 000:
    the utskott's members are told the timeline)."""
    _require_worker(actor, item)
    date = date or timezone.localdate()

    def apply(item: ResultItem) -> None:
        errors: dict[str, Any] = {}
        if not (text or "").strip():
            errors["text"] = _("Skriv vad som händer.")
        if due_on is not None and due_on < date:
            errors["due_on"] = _("Klart-datumet kan inte ligga före stegets datum.")
        if errors:
            raise ResultError(errors)

    def record(move: Move[ResultItem, Step]) -> ResultStep:
        item = move.obj
        step = ResultStep(
            item=item, date=date, text=text.strip(), due_on=due_on, created_by=user_or_none(actor)
        )
        step.full_clean()
        step.save()
        audit.record(
            actor=actor,
            action="result.timeline",
            obj=item,
            changes={"date": str(date), "due_on": str(due_on) if due_on else ""},
        )
        if item.utskott is not None:
            members = list(elected_members(body=item.utskott))
            if members:
                notify(
                    template="results.timeline",
                    context=_context(item)
                    | {
                        "date": date.isoformat(),
                        "text": step.text,
                        "due_on": due_on.isoformat() if due_on else "",
                        "body": item.body.name if item.body else "",
                    },
                    users=members,
                )
        return step

    return workflow.PROCESS.take(item, "timeline", apply=apply, record=record)


@transaction.atomic
def forward_to_contact_centre(
    *,
    item: ResultItem,
    actor: Actor,
    category: Category,
    case_kind: str = CaseKind.QUESTION,
) -> ResultItem:
    """A simple question always goes to the contact centre, so it is not lost, is handled
    right and counts in the question/solution statistics (seed 000)."""
    _require_worker(actor, item)

    def apply(item: ResultItem) -> None:
        if case_kind == CaseKind.FAULT or case_kind not in CaseKind.values:
            raise ResultError({"case_kind": _("Välj frågetyp.")})

    def record(move: Move[ResultItem, Step]) -> ResultItem:
        # The case is opened once the table and guards have let the step through.
        item = move.obj
        note = _("Från medborgardialogen ”%(dialogue)s”, resultatpunkt %(pk)s.") % {
            "dialogue": item.dialogue.title,
            "pk": item.pk,
        }
        text = "\n\n".join(part for part in (item.title, item.description, note) if part)
        try:
            item.case = feedback.case_create(
                kind=case_kind,
                category=category,
                description=text,
                source=Source.DIALOGUE,
                actor=actor,
            )
        except ValidationError as error:
            raise ResultError(error.messages) from error
        item.save(update_fields=["case", "updated_at"])
        return _audited("forward", actor=actor, case=item.case.number)(move)

    return workflow.PROCESS.take(item, "forward", apply=apply, record=record)


@transaction.atomic
def register_as_proposal(
    *,
    item: ResultItem,
    actor: Actor,
    topic: Any,
    responsible_politician: Any,
    body: str = "",
    area: Any = None,
) -> ResultItem:
    """A citizen proposal raised at a meeting gets its page through the proposals' own path
    (004 §8), linked to the meeting and to this item."""
    _require_worker(actor, item)

    def record(move: Move[ResultItem, Step]) -> ResultItem:
        # The proposal is registered once the table and guards have let the step through.
        item = move.obj
        item.proposal = proposals.proposal_register_from_meeting(
            actor=actor,
            title=item.title[:140],
            body=(body or item.description or item.title).strip(),
            topic=topic,
            area=area,
            meeting=item.meeting,
            source="" if item.meeting else item.dialogue.title,
            responsible_politician=responsible_politician,
        )
        item.save(update_fields=["proposal", "updated_at"])
        return _audited("proposal", actor=actor, proposal=item.proposal.pk)(move)

    return workflow.PROCESS.take(item, "proposal", record=record)


@transaction.atomic
def utskott_feedback_record(*, item: ResultItem, actor: Actor, text: str) -> ResultItem:
    """The administration tells the utskott how the item was handled (seed 000)."""
    _require_worker(actor, item)

    def apply(item: ResultItem) -> None:
        if not (text or "").strip():
            raise ResultError({"text": _("Skriv återkopplingen till utskottet.")})
        item.utskott_feedback = text.strip()
        item.utskott_feedback_at = timezone.now()
        item.utskott_feedback_by = user_or_none(actor)

    return workflow.PROCESS.take(
        item, "feedback", apply=apply, record=_audited("feedback", actor=actor)
    )


@transaction.atomic
def item_close(*, item: ResultItem, actor: Actor) -> ResultItem:
    _require_worker(actor, item)
    return workflow.PROCESS.take(item, "close", record=_audited("close", actor=actor))


def _context(item: ResultItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "dialogue": item.dialogue.title,
        "item_url": item.get_absolute_url(),
        "utskott": item.utskott.name if item.utskott else "",
    }


# --- Feedback points (004 §9) ------------------------------------------------------------------


def summary_draft(dialogue: Dialogue) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Counts per kind and the list of items, as the summary will publish them: titles and
    kinds only, never a note or a name (the item's id, to follow a correction, is not shown)."""
    items = list(dialogue.result_items.order_by("created_at", "pk"))
    counts = {kind.value: sum(1 for item in items if item.kind == kind) for kind in Kind}
    listed = [
        {
            "id": item.pk,
            "title": item.title,
            "kind": str(Kind(item.kind).label) if item.kind else "",
        }
        for item in items
    ]
    return counts, listed


def summary_text(dialogue: Dialogue) -> str:
    """A first draft for the official to edit."""
    counts, listed = summary_draft(dialogue)
    lines = [_("Under dialogen kom %(count)s frågor och resultat fram:") % {"count": len(listed)}]
    lines += [f"– {Kind(kind).label}: {count}" for kind, count in counts.items()]
    return "\n".join(lines)


def _check_publisher(actor: Actor, dialogue: Dialogue) -> None:
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan publicera återkoppling."))


def _send(point: FeedbackPoint, template: str, context: dict[str, Any]) -> int:
    emails = selectors.registered_emails(point.dialogue)
    notify(
        template=template,
        context=context
        | {
            "dialogue": point.dialogue.title,
            "url": point.dialogue.get_absolute_url(),
            "text": point.text,
        },
        emails=emails,
        followers_of=[point.dialogue],
    )
    return len(emails)


@transaction.atomic
def summary_publish(*, dialogue: Dialogue, actor: Actor, text: str) -> FeedbackPoint:
    """Feedback point 2 (004 §9): at the end of the dialogue a summary of its results is
    published on its page and sent to the participants and followers."""
    _check_publisher(actor, dialogue)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.status not in SUMMARY_STATUSES:
        raise ResultError(
            _(
                "Sammanställningen publiceras när deltagandet är avslutat och resultaten sammanställs."
            )
        )
    if FeedbackPoint.objects.filter(dialogue=dialogue, kind=PointKind.SUMMARY).exists():
        raise ResultError(_("Sammanställningen är redan publicerad."))
    if not (text or "").strip():
        raise ResultError({"text": _("Skriv sammanställningen.")})
    counts, listed = summary_draft(dialogue)
    point = FeedbackPoint(
        dialogue=dialogue,
        kind=PointKind.SUMMARY,
        text=text.strip(),
        counts=counts,
        items=listed,
        published_at=timezone.now(),
        published_by=user_or_none(actor),
    )
    point.full_clean()
    point.save()
    point.recipients = _send(
        point,
        "results.summary",
        {
            "counts": [[label, count] for label, count in point.count_rows()],
            "items": [row["title"] for row in listed],
        },
    )
    point.save(update_fields=["recipients"])
    audit.record(
        actor=actor,
        action="result.summary_published",
        obj=dialogue,
        changes={"recipients": point.recipients, "counts": counts},
    )
    return point


def validate_document(document: UploadedFile) -> None:
    """A PDF by its content (not its name), at most 10 MB."""
    if document.size is not None and document.size > DOCUMENT_MAX_BYTES:
        raise ResultError({"document": _("Dokumentet får vara högst 10 MB.")})
    document.seek(0)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ResultError({"document": _("Dokumentet måste vara en PDF-fil.")})


def _proposal_still_open(dialogue: Dialogue) -> Dialogue:
    """Lock the dialogue and refuse unless point 3 can still be given: the results are being
    compiled, the decision is not recorded, and the point is neither given nor skipped."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.status in DECIDED_STATUSES:
        # DOMAIN §4 (004 §9): the proposal is sent when it goes to the deciding body, so
        # sending it once the decision is made tells the participants nothing they can use.
        raise ResultError(
            _(
                "Beslutet i frågan är redan registrerat (%(date)s). Beslutsförslaget ska "
                "publiceras och skickas till deltagarna innan beslutet fattas, så det går inte "
                "att publicera nu. Återkopplingen om beslutsförslaget visas som missad."
            )
            % {
                "date": dialogue.outcome_decided_on.isoformat()
                if dialogue.outcome_decided_on
                else "–"
            }
        )
    if dialogue.status not in PROPOSAL_STATUSES:
        raise ResultError(
            _(
                "Beslutsförslaget publiceras när deltagandet är avslutat och resultaten sammanställs."
            )
        )
    if FeedbackPoint.objects.filter(dialogue=dialogue, kind=PointKind.DECISION_PROPOSAL).exists():
        raise ResultError(_("Beslutsförslaget är redan publicerat."))
    if PointSkip.objects.filter(dialogue=dialogue, kind=PointKind.DECISION_PROPOSAL).exists():
        raise ResultError(_("Det är redan registrerat att beslutsförslaget inte skickas ut."))
    return dialogue


@transaction.atomic
def decision_proposal_skip(*, dialogue: Dialogue, actor: Actor, reason: str) -> PointSkip:
    """Record why feedback point 3 is not given before the decision (004 §9): with the reason
    recorded, the decision in the matter can be registered, and the point shows as missed."""
    _check_publisher(actor, dialogue)
    dialogue = _proposal_still_open(dialogue)
    reason = (reason or "").strip()
    if not reason:
        raise ResultError({"reason": _("Skriv varför beslutsförslaget inte skickas ut.")})
    skip = PointSkip(
        dialogue=dialogue,
        kind=PointKind.DECISION_PROPOSAL,
        reason=reason,
        recorded_at=timezone.now(),
        recorded_by=user_or_none(actor),
    )
    skip.full_clean()
    skip.save()
    audit.record(
        actor=actor,
        action="result.decision_proposal_skipped",
        obj=dialogue,
        changes={"reason": reason},
    )
    return skip


@transaction.atomic
def decision_proposal_publish(
    *,
    dialogue: Dialogue,
    actor: Actor,
    text: str,
    deciding_body: Body,
    expected_on: datetime.date,
    document: UploadedFile | None = None,
) -> FeedbackPoint:
    """Feedback point 3 (004 §9): when the decision proposal goes to the deciding body it is
    published and sent to the participants and followers."""
    _check_publisher(actor, dialogue)
    dialogue = _proposal_still_open(dialogue)
    errors: dict[str, Any] = {}
    if not (text or "").strip():
        errors["text"] = _("Skriv beslutsförslaget.")
    if deciding_body is None:
        errors["deciding_body"] = _("Välj det organ som beslutar.")
    if expected_on is None:
        errors["expected_on"] = _("Ange när beslutet väntas.")
    if document:
        try:
            validate_document(document)
        except ResultError as error:
            errors.update(error.message_dict)
    if errors:
        raise ResultError(errors)
    point = FeedbackPoint(
        dialogue=dialogue,
        kind=PointKind.DECISION_PROPOSAL,
        text=text.strip(),
        deciding_body=deciding_body,
        expected_on=expected_on,
        published_at=timezone.now(),
        published_by=user_or_none(actor),
    )
    if document:
        point.document.save(document.name or "beslutsforslag.pdf", document, save=False)
    point.full_clean()
    point.save()
    point.recipients = _send(
        point,
        "results.decision_proposal",
        {
            "deciding_body": deciding_body.name,
            "expected_on": expected_on.isoformat(),
            "has_document": bool(point.document),
        },
    )
    point.save(update_fields=["recipients"])
    audit.record(
        actor=actor,
        action="result.decision_proposal_published",
        obj=dialogue,
        changes={"recipients": point.recipients, "deciding_body": deciding_body.pk},
    )
    return point


# --- Corrections (004 §9) ----------------------------------------------------------------------


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ResultError({"reason": _("Skriv vad som ändrades och varför.")})
    return reason


def _summary_published(dialogue: Dialogue) -> FeedbackPoint | None:
    return (
        FeedbackPoint.objects.select_for_update()
        .filter(dialogue_id=dialogue.pk, kind=PointKind.SUMMARY)
        .first()
    )


def _correction_record(
    *,
    actor: Actor,
    dialogue: Dialogue,
    earlier: dict[str, Any],
    later: dict[str, Any],
    reason: str,
    point: FeedbackPoint | None = None,
    item: ResultItem | None = None,
    kind: str = CorrectionKind.CORRECTED,
    is_public: bool = True,
) -> Correction:
    """Keep the earlier version, audit the change and, when it is public, tell the
    participants and followers (outbox, same transaction)."""
    correction = Correction(
        dialogue=dialogue,
        point=point,
        item=item,
        kind=kind,
        reason=reason,
        earlier=earlier,
        later=later,
        is_public=is_public,
        corrected_at=timezone.now(),
        corrected_by=user_or_none(actor),
    )
    correction.full_clean()
    correction.save()
    if is_public:
        emails = selectors.registered_emails(dialogue)
        notify(
            template="results.correction",
            context={
                "dialogue": dialogue.title,
                "url": dialogue.get_absolute_url(),
                "corrected": "point" if point is not None else "item",
                "point_kind": point.kind if point is not None else "",
                "title": item.title if item is not None else "",
                "reclassified": kind == CorrectionKind.RECLASSIFIED,
                "reason": reason,
                "corrected_on": timezone.localdate().isoformat(),
            },
            emails=emails,
            followers_of=[dialogue],
            channels=[Channel.EMAIL, Channel.SMS],
        )
        correction.recipients = len(emails)
        correction.save(update_fields=["recipients"])
    audit.record(
        actor=actor,
        action="result.reclassified" if kind == CorrectionKind.RECLASSIFIED else "result.corrected",
        obj=item if item is not None else dialogue,
        changes={
            "point": point.kind if point is not None else "",
            "earlier": earlier,
            "later": later,
            "reason": reason,
        },
    )
    return correction


def _changed(earlier: dict[str, Any], later: dict[str, Any]) -> None:
    if earlier == later:
        raise ResultError(_("Ingenting är ändrat. Ändra det som ska rättas."))


@transaction.atomic
def summary_correct(*, dialogue: Dialogue, actor: Actor, text: str, reason: str) -> Correction:
    """Correct the published summary: the earlier text is kept, the correction is shown with
    its date and what changed, and the participants and followers are told."""
    _check_publisher(actor, dialogue)
    point = _summary_published(dialogue)
    if point is None:
        raise ResultError(_("Sammanställningen är inte publicerad, så det finns inget att rätta."))
    errors: dict[str, Any] = {}
    if not (text or "").strip():
        errors["text"] = _("Skriv sammanställningen.")
    if not (reason or "").strip():
        errors["reason"] = _("Skriv vad som ändrades och varför.")
    if errors:
        raise ResultError(errors)
    earlier, later = {"text": point.text}, {"text": text.strip()}
    _changed(earlier, later)
    point.text = later["text"]
    point.full_clean()
    point.save(update_fields=["text"])
    return _correction_record(
        actor=actor,
        dialogue=point.dialogue,
        point=point,
        earlier=earlier,
        later=later,
        reason=reason.strip(),
    )


@transaction.atomic
def decision_proposal_correct(
    *,
    dialogue: Dialogue,
    actor: Actor,
    text: str,
    deciding_body: Body,
    expected_on: datetime.date,
    reason: str,
) -> Correction:
    """Correct the published decision proposal (its text, the deciding body, when the decision
    is expected); as for the summary, the earlier version is kept and people are told."""
    _check_publisher(actor, dialogue)
    point = (
        FeedbackPoint.objects.select_for_update()
        .filter(dialogue_id=dialogue.pk, kind=PointKind.DECISION_PROPOSAL)
        .first()
    )
    if point is None:
        raise ResultError(_("Beslutsförslaget är inte publicerat, så det finns inget att rätta."))
    errors: dict[str, Any] = {}
    if not (text or "").strip():
        errors["text"] = _("Skriv beslutsförslaget.")
    if deciding_body is None:
        errors["deciding_body"] = _("Välj det organ som beslutar.")
    if expected_on is None:
        errors["expected_on"] = _("Ange när beslutet väntas.")
    if not (reason or "").strip():
        errors["reason"] = _("Skriv vad som ändrades och varför.")
    if errors:
        raise ResultError(errors)

    def version(point: FeedbackPoint) -> dict[str, Any]:
        return {
            "text": point.text,
            "deciding_body": point.deciding_body.name if point.deciding_body else "",
            "expected_on": point.expected_on.isoformat() if point.expected_on else "",
        }

    earlier = version(point)
    point.text = text.strip()
    point.deciding_body = deciding_body
    point.expected_on = expected_on
    later = version(point)
    _changed(earlier, later)
    point.full_clean()
    point.save(update_fields=["text", "deciding_body", "expected_on"])
    return _correction_record(
        actor=actor,
        dialogue=point.dialogue,
        point=point,
        earlier=earlier,
        later=later,
        reason=reason.strip(),
    )


def _relist(item: ResultItem, earlier: dict[str, Any]) -> bool:
    """Bring the published summary's entry for the item up to date (its counts too). Returns
    whether the item is in a published summary, which makes its correction public."""
    summary = _summary_published(item.dialogue)
    if summary is None:
        return False
    old_label = str(Kind(earlier["kind"]).label) if earlier.get("kind") else ""
    entries = list(summary.items)
    index = next(
        (i for i, row in enumerate(entries) if row.get("id") == item.pk),
        None,
    )
    if index is None:
        # Published before entries carried their item's id: the first with its title and kind.
        index = next(
            (
                i
                for i, row in enumerate(entries)
                if "id" not in row
                and row.get("title") == earlier["title"]
                and row.get("kind") == old_label
            ),
            None,
        )
    if index is None:
        return False  # recorded after the summary was published: it was never listed
    entries[index] = {
        "id": item.pk,
        "title": item.title,
        "kind": str(Kind(item.kind).label) if item.kind else "",
    }
    counts = dict(summary.counts)
    if earlier.get("kind") != item.kind:
        if earlier.get("kind"):
            counts[earlier["kind"]] = max(0, int(counts.get(earlier["kind"], 0)) - 1)
        if item.kind:
            counts[item.kind] = int(counts.get(item.kind, 0)) + 1
    summary.items, summary.counts = entries, counts
    summary.save(update_fields=["items", "counts"])
    return True


@transaction.atomic
def item_correct(
    *, item: ResultItem, actor: Actor, title: str, description: str, reason: str
) -> Correction:
    """Correct a result item's title or description. The earlier version is kept; once the
    item is in the published summary, the summary's list follows, and the correction is shown
    on the dialogue's page and sent to its participants and followers."""
    _require_worker(actor, item)
    earlier: dict[str, Any] = {}

    def apply(item: ResultItem) -> None:
        errors: dict[str, Any] = {}
        if not (title or "").strip():
            errors["title"] = _("Skriv en rubrik för frågan eller resultatet.")
        if not (reason or "").strip():
            errors["reason"] = _("Skriv vad som ändrades och varför.")
        if errors:
            raise ResultError(errors)
        earlier.update(title=item.title, description=item.description, kind=item.kind)
        item.title = title.strip()
        item.description = (description or "").strip()
        _changed(
            {"title": earlier["title"], "description": earlier["description"]},
            {"title": item.title, "description": item.description},
        )

    def record(move: Move[ResultItem, Step]) -> Correction:
        item = move.obj
        published = _relist(item, earlier)
        return _correction_record(
            actor=actor,
            dialogue=item.dialogue,
            item=item,
            earlier={"title": earlier["title"], "description": earlier["description"]},
            later={"title": item.title, "description": item.description},
            reason=reason.strip(),
            is_public=published,
        )

    return workflow.PROCESS.take(item, "correct", apply=apply, record=record)


@transaction.atomic
def item_reclassify(
    *, item: ResultItem, actor: Actor, kind: str, reason: str, politician: Any = None
) -> Correction:
    """Move a result item to another of the kinds, with a reason (seed 000, 004 §9). It is then
    handled the new kind's way: party-political items wait for the elected official again,
    any other kind starts anew. Audited, kept as a correction, and shown once published."""
    _require_worker(actor, item)
    step = "reclassify_hold" if kind == Kind.PARTY_POLITICAL else "reclassify"
    earlier: dict[str, Any] = {}

    def apply(item: ResultItem) -> None:
        if missing := workflow.classified(item):
            raise ResultError(missing)
        errors: dict[str, Any] = {}
        if kind not in Kind.values:
            errors["kind"] = _("Välj en av typerna.")
        elif kind == item.kind:
            errors["kind"] = _("Välj en annan typ än den punkten har nu.")
        if kind == Kind.PARTY_POLITICAL and not _is_elected(politician):
            errors["politician"] = _("Välj den förtroendevalda som ska lyfta frågan politiskt.")
        if not (reason or "").strip():
            errors["reason"] = _("Skriv varför punkten klassificeras om.")
        if errors:
            raise ResultError(errors)
        earlier.update(
            title=item.title,
            kind=item.kind,
            status=item.status,
            politician=item.politician.get_full_name() if item.politician else "",
        )
        item.kind = kind
        item.politician = politician if kind == Kind.PARTY_POLITICAL else None

    def record(move: Move[ResultItem, Step]) -> Correction:
        item = move.obj
        published = _relist(item, earlier)
        if kind == Kind.PARTY_POLITICAL:
            notify(template="results.to_raise", context=_context(item), users=[politician])
        return _correction_record(
            actor=actor,
            dialogue=item.dialogue,
            item=item,
            kind=CorrectionKind.RECLASSIFIED,
            earlier=earlier,
            later={
                "title": item.title,
                "kind": item.kind,
                "status": item.status,
                "politician": item.politician.get_full_name() if item.politician else "",
            },
            reason=reason.strip(),
            is_public=published,
        )

    return workflow.PROCESS.take(item, step, apply=apply, record=record)


# --- Workflow rules (registered in ResultsConfig.ready) ----------------------------------------


def rule_summary_published(dialogue: Dialogue) -> str | None:
    if not FeedbackPoint.objects.filter(dialogue_id=dialogue.pk, kind=PointKind.SUMMARY).exists():
        return str(
            _(
                "Sammanställningen av resultaten ska vara publicerad och skickad till deltagarna "
                "innan återkopplingen ges."
            )
        )
    return None


def rule_decision_proposal_before_decision(dialogue: Dialogue) -> str | None:
    """DOMAIN §4 (004 §9): feedback point 3 is given when the proposal goes to the deciding
    body, so before the decision is registered; or its skipping is recorded with a reason."""
    if selectors.decision_proposal_state(dialogue) in (PointState.GIVEN, PointState.SKIPPED):
        return None
    return str(
        _(
            "Beslutsförslaget ska publiceras och skickas till deltagarna innan beslutet i "
            "frågan registreras. Om det inte går: registrera skälet till att det hoppas över."
        )
    )
