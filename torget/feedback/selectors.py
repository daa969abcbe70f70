"""Reads of synpunkter och felanmälan. Public reads never select the reporter's data."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from torget.accounts.types import Actor, user_or_none
from torget.feedback import replies
from torget.feedback.models import (
    PUBLIC_UPDATES,
    REPORTER_VISIBLE_UPDATES,
    Case,
    CasePhoto,
    CaseStatus,
    CaseUpdate,
    Category,
    CategoryUse,
    Kind,
    ReplyChannel,
    ReplyTemplate,
)
from torget.feedback.permissions import can_handle
from torget.notifications import sms
from torget.organisation.selectors import municipality_get

MAP_LIMIT = 500  # most reports one map request returns (the client zooms in for more)
NEAR_METERS = 150  # "already reported?" looks this far around the pin


def categories_for(use: str) -> QuerySet[Category]:
    return Category.objects.filter(use=use, is_active=True).order_by("group", "order", "name")


def fault_categories() -> QuerySet[Category]:
    return categories_for(CategoryUse.FAULT)


def reply_channel_for(case: Case) -> str:
    """How an answer can reach the reporter now: none once their data is removed, and a call
    to the number they gave when they chose sms but the municipality no longer sends sms
    (an sms queued then would only fail in the outbox)."""
    if case.anonymized_at is not None:
        return ReplyChannel.NONE
    if case.reply_channel == ReplyChannel.SMS and not sms.is_enabled():
        return ReplyChannel.PHONE
    return case.reply_channel


def statuses() -> QuerySet[CaseStatus]:
    return CaseStatus.objects.order_by("order", "name")


def cases_public() -> QuerySet[Case]:
    """Public fault reports, with only what may be shown. Merged duplicates are left out."""
    return (
        Case.objects.filter(is_public=True, kind=Kind.FAULT, merged_into__isnull=True)
        .select_related("category", "status", "area", "administration")
        .only(
            "number",
            "kind",
            "category__name",
            "category__code",
            "lat",
            "lon",
            "address",
            "area__name",
            "area__slug",
            "status__name",
            "status__group",
            "is_open",
            "is_public",
            "public_description",
            "administration__name",
            "created_at",
            "updated_at",
            "closed_at",
            "merged_into_id",
        )
    )


def cases_in_bbox(
    *,
    min_lon: float,
    min_lat: float,
    max_lon: float,
    max_lat: float,
    category: str = "",
    open_only: bool = False,
    limit: int = MAP_LIMIT,
) -> list[dict[str, Any]]:
    """Public fault reports inside the box, newest first, at most `limit` (the caller can
    tell the client to zoom in when exactly `limit` come back). Uses the partial (lat, lon)
    index of public reports."""
    queryset = Case.objects.filter(
        is_public=True,
        merged_into__isnull=True,
        kind=Kind.FAULT,
        lat__gte=min_lat,
        lat__lte=max_lat,
        lon__gte=min_lon,
        lon__lte=max_lon,
    )
    if category:
        queryset = queryset.filter(category__code=category)
    if open_only:
        queryset = queryset.filter(is_open=True)
    rows = queryset.order_by("-created_at").values(
        "number", "lat", "lon", "category__name", "status__name", "is_open", "created_at"
    )[:limit]
    return [dict(row) for row in rows]


def open_cases_near(
    *, category: Category, lat: float, lon: float, meters: int = NEAR_METERS
) -> list[Case]:
    """Open public reports of the same category near the pin ("already reported?")."""
    import math

    dlat = meters / 111_320
    dlon = meters / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return list(
        cases_public()
        .filter(
            category=category,
            is_open=True,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        )
        .order_by("-created_at")[:5]
    )


def public_case(number: str) -> Case:
    return get_object_or_404(cases_public(), number=number)


def public_updates(case: Case) -> QuerySet[CaseUpdate]:
    return case.updates.filter(kind__in=PUBLIC_UPDATES).select_related("status")


def reporter_updates(case: Case) -> QuerySet[CaseUpdate]:
    return case.updates.filter(kind__in=REPORTER_VISIBLE_UPDATES).select_related("status")


def case_by_token(token: str) -> Case:
    """The reporter's own case by its private link; 404 for any other token."""
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(
        Case.objects.select_related("category", "status", "area", "merged_into"), token=token
    )


def access_case(user: Actor, pk: int) -> Case:
    """A case for the staff pages: 404 if it doesn't exist, 403 without the permission."""
    case = get_object_or_404(
        Case.objects.select_related(
            "category", "status", "area", "administration", "unit", "assignee", "merged_into"
        ),
        pk=pk,
    )
    if not can_handle(user, case):
        raise PermissionDenied
    return case


