"""The public read API on the demo: every dataset lists, details, filters, orders and pages;
conditional GETs, writes, the rate limit, CORS and the query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from torget.api.registry import ENDPOINTS

pytestmark = pytest.mark.django_db

SLUGS = sorted(ENDPOINTS)
KEYSET = sorted(slug for slug, endpoint in ENDPOINTS.items() if endpoint.keyset)


def _get(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    return response


def _walk(client: Client, url: str) -> list[dict[str, Any]]:
    """Every row of a list, page after page, by following `next`."""
    rows: list[dict[str, Any]] = []
    for _page in range(1000):
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body.get("next"):
            return rows
        url = body["next"]
    raise AssertionError("the pages never end")


@pytest.fixture
def client() -> Client:
    return Client()


class TestEveryDataset:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_list_and_detail(self, demo, client, slug):
        response = client.get(f"/api/v1/{slug}/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        rows = response.json()["results"]
        assert rows, f"the demo has no public {slug}"
        first = rows[0]
        detail = client.get(f"/api/v1/{slug}/{first['id']}/")
        assert detail.status_code == 200
        assert detail.json() == first

    @pytest.mark.parametrize("slug", SLUGS)
    def test_missing_row_is_404(self, demo, client, slug):
        assert client.get(f"/api/v1/{slug}/999999999/").status_code == 404

    @pytest.mark.parametrize("slug", SLUGS)
    def test_every_ordering_is_accepted_and_an_unknown_one_is_400(self, demo, client, slug):
        for field in ENDPOINTS[slug].orderings:
            for value in (field, f"-{field}"):
                assert client.get(f"/api/v1/{slug}/?ordering={value}").status_code == 200
        response = client.get(f"/api/v1/{slug}/?ordering=-email")
        assert response.status_code == 400
        assert "ordering" in response.json()

    @pytest.mark.parametrize("slug", SLUGS)
    def test_paging_walks_every_row_once(self, demo, client, slug):
        everything = client.get(f"/api/v1/{slug}/?page_size=500").json()["results"]
        walked = _walk(client, f"/api/v1/{slug}/?page_size=2")
        assert [row["id"] for row in walked] == [row["id"] for row in everything]

    @pytest.mark.parametrize("slug", SLUGS)
    def test_bad_page_size_is_400(self, demo, client, slug):
        for value in ("0", "-1", "abc", "501"):
            assert client.get(f"/api/v1/{slug}/?page_size={value}").status_code == 400

    @pytest.mark.parametrize("slug", SLUGS)
    def test_list_takes_at_most_ten_queries_whatever_the_page_size(self, demo, client, slug):
        counts = []
        for size in (1, 500):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/{slug}/?page_size={size}").status_code == 200
            counts.append(len(queries))
        assert max(counts) <= 10, counts
        assert counts[0] == counts[1], f"{slug}: {counts} queries for 1 and 500 rows"

    @pytest.mark.parametrize("slug", SLUGS)
    def test_list_query_budget(self, demo, client, slug, django_assert_max_num_queries):
        with django_assert_max_num_queries(10):
            client.get(f"/api/v1/{slug}/?page_size=500")


class TestKeysetPaging:
    @pytest.mark.parametrize("slug", KEYSET)
    def test_no_count_and_no_offset(self, demo, client, slug):
        first = client.get(f"/api/v1/{slug}/?page_size=1").json()
        assert "count" not in first
        with CaptureQueriesContext(connection) as queries:
            client.get(first["next"])
        sql = " ".join(query["sql"].upper() for query in queries)
        assert "COUNT(" not in sql
        assert "OFFSET" not in sql

    @pytest.mark.parametrize("slug", KEYSET)
    def test_a_cursor_page_keeps_the_query_budget_whatever_the_page_size(self, demo, client, slug):
        # A page after a cursor reads up to three stretches of the ordering (ties, the rest,
        # the empty values) and their related rows once: within the list's budget, for 1 row
        # or for 500 (which reaches the empty values at the end of the demo's lists).
        first = client.get(f"/api/v1/{slug}/?page_size=1").json()
        cursor = first["next"].split("cursor=")[1].split("&")[0]
        for size in (1, 500):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/{slug}/?page_size={size}&cursor={cursor}")
            assert response.status_code == 200
            assert len(queries) <= 10, f"{slug}: {len(queries)} queries for {size} rows"

    @pytest.mark.parametrize("slug", KEYSET)
    def test_every_ordering_pages_without_gaps(self, demo, client, slug):
        for field in ENDPOINTS[slug].orderings:
            for value in (field, f"-{field}"):
                all_rows = client.get(f"/api/v1/{slug}/?ordering={value}&page_size=500")
                walked = _walk(client, f"/api/v1/{slug}/?ordering={value}&page_size=1")
                expected = [row["id"] for row in all_rows.json()["results"]]
                assert [row["id"] for row in walked] == expected, value

    @pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4IiwieSJd", "WzEsMiwzXQ", "%00"])
    def test_a_bad_cursor_is_400(self, demo, client, cursor):
        assert client.get(f"/api/v1/forslag/?cursor={cursor}").status_code == 400


# For each dataset, a filter and the field of a row that it filters on.
FILTER_ON = {
    "besiktningar": ("year", "year"),
    "dialoger": ("status", "status"),
    "felanmalningar": ("status", "status_group"),
    "forslag": ("status", "status"),
    "medborgarbudget": ("phase", "phase"),
    "medborgarbudget-projekt": ("round", "round"),
    "moten": ("status", "status"),
    "omraden": ("kind", "kind"),
    "rad": ("kind", "kind"),
    "resultat": ("kind", "kind"),
}


class TestFilters:
    def test_every_dataset_has_a_filter_case(self):
        assert sorted(FILTER_ON) == SLUGS

    @pytest.mark.parametrize("slug", SLUGS)
    def test_a_filter_keeps_the_rows_that_match(self, demo, client, slug):
        name, field = FILTER_ON[slug]
        rows = client.get(f"/api/v1/{slug}/?page_size=500").json()["results"]
        for row in rows[:3]:
            value = row[field]
            url = f"/api/v1/{slug}/?{name}={value}&page_size=500"
            filtered = client.get(url).json()["results"]
            assert row["id"] in [other["id"] for other in filtered]
            assert all(other[field] == value for other in filtered)

    def test_dialogues_by_status(self, demo, client):
        rows = client.get("/api/v1/dialoger/?page_size=500").json()["results"]
        status = rows[0]["status"]
        filtered = client.get(f"/api/v1/dialoger/?status={status}&page_size=500").json()
        assert filtered["results"]
        assert {row["status"] for row in filtered["results"]} == {status}

    def test_proposals_by_area_include_the_areas_inside_it(self, demo, client):
        from torget.geo.models import Area
        from torget.geo.selectors import areas_within

        rows = client.get("/api/v1/forslag/?page_size=500").json()["results"]
        with_area = [row for row in rows if row["area"]]
        assert with_area
        area = Area.objects.get(slug=with_area[0]["area"]["slug"])
        top = area
        while top.parent_id:
            top = top.parent  # type: ignore[assignment]
        inside = {a.slug for a in Area.objects.filter(pk__in=areas_within([top.pk]))}
        filtered = client.get(f"/api/v1/forslag/?area={top.slug}&page_size=500").json()
        assert with_area[0]["id"] in [row["id"] for row in filtered["results"]]
        assert all(row["area"]["slug"] in inside for row in filtered["results"])

    def test_proposals_by_topic_and_status(self, demo, client):
        rows = client.get("/api/v1/forslag/?page_size=500").json()["results"]
        row = next(row for row in rows if row["topic"])
        url = f"/api/v1/forslag/?topic={row['topic']['slug']}&status={row['status']}"
        filtered = client.get(url).json()["results"]
        assert row["id"] in [r["id"] for r in filtered]
        assert all(r["status"] == row["status"] for r in filtered)

    def test_meetings_by_date(self, demo, client):
        rows = client.get("/api/v1/moten/?ordering=starts_at&page_size=500").json()["results"]
        day = rows[-1]["starts_at"][:10]
        later = client.get(f"/api/v1/moten/?starts_after={day}&page_size=500").json()["results"]
        assert later
        assert all(row["starts_at"][:10] >= day for row in later)

    def test_fault_reports_open(self, demo, client):
        rows = client.get("/api/v1/felanmalningar/?status=open&page_size=500").json()["results"]
        assert all(row["status_group"] == "open" for row in rows)

    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/dialoger/?area=finns-inte",
            "/api/v1/dialoger/?status=initiativ",
            "/api/v1/dialoger/?starts_after=2026-13-40",
            "/api/v1/dialoger/?ladder_step=99",
            "/api/v1/moten/?dialogue=99999999999999999999999999",
            "/api/v1/moten/?dialogue=abc",
            "/api/v1/forslag/?status=granskas",
            "/api/v1/forslag/?topic=%00",
            "/api/v1/medborgarbudget-projekt/?funded=kanske",
            "/api/v1/besiktningar/?year=1",
            "/api/v1/felanmalningar/?category=finns-inte",
            "/api/v1/omraden/?kind=planet",
        ],
    )
    def test_bad_filter_value_is_400(self, demo, client, url):
        response = client.get(url)
        assert response.status_code == 400, response.content


class TestConditionalGet:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_etag_gives_304(self, demo, client, slug):
        response = client.get(f"/api/v1/{slug}/")
        etag = response["ETag"]
        assert client.get(f"/api/v1/{slug}/", headers={"If-None-Match": etag}).status_code == 304
        first = response.json()["results"][0]["id"]
        detail = client.get(f"/api/v1/{slug}/{first}/")
        again = client.get(f"/api/v1/{slug}/{first}/", headers={"If-None-Match": detail["ETag"]})
        assert again.status_code == 304
        assert again["ETag"] == detail["ETag"]

    def test_another_etag_gets_the_body(self, demo, client):
        response = client.get("/api/v1/dialoger/", headers={"If-None-Match": '"something-else"'})
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "slug", sorted(s for s, e in ENDPOINTS.items() if e.dataset.modified_field)
    )
    def test_last_modified_gives_304(self, demo, client, slug):
        response = client.get(f"/api/v1/{slug}/")
        modified = response["Last-Modified"]
        again = client.get(f"/api/v1/{slug}/", headers={"If-Modified-Since": modified})
        assert again.status_code == 304
        first = response.json()["results"][0]["id"]
        detail = client.get(f"/api/v1/{slug}/{first}/")
        assert "Last-Modified" in detail
        stale = client.get(
            f"/api/v1/{slug}/{first}/",
            headers={"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"},
        )
        assert stale.status_code == 200


class TestReadOnly:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_writes_are_405(self, demo, client, slug):
        first = client.get(f"/api/v1/{slug}/").json()["results"][0]["id"]
        assert client.post(f"/api/v1/{slug}/", {"title": "x"}).status_code == 405
        for method in (client.put, client.patch, client.delete):
            assert method(f"/api/v1/{slug}/{first}/").status_code == 405
        assert client.post(f"/api/v1/{slug}/{first}/").status_code == 405

    def test_geojson_and_index_are_read_only(self, demo, client):
        assert client.post("/api/v1/omraden/geojson/").status_code == 405
        assert client.post("/api/v1/").status_code == 405


class TestRateLimit:
    @override_settings(API_RATE_PER_MINUTE=3)
    def test_over_the_limit_is_429_with_retry_after(self, demo, client):
        for _ in range(3):
            assert client.get("/api/v1/omraden/").status_code == 200
        response = client.get("/api/v1/omraden/")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0

    @override_settings(API_RATE_PER_MINUTE=3)
    def test_the_limit_is_per_address(self, demo, client):
        for _ in range(3):
            client.get("/api/v1/omraden/", REMOTE_ADDR="10.0.0.1")
        assert client.get("/api/v1/omraden/", REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.get("/api/v1/omraden/", REMOTE_ADDR="10.0.0.2").status_code == 200

    @override_settings(
        API_RATE_PER_MINUTE=3, CLIENT_IP_HEADER="X-Forwarded-For", CLIENT_IP_TRUSTED_PROXIES=1
    )
    def test_a_forged_forwarded_address_does_not_reset_the_count(self, demo, client):
        for number in range(3):
            client.get("/api/v1/omraden/", HTTP_X_FORWARDED_FOR=f"1.1.1.{number}, 10.9.9.9")
        response = client.get("/api/v1/omraden/", HTTP_X_FORWARDED_FOR="1.1.1.99, 10.9.9.9")
        assert response.status_code == 429


class TestCors:
    def test_reading_from_another_site_is_allowed(self, demo, client):
        response = client.get("/api/v1/dialoger/", headers={"Origin": "https://example.org"})
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]

    def test_preflight_allows_only_reading(self, demo, client):
        response = client.options(
            "/api/v1/forslag/",
            headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
        )
        assert response.status_code == 200
        allowed = {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")}
        assert allowed == {"GET", "HEAD", "OPTIONS"}

    def test_no_cors_outside_the_api(self, demo, client):
        response = client.get("/", headers={"Origin": "https://example.org"})
        assert "Access-Control-Allow-Origin" not in response


class TestGeoJson:
    def test_areas_as_a_feature_collection(self, demo, client):
        from torget.geo.models import Area

        response = client.get("/api/v1/omraden/geojson/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        body = response.json()
        assert body["type"] == "FeatureCollection"
        assert len(body["features"]) == Area.objects.count()
        feature = body["features"][0]
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert (
            client.get(
                "/api/v1/omraden/geojson/", headers={"If-None-Match": response["ETag"]}
            ).status_code
            == 304
        )

    def test_geojson_query_count(self, demo, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            client.get("/api/v1/omraden/geojson/")


class TestIndex:
    def test_index_lists_every_dataset(self, demo, client):
        body = client.get("/api/v1/").json()
        assert [row["slug"] for row in body["datasets"]] == SLUGS
        for row in body["datasets"]:
            assert client.get(row["url"]).status_code == 200


class TestPageSizes:
    def test_dialogues_come_twenty_a_page_and_other_lists_fifty(self, settings):
        from rest_framework.test import APIRequestFactory

        from torget.api.pagination import page_size

        class View:
            endpoint = ENDPOINTS["dialoger"]

        class Other:
            endpoint = ENDPOINTS["felanmalningar"]

        request = APIRequestFactory().get("/api/v1/dialoger/")
        from rest_framework.request import Request

        request = Request(request)
        assert page_size(request, View()) == 20
        assert page_size(request, Other()) == 50
        # A municipality's smaller API_PAGE_SIZE holds for every list; a client may ask for more.
        settings.API_PAGE_SIZE = 10
        assert page_size(request, View()) == page_size(request, Other()) == 10
        asked = Request(APIRequestFactory().get("/api/v1/dialoger/?page_size=100"))
        assert page_size(asked, View()) == 100
