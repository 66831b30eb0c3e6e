"""Answers in every format, content negotiation, and the same answers on both engines."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from cybercrime_kg.sparql.engines.base import rdflib_quietly
from cybercrime_kg.web.negotiation import parse_accept
from helpers.sparql import ID, IEG, PREFIXES, SELECT_JSON, bindings, text

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
NOTES = PREFIXES + "SELECT ?s ?note WHERE { ?s ieg:note ?note } ORDER BY ?s"
NOTE_ROWS = [
    (ID + "state-at", Literal("plain")),
    (ID + "state-br", Literal('tab\there "quoted"\nnew line')),
]
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "nquads": ("application/n-quads", "nquads"),
    "trig": ("application/trig", "trig"),
}
SELECT_LIST = ", ".join(RESULT_TYPES.values())
GRAPH_LIST = ", ".join(media for media, _ in GRAPH_TYPES.values())


def ask(client, query: str, **kwargs):
    return client.get("/sparql", query_string={"query": query}, **kwargs)


def parsed_rows(body: bytes, name: str) -> list[tuple[str, str]]:
    """(subject, note) rows from any of the four results formats."""
    if name == "csv":
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        header, *rows = list(reader)
        assert header == ["s", "note"]
        return [(s, note) for s, note in rows]
    result = Result.parse(io.BytesIO(body), format=name)
    return [(str(row[0]), str(row[1])) for row in result]


@pytest.mark.parametrize("name", sorted(RESULT_TYPES))
def test_select_in_each_format(client, name):
    response = ask(client, NOTES, headers={"Accept": RESULT_TYPES[name]})
    assert response.status_code == 200
    assert response.content_type == f"{RESULT_TYPES[name]}; charset=utf-8"
    assert response.headers["Vary"] == "Accept"
    assert parsed_rows(response.data, name) == [(s, str(o)) for s, o in NOTE_ROWS]


def test_json_literal_details(client):
    query = PREFIXES + (
        "SELECT ?label ?year ?none WHERE { id:state-at rdfs:label ?label . "
        "id:meeting-1 ieg:year ?year . FILTER(lang(?label) = 'zh') OPTIONAL { ?x ieg:none ?none } }"
    )
    data = json.loads(ask(client, query).data)
    assert data["head"]["vars"] == ["label", "year", "none"]
    assert data["results"]["bindings"] == [
        {
            "label": {"type": "literal", "value": "奥地利", "xml:lang": "zh"},
            "year": {
                "type": "literal",
                "value": "2011",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            },
        }
    ]


def test_tsv_terms_and_escapes(client):
    response = ask(client, NOTES, headers={"Accept": "text/tab-separated-values"})
    assert text(response) == (
        "?s\t?note\n"
        f'<{ID}state-at>\t"plain"\n'
        f'<{ID}state-br>\t"tab\\there \\"quoted\\"\\nnew line"\n'
    )


def test_csv_quoting(client):
    response = ask(client, NOTES, headers={"Accept": "text/csv"})
    assert text(response) == (
        f's,note\r\n{ID}state-at,plain\r\n{ID}state-br,"tab\there ""quoted""\nnew line"\r\n'
    )


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("json", '{"head":{},"boolean":true}'),
        ("csv", "true"),
        ("tsv", "true"),
    ],
)
def test_ask_formats(client, name, body):
    response = ask(client, "ASK { ?s ?p ?o }", headers={"Accept": RESULT_TYPES[name]})
    assert (response.content_type, text(response)) == (f"{RESULT_TYPES[name]}; charset=utf-8", body)


def test_ask_xml(client):
    response = client.get(
        "/sparql",
        query_string={"query": "ASK { ?s <urn:nothing> ?o }", "format": "xml"},
    )
    assert Result.parse(io.BytesIO(response.data), format="xml").askAnswer is False


STATES = PREFIXES + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ieg:State ; rdfs:label ?l }"


def expected_states() -> Graph:
    graph = Graph()
    graph.add((URIRef(ID + "state-at"), RDFS_LABEL, Literal("Austria", lang="en")))
    graph.add((URIRef(ID + "state-at"), RDFS_LABEL, Literal("奥地利", lang="zh")))
    graph.add(
        (URIRef(ID + "state-br"), RDFS_LABEL, Literal("Brazil, Federative Republic of", lang="en"))
    )
    return graph


def parse_graph(body: bytes, rdflib_format: str) -> Graph:
    with rdflib_quietly():
        return _parse_graph(body, rdflib_format)


def _parse_graph(body: bytes, rdflib_format: str) -> Graph:
    if rdflib_format in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=body, format=rdflib_format)
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.parametrize("name", sorted(GRAPH_TYPES))
def test_construct_in_each_format(client, name):
    media, rdflib_format = GRAPH_TYPES[name]
    response = ask(client, STATES, headers={"Accept": media})
    assert response.status_code == 200
    assert response.content_type == f"{media}; charset=utf-8"
    assert isomorphic(parse_graph(response.data, rdflib_format), expected_states())


def test_describe(client, engine_name):
    response = ask(client, f"DESCRIBE <{ID}state-br>", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    subject = URIRef(ID + "state-br")
    described = {
        (subject, RDF_TYPE, URIRef(IEG + "State")),
        (subject, RDFS_LABEL, Literal("Brazil, Federative Republic of", lang="en")),
        (subject, URIRef(IEG + "note"), Literal('tab\there "quoted"\nnew line')),
    }
    if engine_name == "virtuoso":  # DESCRIBE is the store's to define; Virtuoso adds links in
        described.add((URIRef(ID + "meeting-1"), URIRef(IEG + "attendedBy"), subject))
    assert set(graph) == described


def test_turtle_uses_project_prefixes(client):
    body = text(ask(client, STATES, headers={"Accept": "text/turtle"}))
    assert "@prefix id: <https://w3id.org/cybercrime-kg/id/> ." in body
    assert "id:state-at" in body


# --- Negotiation ---


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("application/json", "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    ],
)
def test_accept_q_values(client, accept, chosen):
    headers = {"Accept": accept} if accept else {}
    response = ask(client, NOTES, headers=headers)
    assert response.content_type == f"{chosen}; charset=utf-8"


def test_graph_default_is_turtle(client):
    assert ask(client, STATES).content_type == "text/turtle; charset=utf-8"


def test_nothing_acceptable_is_406_with_the_list(client):
    response = ask(client, NOTES, headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert text(response) == (
        f"no acceptable format for Accept: text/html; available: {SELECT_LIST}\n"
    )
    response = ask(client, STATES, headers={"Accept": "text/csv"})
    assert (response.status_code, text(response)) == (
        406,
        f"no acceptable format for Accept: text/csv; available: {GRAPH_LIST}\n",
    )


@pytest.mark.parametrize(
    ("query", "values", "chosen"),
    [
        (NOTES, ["csv"], "text/csv"),
        (NOTES, ["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
        (NOTES, ["application/sparql-results+xml"], "application/sparql-results+xml"),
        (STATES, ["json"], "application/ld+json"),
        (STATES, ["xml"], "application/rdf+xml"),
        (STATES, ["json-ld", "application/ld+json"], "application/ld+json"),
        (STATES, ["n3"], "text/turtle"),
    ],
)
def test_format_parameter_overrides_accept(client, query, values, chosen):
    response = client.get(
        "/sparql",
        query_string={"query": query, "format": values},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.content_type == f"{chosen}; charset=utf-8"


def test_unknown_format_parameter(client):
    response = client.get("/sparql", query_string={"query": NOTES, "format": "yaml"})
    assert (response.status_code, text(response)) == (
        406,
        f"format=yaml is not available for this answer; available: {SELECT_LIST}\n",
    )


def test_bad_q_value_counts_as_zero():
    assert [r.q for r in parse_accept("text/csv;q=high, text/turtle;q=2, nonsense")] == [0.0, 1.0]


# --- The same answers on both engines (each case runs on each engine) ---

ANSWERS = {
    "join": (
        "SELECT ?m ?label WHERE { ?m ieg:attendedBy ?s . ?s rdfs:label ?label . "
        "FILTER(lang(?label) = 'en') }",
        {
            ("meeting-1", "Austria"),
            ("meeting-1", "Brazil, Federative Republic of"),
            ("meeting-2", "Austria"),
        },
    ),
    "aggregate": (
        "SELECT ?s (COUNT(?m) AS ?n) WHERE { ?m ieg:attendedBy ?s } GROUP BY ?s",
        {("state-at", "2"), ("state-br", "1")},
    ),
    "optional": (
        "SELECT ?s ?note WHERE { ?s a ieg:State "
        "OPTIONAL { ?s ieg:note ?note FILTER(?note = 'plain') } }",
        {("state-at", "plain"), ("state-br", None)},
    ),
    "union-minus": (
        "SELECT ?x WHERE { { ?x a ieg:Meeting } UNION { ?x a ieg:State } "
        "MINUS { ?x ieg:attendedBy id:state-br } }",
        {("meeting-2",), ("state-at",), ("state-br",)},
    ),
    "path-values-bind": (
        "SELECT ?m ?y2 WHERE { VALUES ?s { id:state-br } ?m ieg:attendedBy/a ieg:State ; "
        "ieg:attendedBy ?s ; ieg:year ?y BIND(?y + 1 AS ?y2) }",
        {("meeting-1", "2012")},
    ),
    "subquery-having": (
        "SELECT ?s WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s "
        "HAVING (COUNT(*) > 4) } }",
        {("meeting-1",)},
    ),
}


def short(value: str | None) -> str | None:
    return value.removeprefix(ID) if value is not None else None


@pytest.mark.parametrize("case", sorted(ANSWERS))
def test_same_answers(client, case):
    query, expected = ANSWERS[case]
    response = ask(client, PREFIXES + query)
    assert response.content_type == SELECT_JSON, text(response)
    variables = json.loads(response.data)["head"]["vars"]
    rows = {tuple(short(row.get(v)) for v in variables) for row in bindings(response.data)}
    assert rows == expected
