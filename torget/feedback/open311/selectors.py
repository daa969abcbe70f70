"""Reads for the Open311 API: public fault reports and the fault categories as services."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from torget.feedback.models import (
    Case,
    CasePhoto,
    CaseUpdate,
    Category,
    CategoryAttribute,
    UpdateKind,
)
from torget.feedback.open311.parsing import Search
from torget.feedback.selectors import cases_public, fault_categories

MAX_RESULTS = 1000  # GeoReport v2: GET requests answers at most this many

REQUEST_FIELDS = (
    "number",
    "kind",
    "category__name",
    "category__code",
    "lat",
    "lon",
    "address",
    "status__name",
    "status__group",
    "is_open",
    "is_public",
    "public_description",
    "administration__name",
    "media_url",
    "created_at",
    "updated_at",
    "respond_by",
    "first_response_at",
    "merged_into_id",
)


def services() -> QuerySet[Category]:
    """Active fault categories, each marked whether it has extra questions (metadata)."""
    return fault_categories().annotate(
        has_attributes=Exists(CategoryAttribute.objects.filter(category=OuterRef("pk")))
    )


def service(code: str) -> Category | None:
    return fault_categories().filter(code=code).first()


def requests_public() -> QuerySet[Case]:
    """Public fault reports with what the API shows of them, in one query: the municipality's
    latest public reply and the first public photo come along as subqueries."""
    latest_reply = (
        CaseUpdate.objects.filter(case=OuterRef("pk"), kind=UpdateKind.PUBLIC_REPLY)
        .order_by("-created_at", "-id")
        .values("text")[:1]
    )
    first_photo = CasePhoto.objects.filter(case=OuterRef("pk"), is_public=True).order_by("id")
    return (
        cases_public()
        .select_related(None)
        .select_related("category", "status", "administration")
        .only(*REQUEST_FIELDS)
        .annotate(
            latest_public_reply=Subquery(latest_reply),
            # The photo's address is built from its number and file name (CasePhoto.key).
            first_public_photo=Subquery(first_photo.values("image")[:1]),
            first_public_photo_pk=Subquery(first_photo.values("pk")[:1]),
        )
    )


def requests_search(search: Search, *, limit: int | None = None) -> list[Case]:
    """Newest first, at most MAX_RESULTS. A list of numbers overrides every other filter."""
    limit = MAX_RESULTS if limit is None else limit
    cases = requests_public()
    if search.numbers:
        cases = cases.filter(number__in=search.numbers[:limit])
    else:
        cases = cases.filter(created_at__gte=search.start, created_at__lte=search.end)
        if search.service_codes:
            cases = cases.filter(category__code__in=search.service_codes)
        if search.open is not None:
            cases = cases.filter(is_open=search.open)
    return list(cases.order_by("-created_at", "-id")[:limit])


def request_public(number: str) -> Case | None:
    return requests_public().filter(number=number).first()


def case_number_for_token(token: str) -> str | None:
    """The number of the case an integration was given this token for."""
    if not token or len(token) > 64:
        return None
    return Case.objects.filter(api_token=token).values_list("number", flat=True).first()
