"""The public read API's views: one read-only viewset per dataset (built from the registry),
the areas as GeoJSON, the OpenAPI document and the documentation page.

Every answer is JSON, anonymous and read-only (a write is a 405). Each carries an ETag (a
hash of the body) and, where the rows say when they changed, Last-Modified; a conditional GET
that matches gets a 304. Requests are limited per client address (429 with Retry-After).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from torget.api import serializers
from torget.api.pagination import KeysetPagination, NumberedPagination, parse_ordering
from torget.api.registry import ENDPOINTS, Endpoint
from torget.core.ratelimit import client_ip


class ApiRateThrottle(SimpleRateThrottle):
    """API_RATE_PER_MINUTE requests a minute from one client address (found the way the rest
    of Torget finds it, behind the trusted proxies), read when each request comes."""

    scope = "api"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        ident = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


ERRORS = {
    400: OpenApiResponse(description="Ogiltigt värde i en parameter (svaret säger vilket)."),
    404: OpenApiResponse(description="Finns inte (eller är inte publikt)."),
    429: OpenApiResponse(description="För många frågor; försök igen efter Retry-After sekunder."),
}
NOT_MODIFIED = {
    304: OpenApiResponse(description="Oförändrat sedan If-None-Match/If-Modified-Since.")
}


class PublicApiMixin:
    """JSON only, anonymous, throttled per IP, with ETag / Last-Modified / 304."""

    renderer_classes = [JSONRenderer]
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiRateThrottle]
    last_modified: datetime.datetime | None = None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        response["ETag"] = etag
        last_modified = self.last_modified.timestamp() if self.last_modified else None
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return get_conditional_response(
            request,
            etag=etag,
            last_modified=int(last_modified) if last_modified else None,
            response=response,
        )


class DatasetViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    endpoint: Endpoint
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[Any]:
        return self.endpoint.dataset.rows()

    def ordering(self, request: Request) -> list[tuple[str, bool]]:
        return parse_ordering(
            request.query_params.get("ordering"),
            self.endpoint.orderings,
            self.endpoint.default_ordering,
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Check the ordering before anything is read: a bad one is a 400 on any page.
        self.ordering(request)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = [*(page or [])]
        self.last_modified = self._latest(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        self.last_modified = self._latest([row])
        return Response(self.get_serializer(row).data)

    def _latest(self, rows: Sequence[Any]) -> datetime.datetime | None:
        field = self.endpoint.dataset.modified_field
        if not field:
            return None
        stamps = [getattr(row, field) for row in rows]
        stamps = [stamp for stamp in stamps if isinstance(stamp, datetime.datetime)]
        return max(stamps) if stamps else None


def _ordering_parameter(endpoint: Endpoint) -> OpenApiParameter:
    return OpenApiParameter(
        "ordering",
        str,
        description=f"Sortering (standard {endpoint.default_ordering}); '-' före fältet för "
        "fallande ordning.",
        enum=[f"{sign}{field}" for field in endpoint.orderings for sign in ("", "-")],
    )


def viewset_for(endpoint: Endpoint) -> type[DatasetViewSet]:
    """The viewset of one dataset, with its schema (Swedish summaries) for drf-spectacular."""
    dataset = endpoint.dataset
    attrs = {
        "endpoint": endpoint,
        "serializer_class": dataset.serializer,
        "filterset_class": endpoint.filterset,
        "pagination_class": KeysetPagination if endpoint.keyset else NumberedPagination,
        "lookup_field": endpoint.lookup_field,
        "lookup_value_regex": endpoint.lookup_regex,
        "__doc__": str(dataset.description),
    }
    name = "".join(part.capitalize() for part in dataset.slug.split("-")) + "ViewSet"
    viewset = type(name, (DatasetViewSet,), attrs)

    # Functions of this class's own: extend_schema marks the function it is given, and the
    # inherited ones are shared by every dataset.
    def list_rows(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return DatasetViewSet.list(self, request, *args, **kwargs)

    def retrieve_row(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return DatasetViewSet.retrieve(self, request, *args, **kwargs)

    tag = str(dataset.title)
    lookup = "Ärendenumret" if endpoint.lookup_field == "number" else "Id"
    return extend_schema(tags=[tag])(
        type(
            name,
            (viewset,),
            {
                "list": extend_schema(
                    summary=f"{dataset.title}: lista",
                    description=str(dataset.description),
                    parameters=[_ordering_parameter(endpoint)],
                    responses={200: dataset.serializer(many=True), **NOT_MODIFIED, **ERRORS},
                )(list_rows),
                "retrieve": extend_schema(
                    summary=f"{dataset.title}: en",
                    description=f"En rad ur {dataset.title} ({lookup.lower()} i adressen).",
                    parameters=[
                        OpenApiParameter(
                            endpoint.lookup_field,
                            str if endpoint.lookup_field == "number" else int,
                            location=OpenApiParameter.PATH,
                            description=lookup,
                            pattern=f"^{endpoint.lookup_regex}$",
                        )
                    ],
                    responses={200: dataset.serializer, **NOT_MODIFIED, **ERRORS},
                )(retrieve_row),
            },
        )
    )


# --- Areas as GeoJSON ---------------------------------------------------------------------------

FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string"},
                    "geometry": {"type": "object", "additionalProperties": True},
                    "properties": {"type": "object", "additionalProperties": True},
                },
            },
        },
    },
}


class AreaGeoJsonView(PublicApiMixin, APIView):
    @extend_schema(
        tags=["Områden"],
        summary="Områden: GeoJSON",
        description="Alla områden med gränser som en GeoJSON FeatureCollection (RFC 7946, WGS 84).",
        responses={
            (200, "application/geo+json"): OpenApiResponse(FEATURE_COLLECTION),
            **NOT_MODIFIED,
            429: ERRORS[429],
        },
    )
    def get(self, request: Request) -> Response:
        rows = ENDPOINTS["omraden"].dataset.rows().order_by("name", "pk")
        return Response(
            {"type": "FeatureCollection", "features": [serializers.area_feature(a) for a in rows]},
            content_type="application/geo+json",
        )


class IndexView(PublicApiMixin, APIView):
    @extend_schema(
        tags=["API"],
        summary="Datamängderna",
        description="Varje datamängd i API:t med sin adress.",
        responses={
            200: OpenApiResponse(
                {
                    "type": "object",
                    "properties": {
                        "datasets": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slug": {"type": "string"},
                                    "title": {"type": "string"},
                                    "description": {"type": "string"},
                                    "url": {"type": "string"},
                                },
                            },
                        },
                        "schema": {"type": "string"},
                        "docs": {"type": "string"},
                    },
                }
            ),
            **NOT_MODIFIED,
            429: ERRORS[429],
        },
    )
    def get(self, request: Request) -> Response:
        from django.urls import reverse

        return Response(
            {
                "datasets": [
                    {
                        "slug": slug,
                        "title": str(endpoint.dataset.title),
                        "description": str(endpoint.dataset.description),
                        "url": reverse(f"api:{slug}-list"),
                    }
                    for slug, endpoint in sorted(ENDPOINTS.items())
                ],
                "schema": reverse("api:schema"),
                "docs": reverse("api:docs"),
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document of /api/v1/ (YAML by default, JSON with ?format=json)."""

    throttle_classes = [ApiRateThrottle]
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


