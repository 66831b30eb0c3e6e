"""A real server on 127.0.0.1 driven by SPARQLWrapper, as a client would (both engines)."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.sparql import ID, IEG, PREFIXES

SELECT = PREFIXES + "SELECT ?m ?year WHERE { ?m a ieg:Meeting ; ieg:year ?year } ORDER BY ?m"
ROWS = [(ID + "meeting-1", "2011"), (ID + "meeting-2", "2013")]
CONSTRUCT = PREFIXES + "CONSTRUCT { ?m ieg:year ?year } WHERE { ?m ieg:year ?year }"
YEAR = URIRef(IEG + "year")
GRAPH = {
    (URIRef(ID + "meeting-1"), YEAR, Literal(2011)),
    (URIRef(ID + "meeting-2"), YEAR, Literal(2013)),
}


def wrapper(root: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(root + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def rows_from(fmt: str, converted: object) -> list[tuple[str, str]]:
    if fmt == JSON:
        assert isinstance(converted, dict)
        return [(b["m"]["value"], b["year"]["value"]) for b in converted["results"]["bindings"]]
    if fmt == XML:
        results = converted.getElementsByTagName("result")  # type: ignore[attr-defined]
        return [
            tuple(  # type: ignore[misc]
                node.firstChild.firstChild.data for node in result.getElementsByTagName("binding")
            )
            for result in results
        ]
    assert isinstance(converted, bytes)
    decoded = converted.decode("utf-8")
    if fmt == CSV:
        return [tuple(row) for row in csv.reader(io.StringIO(decoded))][1:]  # type: ignore[misc]
    # TSV writes terms in Turtle syntax, a number bare or quoted with its datatype
    solutions = ox.parse_query_results(converted, format=ox.QueryResultsFormat.TSV)
    return [(s["m"].value, s["year"].value) for s in solutions]  # type: ignore[index,union-attr]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select(live_root, fmt, method):
    converted = wrapper(live_root, SELECT, fmt, method).query().convert()
    assert rows_from(fmt, converted) == ROWS


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(live_root, fmt):
    result = wrapper(live_root, "ASK { ?s ?p ?o }", fmt, GET).query().convert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML])
def test_construct(live_root, fmt, method):
    with rdflib_quietly():
        converted = wrapper(live_root, CONSTRUCT, fmt, method).query().convert()
        graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted)
        assert set(graph) == GRAPH


def test_describe(live_root):
    query = f"DESCRIBE <{ID}meeting-2>"
    with rdflib_quietly():
        converted = wrapper(live_root, query, TURTLE, GET).query().convert()
        graph = Graph().parse(data=converted, format="turtle")
    assert (URIRef(ID + "meeting-2"), YEAR, Literal(2013)) in graph
    assert len(graph) == 4


def test_syntax_error_reaches_the_client(live_root):
    # rdflib places the error at the pattern (column 18), Oxigraph at the end of the line (25)
    with pytest.raises(QueryBadFormed, match=r"SPARQL syntax error at line 1, column (18|25): "):
        wrapper(live_root, "SELECT * WHERE { ?s ?p }", JSON, GET).query()
