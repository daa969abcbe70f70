"""The DCAT-AP-SE catalogue of the open data (https://docs.dataportal.se/dcat/sv/), so the
municipality can have dataportal.se harvest it: one dcat:Catalog, a dcat:Dataset per public
dataset and a dcat:Distribution per file (CSV, JSON) of its last export.

Mandatory in the profile, and always written here: the catalogue's title, description,
publisher and datasets; a dataset's title, description, publisher and contact point; a
distribution's access URL; an agent's name; a contact point's name and e-mail or web page.
Recommended, and written where known: licence, language, homepage, issued, modified, theme
(the EU's data themes), keyword, spatial, accrual periodicity, download URL, media type,
format and byte size.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from torget.api.datasets import Dataset, all_datasets
from torget.opendata import exports
from torget.organisation.selectors import municipality_get

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/SWE"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"

# The distributions: format → (EU file type, IANA media type).
DISTRIBUTIONS = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json")}

TURTLE = "text/turtle; charset=utf-8"
JSON_LD = "application/ld+json"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _datetime(value: datetime.datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _publisher(graph: Graph, municipality: Any) -> URIRef:
    publisher = URIRef(municipality.website or _absolute("/"))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(municipality.name, lang="sv")))
    graph.add((publisher, DCTERMS.type, URIRef(PUBLISHER_TYPE)))
    if municipality.email:
        graph.add((publisher, FOAF.mbox, URIRef(f"mailto:{municipality.email}")))
    if municipality.website:
        graph.add((publisher, FOAF.homepage, URIRef(municipality.website)))
    return publisher


def _contact_point(graph: Graph, municipality: Any) -> URIRef:
    contact = URIRef(_absolute(reverse("opendata:index")) + "#kontakt")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(municipality.name, lang="sv")))
    email = settings.OPEN_DATA_CONTACT_EMAIL or municipality.email
    if email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    graph.add(
        (
            contact,
            VCARD.hasURL,
            URIRef(settings.OPEN_DATA_CONTACT_URL or _absolute(reverse("opendata:index"))),
        )
    )
    return contact


def _spatial(graph: Graph, municipality: Any) -> URIRef:
    if settings.OPEN_DATA_SPATIAL:
        return URIRef(settings.OPEN_DATA_SPATIAL)
    place = URIRef(_absolute(reverse("geo:area_list")))
    graph.add((place, RDF.type, DCTERMS.Location))
    graph.add((place, SKOS.prefLabel, Literal(municipality.name, lang="sv")))
    return place


def _distribution(
    graph: Graph,
    dataset: Dataset,
    fmt: str,
    file: dict[str, Any],
    modified: datetime.datetime | None,
    license: URIRef,
) -> URIRef:
    file_type, media_type = DISTRIBUTIONS[fmt]
    url = URIRef(_absolute(reverse("opendata:download", kwargs={"slug": dataset.slug, "fmt": fmt})))
    distribution = URIRef(f"{url}#distribution")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCTERMS.title, Literal(f"{dataset.title} ({file_type})", lang="sv")))
    graph.add((distribution, DCAT.accessURL, URIRef(_absolute(reverse("opendata:index")))))
    graph.add((distribution, DCAT.downloadURL, url))
    graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPE + media_type)))
    graph.add((distribution, DCTERMS.format, URIRef(FILE_TYPE + file_type)))
    graph.add((distribution, DCTERMS.license, license))
    if isinstance(file.get("bytes"), int):
        graph.add(
            (distribution, DCAT.byteSize, Literal(file["bytes"], datatype=XSD.nonNegativeInteger))
        )
    if modified is not None:
        graph.add((distribution, DCTERMS.modified, _datetime(modified)))
    return distribution


def graph() -> Graph:
    """The catalogue as an RDF graph, from the registered datasets and the last export."""
    municipality = municipality_get()
    built = exports.manifest()
    license = URIRef(settings.OPEN_DATA_LICENSE)
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)
    g.bind("skos", SKOS)

    home = _absolute(reverse("opendata:index"))
    catalog = URIRef(_absolute(reverse("opendata:catalogue_ttl")))
    publisher = _publisher(g, municipality)
    contact = _contact_point(g, municipality)
    spatial = _spatial(g, municipality)

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(f"Öppna data från {municipality.name}", lang="sv")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                f"Öppna data från {municipality.name}s plattform för medborgardialog: "
                "dialoger, möten, resultat, förslag och annat som redan är offentligt på "
                "webbplatsen, som CSV och JSON.",
                lang="sv",
            ),
        )
    )
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.license, license))
    g.add((catalog, DCTERMS.language, URIRef(LANGUAGE)))
    g.add((catalog, FOAF.homepage, URIRef(home)))
    g.add((catalog, DCTERMS.spatial, spatial))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(DATA_THEME.rstrip("/"))))

    built_times: list[datetime.datetime] = []
    for dataset in all_datasets():
        entry = built["datasets"].get(dataset.slug)
        entry_built = exports.built_at(entry) if isinstance(entry, dict) else None
        modified = dataset.last_modified() or entry_built
        if entry_built:
            built_times.append(entry_built)
        node = URIRef(f"{home}#{dataset.slug}")
        g.add((catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(str(dataset.title), lang="sv")))
        g.add((node, DCTERMS.description, Literal(str(dataset.description), lang="sv")))
        g.add((node, DCTERMS.identifier, Literal(node)))
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, DCAT.landingPage, URIRef(home)))
        g.add((node, DCTERMS.spatial, spatial))
        g.add((node, DCTERMS.language, URIRef(LANGUAGE)))
        g.add((node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY + "DAILY")))
        for theme in dataset.themes:
            g.add((node, DCAT.theme, URIRef(DATA_THEME + theme)))
        for keyword in dataset.keywords:
            g.add((node, DCAT.keyword, Literal(str(keyword), lang="sv")))
        if modified is not None:
            g.add((node, DCTERMS.modified, _datetime(modified)))
        if not isinstance(entry, dict):
            continue  # not exported yet: described, without files
        for fmt in DISTRIBUTIONS:
            file = entry.get("files", {}).get(fmt)
            if isinstance(file, dict):
                g.add(
                    (
                        node,
                        DCAT.distribution,
                        _distribution(g, dataset, fmt, file, entry_built, license),
                    )
                )
    first = exports.built_at({"built_at": built.get("first_built_at")})
    if first is not None:
        g.add((catalog, DCTERMS.issued, _datetime(first)))
    if built_times:
        g.add((catalog, DCTERMS.modified, _datetime(max(built_times))))
    return g


def turtle() -> str:
    return graph().serialize(format="turtle")


def json_ld() -> str:
    context = {
        "dcat": str(DCAT),
        "dcterms": str(DCTERMS),
        "foaf": str(FOAF),
        "vcard": str(VCARD),
        "skos": str(SKOS),
    }
    return graph().serialize(format="json-ld", context=context, indent=2)