@functools.cache
def _schema(language: str) -> dict[str, Any]:
    with translation.override(language):
        return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


def schema() -> dict[str, Any]:
    """The OpenAPI document as a dict, in the active language (built once per process and
    language: the code does not change, and the first visitor's language is not the next's)."""
    return _schema(translation.get_language() or settings.LANGUAGE_CODE)


def docs(request: HttpRequest) -> HttpResponse:
    """/api/docs/: the API's documentation, built from the OpenAPI document, as a page of our
    own (no outside scripts: it works without JavaScript and passes axe)."""
    document = schema()
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "type": _type(parameter.get("schema", {})),
                    "description": parameter.get("description", ""),
                    "required": parameter.get("required", False),
                }
                for parameter in operation.get("parameters", [])
            ]
            operations.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": parameters,
                    "example": _example(path),
                }
            )
    return render(
        request,
        "api/docs.html",
        {
            "info": document.get("info", {}),
            "operations": operations,
            "page_size": settings.API_PAGE_SIZE,
            "max_page_size": settings.API_MAX_PAGE_SIZE,
            "rate": settings.API_RATE_PER_MINUTE,
        },
    )


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return ", ".join(str(value) for value in schema["enum"] if value not in ("", None))
    kind = schema.get("type", "")
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def _example(path: str) -> str:
    """A list's example query (a link on the page); "" for an address with a placeholder."""
    for slug, endpoint in ENDPOINTS.items():
        if path == f"/api/v1/{slug}/":
            return path + endpoint.example
    return "" if "{" in path else path
