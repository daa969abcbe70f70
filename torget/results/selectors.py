"""Reads of the results part. Public reads go through `published_points()` only: nothing of an
item (a party-political note, a name) is public except what the published summary holds."""

import datetime
import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from torget.accounts.types import Actor
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.feedback.models import CaseUpdate, UpdateKind
from torget.organisation.models import Body, BodyKind
from torget.results.models import (
    Correction,
    FeedbackPoint,
    ItemStatus,
    PointKind,
    PointSkip,
    ResultItem,
    ResultStep,
)
from torget.results.permissions import can_see_utskott, can_view_item


def items_of(dialogue: Dialogue) -> QuerySet[ResultItem]:
    return dialogue.result_items.select_related(
        "meeting", "utskott", "body", "politician", "case__status", "proposal"
    ).order_by("created_at", "pk")


def items_of_utskott(body: Body) -> QuerySet[ResultItem]:
    return (
        ResultItem.objects.filter(utskott=body)
        .select_related("dialogue", "meeting", "body", "case__status", "proposal")
        .prefetch_related("steps")
        .order_by("-created_at", "-pk")
    )


def access_item(user: Actor, pk: int) -> ResultItem:
    item = get_object_or_404(
        ResultItem.objects.select_related(
            "dialogue",
            "meeting",
            "utskott",
            "body",
            "politician",
            "case__status",
            "proposal",
            "utskott_feedback_by",
        ),
        pk=pk,
    )
    if not can_view_item(user, item):
        raise PermissionDenied
    return item


def access_utskott(user: Actor, slug: str) -> Body:
    body = get_object_or_404(Body, slug=slug, kind=BodyKind.DIALOGUE_COMMITTEE)
    if not can_see_utskott(user, body):
        raise PermissionDenied
    return body


def default_utskott(dialogue: Dialogue, meeting: Any = None) -> Body | None:
    """The meeting's utskott for an utskott meeting, else the utskott whose area is one of the
    dialogue's areas or contains one of them (seed 000: each utskott has its area)."""
    if meeting is not None and meeting.body_id and meeting.body.kind == BodyKind.DIALOGUE_COMMITTEE:
        return meeting.body
    area_ids: list[int] = []
    for first in dialogue.areas.all():
        area: Any = first
        while area is not None and area.pk not in area_ids:
            area_ids.append(area.pk)
            area = area.parent
    candidates = list(
        Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE, is_active=True, area_id__in=area_ids)
    )
    # The most local one: the first area (dialogue's own) wins over the ones containing it.
    candidates.sort(key=lambda body: area_ids.index(body.area_id))  # type: ignore[arg-type]
    return candidates[0] if candidates else None


def timeline(item: ResultItem, today: datetime.date) -> list[dict[str, Any]]:
    """The item's entries, each with its overdue flag: a due date passed while the item is
    still under preparation."""
    steps: list[ResultStep] = list(item.steps.select_related("created_by"))
    for step in steps:
        step.item = item  # already loaded; spares a query per step
    return [{"step": step, "overdue": step.is_overdue(today)} for step in steps]


def is_overdue(item: ResultItem, today: datetime.date) -> bool:
    return item.status == ItemStatus.PREPARING and any(
        step.due_on and step.due_on < today for step in item.steps.all()
    )


def case_reply(item: ResultItem) -> CaseUpdate | None:
    """The contact centre's latest answer on the item's case, if any."""
    if item.case_id is None:
        return None
    return (
        CaseUpdate.objects.filter(
            case_id=item.case_id, kind__in=[UpdateKind.PUBLIC_REPLY, UpdateKind.REPLY]
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def published_points(dialogue: Dialogue) -> dict[str, FeedbackPoint]:
    return {
        point.kind: point
        for point in FeedbackPoint.objects.filter(dialogue=dialogue).select_related("deciding_body")
    }


def access_point_document(user: Actor, pk: int) -> tuple[FeedbackPoint, bool]:
    """A feedback point's document and whether it is public: with the dialogue's public page;
    for those who work with the dialogue while it is not public; 404 for everyone else."""
    point = get_object_or_404(FeedbackPoint.objects.select_related("dialogue"), pk=pk)
    if not point.document:
        raise Http404
    if point.dialogue.is_public:
        return point, True
    if dialogue_selectors.can_work_with(user, point.dialogue):
        return point, False
    raise Http404


def registered_emails(dialogue: Dialogue) -> list[str]:
    """Distinct e-mail addresses of the active registrations to the dialogue's meetings."""
    from torget.meetings.selectors import registered_emails as from_meetings

    return list(from_meetings(dialogue))


class PointState(enum.StrEnum):
    """Where a feedback point stands on the dialogue's checklist."""

    GIVEN = "given"  # published and sent
    SKIPPED = "skipped"  # not given, with the reason recorded before the decision
    MISSED = "missed"  # the decision was registered without it or a reason
    DUE = "due"  # may be given now
    LATER = "later"  # not yet: the results are not being compiled


def decision_proposal_state(dialogue: Dialogue) -> PointState:
    """Feedback point 3 (004 §9), which comes before the decision in the matter."""
    from torget.dialogues.models import Status

    kind = PointKind.DECISION_PROPOSAL
    if FeedbackPoint.objects.filter(dialogue_id=dialogue.pk, kind=kind).exists():
        return PointState.GIVEN
    if PointSkip.objects.filter(dialogue_id=dialogue.pk, kind=kind).exists():
        return PointState.SKIPPED
    if dialogue.status == Status.COMPILING:
        return PointState.DUE
    if dialogue.status in (
        Status.DECISION_MADE,
        Status.FEEDBACK_GIVEN,
        Status.EVALUATED,
        Status.CLOSED,
    ):
        return PointState.MISSED
    return PointState.LATER


def skipped_points(dialogue: Dialogue) -> dict[str, PointSkip]:
    return {
        skip.kind: skip
        for skip in PointSkip.objects.filter(dialogue=dialogue).select_related("recorded_by")
    }


def corrections_of(dialogue: Dialogue, *, public: bool) -> QuerySet[Correction]:
    """The dialogue's corrections, oldest first; the public ones only for the public page."""
    corrections = Correction.objects.filter(dialogue=dialogue).select_related(
        "point", "item", "corrected_by"
    )
    return corrections.filter(is_public=True) if public else corrections


def corrections_of_item(item: ResultItem) -> QuerySet[Correction]:
    return item.corrections.select_related("corrected_by").order_by("corrected_at", "pk")
