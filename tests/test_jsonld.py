"""Linked-data consumers: compact JSON-LD with the resource first, and RFC 8288 Link headers."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import to_isomorphic

from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.pages import ID

# a stance, a meeting, a state, a passage, a source document
RESOURCES = (
    "stance/eg4-coe-additional-protocol",
    "meeting/4",
    "state/CHN",
    "passage/ag-1a",
    "doc/mfa-summary-2018-04-11",
)


def parse(body: bytes, fmt: str) -> Graph:
    with rdflib_quietly():
        return Graph().parse(data=body, format=fmt)


def expand(value: str) -> str:
    prefix, _, rest = value.partition(":")
    return PREFIXES[prefix] + rest if prefix in PREFIXES else value


@pytest.mark.parametrize("key", RESOURCES)
def test_jsonld_is_compact_with_the_resource_first(graph_client, key):
    response = graph_client.get(f"/id/{key}.jsonld")
    assert response.content_type == "application/ld+json; charset=utf-8"
    document = json.loads(response.data)
    assert sorted(document) == ["@context", "@graph"]
    assert document["@context"] == PREFIXES
    first = document["@graph"][0]
    assert expand(first["@id"]) == ID + key
    # compact: prefixed names for the project's IRIs, no full IRIs of its namespaces as keys
    assert all(":" in k and not k.startswith("http") for k in first if not k.startswith("@"))
    others = [node["@id"] for node in document["@graph"][1:]]
    assert others == sorted(others)
    assert ID + key not in {expand(i) for i in others}


@pytest.mark.parametrize("key", RESOURCES)
def test_jsonld_has_exactly_the_triples_of_the_turtle(graph_client, key):
    turtle = parse(graph_client.get(f"/id/{key}.ttl").data, "turtle")
    jsonld = parse(graph_client.get(f"/id/{key}.jsonld").data, "json-ld")
    assert len(turtle) > 5
    assert to_isomorphic(jsonld) == to_isomorphic(turtle)
    assert set(jsonld) == set(turtle)  # no blank nodes in a description: the very same triples


def test_negotiated_jsonld_is_the_suffixed_document(graph_client):
    negotiated = graph_client.get("/id/meeting/4", headers={"Accept": "application/ld+json"})
    assert negotiated.headers["Content-Location"] == "/id/meeting/4.jsonld"
    assert negotiated.data == graph_client.get("/id/meeting/4.jsonld").data
    again = graph_client.get(
        "/id/meeting/4.jsonld", headers={"If-None-Match": negotiated.headers["ETag"]}
    )
    assert again.status_code == 304


def test_sparql_construct_jsonld_is_left_as_sparql_writes_it(graph_client):
    response = graph_client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{ID}meeting/4>"},
        headers={"Accept": "application/ld+json"},
    )
    assert response.status_code == 200
    assert parse(response.data, "json-ld")


def test_dump_jsonld_is_compact_and_keeps_the_named_graphs(graph_client):
    response = graph_client.get("/dump.jsonld")
    document = json.loads(response.data)
    assert document["@context"] == PREFIXES
    with rdflib_quietly():
        jsonld = Dataset().parse(data=response.data, format="json-ld")
        nquads = Dataset().parse(data=graph_client.get("/dump.nq").data, format="nquads")
    names = {g.identifier for g in nquads.graphs() if len(g)}
    assert {g.identifier for g in jsonld.graphs() if len(g)} == names
    assert len(names) == 4  # ontology, data, public record, shapes
    for name in names:  # the shapes hold blank nodes: the same graph up to their names
        assert to_isomorphic(jsonld.graph(name)) == to_isomorphic(nquads.graph(name)), name


# --- Link headers (RFC 8288) ---

FORMATS = (
    ("html", "text/html"),
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml"),
    ("nq", "application/n-quads"),
    ("trig", "application/trig"),
)


def expected_links(path: str, served: str, anchor: str | None) -> str:
    links = [
        f'<{path}.{suffix}>; rel="alternate"; type="{media}"'
        for suffix, media in FORMATS
        if suffix != served
    ]
    if anchor:
        links.append(f'<{path}.ttl>; rel="describedby"; type="text/turtle"; anchor="{anchor}"')
    return ", ".join(links)


@pytest.mark.parametrize(("suffix", "_media"), FORMATS)
def test_every_document_links_its_alternates_and_description(graph_client, suffix, _media):
    response = graph_client.get(f"/id/meeting/4.{suffix}")
    assert response.status_code == 200
    assert response.headers["Link"] == expected_links("/id/meeting/4", suffix, ID + "meeting/4")


@pytest.mark.parametrize(
    ("accept", "served"),
    [("text/html", "html"), ("application/ld+json", "jsonld"), ("text/turtle", "ttl")],
)
def test_the_negotiated_url_links_the_formats_it_did_not_send(graph_client, accept, served):
    response = graph_client.get("/id/state/CHN", headers={"Accept": accept})
    assert response.headers["Link"] == expected_links("/id/state/CHN", served, ID + "state/CHN")


def test_a_named_graph_links_its_alternates(graph_client):
    response = graph_client.get("/graph/ontology.ttl")
    assert response.headers["Link"] == expected_links("/graph/ontology", "ttl", None)


@pytest.mark.parametrize(("suffix", "_media"), FORMATS)
def test_the_ontology_links_its_alternates_and_description(graph_client, suffix, _media):
    response = graph_client.get(f"/ontology.{suffix}")
    assert response.status_code == 200
    expected = expected_links("/ontology", suffix, "https://w3id.org/cybercrime-kg/ontology")
    assert response.headers["Link"] == expected


def test_a_script_on_another_origin_may_read_the_links(graph_client):
    response = graph_client.get("/id/meeting/4.jsonld", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "Content-Location", "ETag"} <= exposed
