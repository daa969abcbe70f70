"""The DCAT-AP-SE catalogue, parsed back with rdflib: both serialisations say the same, and
every property the profile makes mandatory is there (https://docs.dataportal.se/dcat/sv/)."""

import json

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from torget.geo.tests.factories import AreaFactory
from torget.opendata import exports
from torget.opendata.catalogue import VCARD
from torget.opendata.tests.datasets import areas_dataset, proposals_dataset, registered
from torget.organisation.models import Municipality
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db

# DCAT-AP-SE: what each class must have (obligatoriska egenskaper) ...
MANDATORY = {
    DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset],
    DCAT.Dataset: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.contactPoint],
    DCAT.Distribution: [DCAT.accessURL],
    FOAF.Agent: [FOAF.name],
    VCARD.Organization: [VCARD.fn],
}
# ... and what it should have (rekommenderade), which Torget always knows.
RECOMMENDED = {
    DCAT.Catalog: [
        DCTERMS.license,
        DCTERMS.language,
        FOAF.homepage,
        DCTERMS.issued,
        DCTERMS.modified,
    ],
    DCAT.Dataset: [
        DCAT.distribution,
        DCAT.keyword,
        DCAT.theme,
        DCTERMS.spatial,
        DCTERMS.accrualPeriodicity,
        DCTERMS.identifier,
        DCTERMS.modified,
    ],
    DCAT.Distribution: [
        DCTERMS.license,
        DCAT.downloadURL,
        DCAT.mediaType,
        DCTERMS.format,
        DCAT.byteSize,
        DCTERMS.modified,
    ],
    FOAF.Agent: [DCTERMS.type],
}


@pytest.fixture
def built(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://torget.storeby.se"
    Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={
            "name": "Storeby kommun",
            "email": "kommun@storeby.se",
            "website": "https://storeby.se/",
        },
    )
    SigningProposalFactory(title="Cykelbana", area=AreaFactory(slug="berga"))
    with registered(areas_dataset(), proposals_dataset()):
        exports.build_all()
        yield


def parse(client, name, fmt):
    response = client.get(reverse(name))
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format=fmt)
    return response, graph


def test_turtle_and_json_ld_say_the_same(client, built):
    ttl_response, ttl = parse(client, "opendata:catalogue_ttl", "turtle")
    ld_response, ld = parse(client, "opendata:catalogue_jsonld", "json-ld")
    assert ttl_response["Content-Type"] == "text/turtle; charset=utf-8"
    assert ld_response["Content-Type"] == "application/ld+json"
    assert ttl_response["Last-Modified"]
    json.loads(ld_response.content)  # plain JSON too
    assert len(ttl) > 50
    assert isomorphic(ttl, ld)


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_every_mandatory_and_recommended_property_is_present(client, built, fmt):
    name = "opendata:catalogue_ttl" if fmt == "turtle" else "opendata:catalogue_jsonld"
    _response, graph = parse(client, name, fmt)
    missing = []
    for required in (MANDATORY, RECOMMENDED):
        for cls, properties in required.items():
            subjects = list(graph.subjects(RDF.type, cls))
            assert subjects, f"no {cls}"
            for subject in subjects:
                for prop in properties:
                    if graph.value(subject, prop) is None:
                        missing.append(f"{subject} ({cls}) lacks {prop}")
    assert missing == []
    # Two datasets, each with a CSV and a JSON distribution.
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) >= 2
    forslag = URIRef("https://torget.storeby.se/oppna-data/#test-forslag")
    assert len(list(graph.objects(forslag, DCAT.distribution))) == 2


def test_values_follow_the_profile(client, built, settings):
    _response, graph = parse(client, "opendata:catalogue_ttl", "turtle")
    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    assert catalog == URIRef("https://torget.storeby.se/oppna-data/katalog.ttl")
    assert graph.value(catalog, DCTERMS.license) == URIRef(settings.OPEN_DATA_LICENSE)
    assert graph.value(catalog, DCTERMS.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/SWE"
    )
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Storeby kommun", lang="sv")
    dataset = URIRef("https://torget.storeby.se/oppna-data/#test-forslag")
    assert graph.value(dataset, DCTERMS.title) == Literal("Medborgarförslag (test)", lang="sv")
    assert set(graph.objects(dataset, DCAT.theme)) == {
        URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE"),
        URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI"),
    }
    assert graph.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/DAILY"
    )
    contact = graph.value(dataset, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:kommun@storeby.se")
    urls = {
        str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)
    }
    assert urls == {
        "https://torget.storeby.se/oppna-data/test-forslag.csv",
        "https://torget.storeby.se/oppna-data/test-forslag.json",
    }
    sizes = {int(graph.value(d, DCAT.byteSize)) for d in graph.objects(dataset, DCAT.distribution)}
    assert sizes == {
        exports.manifest()["datasets"]["test-forslag"]["files"][fmt]["bytes"]
        for fmt in ("csv", "json")
    }


def test_contact_and_licence_come_from_settings(client, built, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@storeby.se"
    settings.OPEN_DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    settings.OPEN_DATA_SPATIAL = "http://www.wikidata.org/entity/Q1"
    _response, graph = parse(client, "opendata:catalogue_ttl", "turtle")
    dataset = URIRef("https://torget.storeby.se/oppna-data/#test-forslag")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@storeby.se")
    assert graph.value(dataset, DCTERMS.spatial) == URIRef("http://www.wikidata.org/entity/Q1")
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert graph.value(distribution, DCTERMS.license) == URIRef(settings.OPEN_DATA_LICENSE)


def test_catalogue_before_any_build_describes_the_datasets_without_files(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://torget.storeby.se"
    with registered(areas_dataset()):
        _response, graph = parse(client, "opendata:catalogue_ttl", "turtle")
    dataset = URIRef("https://torget.storeby.se/oppna-data/#test-omraden")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert not list(
        graph.objects(
            URIRef("https://torget.storeby.se/oppna-data/#test-omraden"), DCAT.distribution
        )
    )
