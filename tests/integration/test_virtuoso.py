"""Virtuoso (Debian `virtuoso-opensource`) on 127.0.0.1 with its own temporary database:
both transports of `load` (Graph Store Protocol and SPARQL Update, over HTTP digest
authentication) give the same graphs, twice the same; the remote engine reads its answers.

The named-query suite runs against it too (the `virtuoso` parameter of `engine`,
tests/test_queries.py). Loads here use another base, apart from the real graph.
"""

from __future__ import annotations

import pytest

from cybercrime_kg.cli.load import load
from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.dataset import project_parts
from cybercrime_kg.paths import Layout
from cybercrime_kg.sparql.analysis import analyse
from cybercrime_kg.sparql.engines.base import Job
from cybercrime_kg.sparql.engines.remote_engine import RemoteEngine
from helpers.sparql import HOME
from helpers.stores import VIRTUOSO, virtuoso_target

pytestmark = pytest.mark.skipif(VIRTUOSO is None, reason="Virtuoso is not installed")


def expected(base: str) -> list[tuple[str, int, int, int]]:
    return [
        (f"{base}graph/ontology", 1, 397, 6),
        (f"{base}graph/data", 1, 734, 16),
        (f"{base}graph/public-record", 0, 0, 0),
        (f"{base}graph/shapes", 1, 236, 3),
        (f"{base}graph/union", 3, 1367, 25),
    ]


@pytest.mark.parametrize("graph_store", [True, False], ids=["graph-store", "update"])
def test_loading_twice_leaves_the_store_as_once(virtuoso_root: str, graph_store: bool) -> None:
    base = f"http://example.org/{'gsp' if graph_store else 'update'}/"
    parts = project_parts(Layout(HOME))
    target = virtuoso_target(virtuoso_root, graph_store)
    assert load(target, parts, base) == load(target, parts, base) == expected(base)


def test_remote_engine_reads_virtuoso_answers(virtuoso_root: str) -> None:
    base = "http://example.org/engine/"
    load(virtuoso_target(virtuoso_root), project_parts(Layout(HOME)), base)
    config = {**DEFAULTS, "BASE": base, "ENDPOINT": f"{virtuoso_root}/sparql"}
    engine = RemoteEngine.open(config, project_parts(Layout(HOME)))

    def run(query: str) -> list[tuple[str | None, ...]]:
        job = Job(query, base, columns=analyse(query, base).columns)
        result = engine.execute(job)
        if result.form == "ASK":
            return [(str(result.boolean),)]
        return sorted(tuple(None if t is None else str(t) for t in row) for row in result.rows)

    assert run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [("25",)]
    assert run("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g") == [
        (f"{base}graph/data", "16"),
        (f"{base}graph/ontology", "6"),
        (f"{base}graph/shapes", "3"),
    ]
    assert run("ASK { <id/meeting-1> ?p ?o }") == [("True",)]  # relative, and data rebased
    assert run("ASK { <https://w3id.org/cybercrime-kg/id/state-at> ?p ?o }") == [("False",)]
    assert run(
        "SELECT ?label WHERE { <id/state-at> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    ) == [("Austria",), ("奥地利",)]
