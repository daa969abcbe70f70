"""Paging and ordering of the API's lists.

The big lists (proposals, fault reports, dialogues, budget ideas: up to hundreds of thousands
of rows) page by keyset ("seek"): the cursor holds the last row's values of the ordering
columns, the id last as a tie-breaker, and the next page starts after it with a WHERE, never
an OFFSET, and nothing counts the rows. Any page costs what the first does. The small lists
(meetings, councils, areas …) page by number with a count, which is cheap for them.

Ordering (`?ordering=field` or `?ordering=-field`) takes the fields each list allows; an
unknown one is a 400. Empty values sort last in both directions.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

Ordering = list[tuple[str, bool]]  # (field, descending), the id last


def default_page_size(view: Any) -> int:
    """API_PAGE_SIZE, or less where the endpoint's rows are large (its own `page_size`)."""
    endpoint = getattr(view, "endpoint", None)
    own = getattr(endpoint, "page_size", None)
    return min(own or settings.API_PAGE_SIZE, int(settings.API_PAGE_SIZE))


def page_size(request: Request, view: Any = None) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default_page_size(view)
    try:
        size = int(str(raw))
    except ValueError:
        raise ValidationError({"page_size": "Ange ett heltal."}) from None
    if not 1 <= size <= settings.API_MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": f"Ange ett heltal från 1 till {settings.API_MAX_PAGE_SIZE}."}
        )
    return size


def parse_ordering(raw: str | None, allowed: Sequence[str], default: str) -> Ordering:
    """`?ordering=` against the list's allow-list; the id breaks ties in the same direction."""
    value = (raw or "").strip() or default
    field = value.lstrip("-")
    if field not in allowed:
        choices = ", ".join(f"{name}, -{name}" for name in allowed)
        raise ValidationError({"ordering": f"Okänd sortering {value!r}. Välj bland: {choices}."})
    descending = value.startswith("-")
    ordering = [(field, descending)]
    if field != "id":
        ordering.append(("id", descending))
    return ordering


def order_by(queryset: QuerySet[Any], ordering: Ordering) -> QuerySet[Any]:
    """Empty values last in both directions; a column that is never empty is ordered plainly,
    so that PostgreSQL walks its plain index (forwards or backwards) instead of sorting."""
    model = queryset.model
    return queryset.order_by(
        *(
            F(_column(field)).desc(nulls_last=_nullable(model, field) or None)
            if descending
            else F(_column(field)).asc(nulls_last=_nullable(model, field) or None)
            for field, descending in ordering
        )
    )


def _nullable(model: Any, field: str) -> bool:
    return field != "id" and bool(model._meta.get_field(field).null)


def _column(field: str) -> str:
    return "pk" if field == "id" else field


class KeysetPagination(BasePagination):
    """Seek paging: `?cursor=` (opaque, from `next`) and `?page_size=`."""

    cursor_query_param = "cursor"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.ordering: Ordering = view.ordering(request)
        size = page_size(request, view)
        queryset = order_by(queryset, self.ordering)
        raw = request.query_params.get(self.cursor_query_param)
        segments = [Q()] if not raw else self._after(queryset.model, self._decode(raw))
        # Each segment is one contiguous stretch of the ordering, so the page is the segments'
        # rows one after the other, each read as a range of the list's index; the related rows
        # are fetched once for the page, not once per stretch.
        lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        plain = queryset.prefetch_related(None)
        rows: list[Any] = []
        for segment in segments:
            rows += list(plain.filter(segment)[: size + 1 - len(rows)])
            if len(rows) > size:
                break
        rows = rows[: size + 1]
        if lookups:
            prefetch_related_objects(rows[:size], *lookups)
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.last = rows[-1] if rows else None
        return rows

    def _decode(self, raw: str) -> list[Any]:
        try:
            padded = raw + "=" * (-len(raw) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error):
            values = None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise ValidationError({"cursor": "Ogiltig markör: använd adressen i `next`."})
        return values

    def _after(self, model: Any, values: list[Any]) -> list[Q]:
        """The rows after the cursor's row, as stretches of the ordering (nulls last).

        Not one OR of conditions, which PostgreSQL can only filter row by row from the top
        of the list (a deep cursor would walk every row before it), but one condition per
        stretch, each an index range: the ties on the ordering column after the cursor's
        id, then the rows below (or above) its value, then the empty values.
        """
        typed = []
        for (field, _descending), value in zip(self.ordering, values, strict=True):
            model_field = model._meta.pk if field == "id" else model._meta.get_field(field)
            try:
                typed.append(None if value is None else model_field.to_python(value))
            except (DjangoValidationError, TypeError, ValueError):
                raise ValidationError({"cursor": "Ogiltig markör."}) from None
            if typed[-1] is None and field == "id":
                raise ValidationError({"cursor": "Ogiltig markör."})
        *sort_fields, (_id, descending) = self.ordering
        *sort_values, last_id = typed
        beyond = "lt" if descending else "gt"
        after_id = Q(**{f"pk__{beyond}": last_id})
        if not sort_fields:
            return [after_id]
        (field, field_descending), value = sort_fields[0], sort_values[0]
        column = _column(field)
        if value is None:
            # nothing sorts after an empty value but other empty values
            return [Q(**{f"{column}__isnull": True}) & after_id]
        past = "lt" if field_descending else "gt"
        return [
            Q(**{column: value}) & after_id,
            Q(**{f"{column}__{past}": value}),
            Q(**{f"{column}__isnull": True}),
        ]

    def _encode(self, row: Any) -> str:
        values = [
            _plain(row.pk if field == "id" else getattr(row, field)) for field, _ in self.ordering
        ]
        raw = json.dumps(values, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def next_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(self.last))

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Nästa sida; null på sista sidan.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Markören för nästa sida (från `next`).",
                "schema": {"type": "string"},
            },
            _page_size_parameter(view),
        ]


class NumberedPagination(PageNumberPagination):
    """Page numbers (`?page=`) and `?page_size=`, for the small lists."""

    page_query_param = "page"

    def get_page_size(self, request: Request) -> int:
        return page_size(request, getattr(self, "view", None))

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        self.view = view
        if view is not None and hasattr(view, "ordering"):
            queryset = order_by(queryset, view.ordering(request))
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Sidnummer (från 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            _page_size_parameter(view),
        ]

    def get_paginated_response(self, data: Any) -> Response:
        # previous/next as in REST framework, without the host's port noise
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_previous_link(self) -> str | None:
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)


def _page_size_parameter(view: Any) -> dict[str, Any]:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": (
            f"Rader per sida (standard {default_page_size(view)}, "
            f"högst {settings.API_MAX_PAGE_SIZE})."
        ),
        "schema": {"type": "integer", "minimum": 1},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value
