"""The OpenAPI document at /api/schema/ (validated against the OpenAPI 3 specification by
drf-spectacular's validator) and the documentation page built from it."""

from __future__ import annotations

import json

import pytest
import yaml
from django.conf import settings
from django.test import Client
from drf_spectacular.validation import validate_schema

from torget.api.registry import ENDPOINTS

pytestmark = pytest.mark.django_db


def test_the_openapi_document_validates():
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    document = json.loads(response.content)
    validate_schema(document)  # raises on anything the OpenAPI 3.0 JSON schema refuses
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    for slug in ENDPOINTS:
        assert f"/api/v1/{slug}/" in document["paths"]
        assert "get" in document["paths"][f"/api/v1/{slug}/"]
        assert set(document["paths"][f"/api/v1/{slug}/"]) == {"get"}, "read only"


def test_the_yaml_and_the_json_say_the_same():
    client = Client()
    as_yaml = yaml.safe_load(client.get("/api/schema/").content)
    as_json = json.loads(client.get("/api/schema/?format=json").content)
    assert as_yaml == as_json


def test_every_list_documents_its_filters_ordering_and_paging():
    document = json.loads(Client().get("/api/schema/?format=json").content)
    for slug, endpoint in ENDPOINTS.items():
        names = {p["name"] for p in document["paths"][f"/api/v1/{slug}/"]["get"]["parameters"]}
        assert "ordering" in names
        assert "page_size" in names
        assert ("cursor" if endpoint.keyset else "page") in names
        assert set(endpoint.filterset.base_filters) <= names


def test_the_docs_page_lists_every_address(demo):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    text = response.content.decode()
    for slug in ENDPOINTS:
        assert f"/api/v1/{slug}/" in text
    assert "/api/v1/omraden/geojson/" in text
    assert "<script" not in text.split("</main>")[0].split("<main")[1]
    # No outside address: the page, like the rest of Torget, loads nothing from elsewhere.
    assert "https://cdn" not in text and "unpkg" not in text and "jsdelivr" not in text


def test_the_footer_links_to_the_api(demo):
    response = Client().get("/")
    assert 'href="/api/docs/"' in response.content.decode()


def test_the_docs_page_speaks_each_visitors_language(demo):
    # The document is built once per process and language: an English visitor first does not
    # make the page English for the Swedish visitors after them.
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Citizen dialogues" in english.get("/api/docs/").content.decode()
    swedish = Client().get("/api/docs/").content.decode()
    assert "Medborgardialoger" in swedish
    assert "Citizen dialogues" not in swedish
