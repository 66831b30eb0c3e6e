"""Oxigraph server (PyPI `oxigraph`) on 127.0.0.1: loading is idempotent and both transports
give the same store; `cybercrime-kg serve --engine remote` answers a SPARQLWrapper client.

The protocol, format, safety and named-query suites also run through the remote engine against
this server (the `remote` parameter of `sparql_service` and `engine`, tests/conftest.py).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from cybercrime_kg.cli.load import load
from cybercrime_kg.dataset import project_parts
from cybercrime_kg.paths import Layout
from cybercrime_kg.sparql.engines.base import rdflib_quietly
from helpers.sparql import BASE, GRAPHS, HOME, ID, live_server
from helpers.stores import OXIGRAPH, oxigraph_server, oxigraph_target

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the `oxigraph` server is not installed")

UNION = BASE + "graph/union"
FIXTURE_TRIPLES = [
    (GRAPHS["ontology"], 1, 397, 6),
    (GRAPHS["data"], 1, 734, 16),
    (GRAPHS["public-record"], 0, 0, 0),
    (GRAPHS["shapes"], 1, 236, 3),
    (UNION, 3, 1367, 25),
]


def quads_per_graph(root: str) -> dict[str, int]:
    """Triples in every graph of the store, whoever put them there."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    url = f"{root}/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


@pytest.mark.parametrize("graph_store", [True, False], ids=["graph-store", "update"])
def test_loading_twice_leaves_the_store_as_once(graph_store: bool) -> None:
    parts = project_parts(Layout(HOME))
    with oxigraph_server() as root:
        first = load(oxigraph_target(root, graph_store), parts, BASE)
        second = load(oxigraph_target(root, graph_store), parts, BASE)
        assert first == second == FIXTURE_TRIPLES
        assert quads_per_graph(root) == {g: n for g, _, _, n in FIXTURE_TRIPLES if n}


def test_both_transports_load_the_real_graph_alike(dataset) -> None:
    with rdflib_quietly():
        distinct = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    counts = []
    for graph_store in (True, False):
        with oxigraph_server() as root:
            load(oxigraph_target(root, graph_store), project_parts(), BASE)
            counts.append(quads_per_graph(root))
    assert counts[0] == counts[1]
    assert counts[0][UNION] == len(distinct)  # a fact stated in two graphs is in the union once


def test_serve_remote_answers_a_sparqlwrapper_client(oxigraph_fixture_endpoint: str) -> None:
    with live_server("remote", "--endpoint", oxigraph_fixture_endpoint) as root:
        client = SPARQLWrapper(root + "sparql")
        client.setReturnFormat(JSON)
        client.setQuery(
            f"SELECT ?label WHERE {{ <{ID}state-at> <http://www.w3.org/2000/01/rdf-schema#label>"
            " ?label } ORDER BY ?label"
        )
        answer = client.queryAndConvert()
        assert isinstance(answer, dict)
        assert answer["results"]["bindings"] == [
            {"label": {"type": "literal", "value": "Austria", "xml:lang": "en"}},
            {"label": {"type": "literal", "value": "奥地利", "xml:lang": "zh"}},
        ]
        with urllib.request.urlopen(root + "health", timeout=10) as response:
            assert json.load(response)["engine"] == "remote"