def inbox(
    *,
    status: str = "",
    group: str = "",
    category: str = "",
    area: str = "",
    administration: str = "",
    unit: str = "",
    assignee: Any = None,
    kind: str = "",
    overdue: bool = False,
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """The contact centre's inbox; each filter is a value from the filter form."""
    today = today or timezone.localdate()
    cases = Case.objects.select_related(
        "category", "status", "area", "administration", "unit", "assignee"
    ).filter(merged_into__isnull=True)
    if status:
        cases = cases.filter(status__slug=status)
    if group:
        cases = cases.filter(is_open=group == "open")
    if category:
        cases = cases.filter(category__code=category)
    if area:
        cases = cases.filter(area__slug=area)
    if administration:
        cases = cases.filter(administration__slug=administration)
    if unit:
        cases = cases.filter(unit_id=unit)
    if assignee is not None:
        cases = cases.filter(assignee=assignee)
    if kind:
        cases = cases.filter(kind=kind)
    if overdue:
        cases = cases.filter(overdue_q(today))
    if query:
        query = query.strip()
        cases = cases.filter(
            Q(number__iexact=query) | Q(description__icontains=query) | Q(address__icontains=query)
        )
    return cases.order_by("respond_by", "created_at") if overdue else cases.order_by("-created_at")


def overdue_q(today: datetime.date) -> Q:
    """Open, not yet answered, and past the day it should have been answered by."""
    return Q(is_open=True, first_response_at__isnull=True, respond_by__lt=today)


def is_overdue(case: Case, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return case.is_open and case.first_response_at is None and case.respond_by < today


def staff_updates(case: Case) -> QuerySet[CaseUpdate]:
    return case.updates.select_related("status", "author")


def reply_channel_choices() -> list[tuple[str, str]]:
    """The ways a reporter can ask for an answer: sms only where the municipality sends it."""
    return [
        (value, str(label))
        for value, label in ReplyChannel.choices
        if value != ReplyChannel.SMS or sms.is_enabled()
    ]


def reply_templates_for(case: Case, *, active_only: bool = True) -> QuerySet[ReplyTemplate]:
    """The reply templates that fit this case: its category or every category, its kind or
    every kind."""
    templates = ReplyTemplate.objects.filter(
        Q(category__isnull=True) | Q(category_id=case.category_id),
        Q(kind="") | Q(kind=case.kind),
    )
    if active_only:
        templates = templates.filter(is_active=True)
    return templates.order_by("order", "name", "pk")


def reply_template_values(case: Case, actor: Actor) -> dict[str, str]:
    """What each placeholder of a reply template stands for in this case (replies.py)."""
    reporter = case.reporter
    name = case.reporter_name or (reporter.get_full_name() if reporter else "")
    user = user_or_none(actor)
    handler = (user.get_full_name() or user.email) if user else ""
    return {
        "ärendenummer": case.number,
        "namn": name,
        "enhet": case.unit.name if case.unit else case.administration.name,
        "förvaltning": case.administration.name,
        "kategori": case.category.name,
        "inkom": date_format(timezone.localtime(case.created_at).date(), "j F Y"),
        "handläggare": handler,
        "kommun": municipality_get().name,
    }


def reply_template_text(template: ReplyTemplate, case: Case, actor: Actor) -> str:
    """The template filled in for this case: the text the official starts the reply from."""
    return replies.fill(template.text, reply_template_values(case, actor))


def attribute_answers(case: Case) -> list[tuple[str, Any]]:
    """The answers to the category's extra questions, by the question's text (a question
    removed since is shown by its code)."""
    questions = dict(case.category.attributes.values_list("code", "description"))
    return [
        (
            questions.get(code, code),
            ", ".join(map(str, value)) if isinstance(value, list) else value,
        )
        for code, value in case.attributes.items()
    ]


# --- Photos ------------------------------------------------------------------------------------
# A photo is reached through its case, on the same terms as the case's page, and the key (part
# of the stored file's name, see CasePhoto.key) must match: an old address after a redaction
# answers 404.


def _photo(photos: QuerySet[CasePhoto], pk: int, key: str) -> CasePhoto:
    photo = get_object_or_404(photos.select_related("case"), pk=pk)
    if not key or photo.key != key:
        raise Http404
    return photo


def public_photo(number: str, pk: int, key: str) -> CasePhoto:
    """A photo shown with a public fault report. 404 for a photo staff hid, for a report that
    is not public (opinions never are) and for a merged duplicate."""
    return _photo(
        CasePhoto.objects.filter(
            is_public=True, case__in=cases_public().filter(number=number).values("pk")
        ),
        pk,
        key,
    )


def reporter_photo(token: str, pk: int, key: str) -> CasePhoto:
    """Any photo of the reporter's own case, hidden ones too, by the case's private link."""
    case = case_by_token(token)
    return _photo(CasePhoto.objects.filter(case=case), pk, key)


def access_case_photo(user: Actor, case_pk: int, pk: int, key: str) -> CasePhoto:
    """Any photo of a case, for staff who may handle it (404/403 as access_case)."""
    case = access_case(user, case_pk)
    return _photo(CasePhoto.objects.filter(case=case), pk, key)
