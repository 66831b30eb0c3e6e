"""The service description at /sparql and the VoID description at /.well-known/void."""

from __future__ import annotations

import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.sparql import GRAPHS, ID, IEG, SIZES, text

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
ROOT = "http://localhost/"
ENDPOINT = URIRef(ROOT + "sparql")
DATASET = URIRef(ROOT + ".well-known/void#dataset")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def parse(body: bytes, fmt: str) -> Graph:
    with rdflib_quietly():
        return Graph().parse(data=body, format=fmt)


@pytest.fixture
def description(client) -> Graph:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.content_type == "text/turtle; charset=utf-8"
    return parse(response.data, "turtle")


def test_service(description):
    assert (ENDPOINT, RDF.type, SD.Service) in description
    assert (ENDPOINT, SD.endpoint, ENDPOINT) in description
    assert (ENDPOINT, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert set(description.objects(ENDPOINT, SD.feature)) == {SD.UnionDefaultGraph}
    assert len(set(description.objects(ENDPOINT, SD.resultFormat))) == 10
    assert (ENDPOINT, SD.defaultDataset, DATASET) in description


def test_void_figures(description):
    g = description
    assert g.value(DATASET, VOID.triples) == Literal(sum(SIZES.values()))
    default = g.value(DATASET, SD.defaultGraph)
    assert g.value(default, VOID.triples) == Literal(25)
    named = {
        str(g.value(n, SD.name)): g.value(g.value(n, SD.graph), VOID.triples).toPython()
        for n in g.objects(DATASET, SD.namedGraph)
    }
    assert named == {GRAPHS[name]: size for name, size in SIZES.items()}
    classes = {
        str(g.value(p, VOID["class"])): g.value(p, VOID.entities).toPython()
        for p in g.objects(DATASET, VOID.classPartition)
    }
    assert classes[IEG + "Meeting"] == 2
    assert classes[IEG + "State"] == 2
    properties = {
        g.value(p, VOID.property): g.value(p, VOID.triples).toPython()
        for p in g.objects(DATASET, VOID.propertyPartition)
    }
    assert properties[LABEL] == 7
    assert g.value(DATASET, VOID.properties).toPython() == len(properties)
    assert set(g.objects(DATASET, VOID.exampleResource)) == {
        URIRef(ID + name) for name in ("meeting-1", "meeting-2", "state-at")
    }
    assert (DATASET, VOID.sparqlEndpoint, ENDPOINT) in g


def test_dumps_are_served(client, description):
    dumps = sorted(str(d) for d in description.objects(DATASET, VOID.dataDump))
    assert dumps == [ROOT + f"dump.{ext}" for ext in ("jsonld", "nq", "nt", "trig", "ttl")]
    for dump, fmt in zip(dumps, ("json-ld", "nquads", "nt", "trig", "turtle"), strict=True):
        response = client.get(dump.removeprefix(ROOT[:-1]), headers={"Accept": "text/html"})
        assert response.status_code == 200
        with rdflib_quietly():
            dataset = Dataset().parse(data=response.data, format=fmt)
            assert len(list(dataset.quads((None, None, None, None)))) == 25


def test_well_known_void_is_the_same_graph(client, description):
    response = client.get("/.well-known/void")
    assert isomorphic(parse(response.data, "turtle"), description)


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-triples;q=0.5, text/turtle;q=0.4", "application/n-triples", "nt"),
    ],
)
def test_description_formats(client, accept, media, fmt):
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.content_type == f"{media}; charset=utf-8"
    assert (ENDPOINT, RDF.type, SD.Service) in parse(response.data, fmt)


def test_description_not_acceptable(client):
    response = client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert text(response).startswith("no acceptable format for Accept: image/png; available: ")


@pytest.mark.parametrize(
    "accept", ["text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
)
def test_browser_opening_the_endpoint_goes_to_the_query_ui(client, accept):
    response = client.get("/sparql", headers={"Accept": accept})
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_endpoint_with_format_still_describes_itself_to_a_browser(client):
    response = client.get("/sparql?format=text/turtle", headers={"Accept": "text/html"})
    assert (response.status_code, response.content_type) == (200, "text/turtle; charset=utf-8")


def test_description_etag(client, sparql_service):
    etag = client.get("/.well-known/void").headers["ETag"]
    assert etag.startswith(f'"{sparql_service.version}-')
    again = client.get("/.well-known/void", headers={"If-None-Match": etag})
    assert again.status_code == 304
