"""Loading the three named graphs, and the clear errors for unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from cybercrime_kg.dataset import Part, load_dataset, parse_turtle, rebase
from cybercrime_kg.errors import DataError
from cybercrime_kg.namespaces import (
    DATA_GRAPH,
    ONTOLOGY_GRAPH,
    PUBLIC_RECORD_GRAPH,
    SHAPES_GRAPH,
)

PARTS = (ONTOLOGY_GRAPH, DATA_GRAPH, PUBLIC_RECORD_GRAPH, SHAPES_GRAPH)


def test_named_graphs_and_union_default(dataset):
    names = {g.identifier for g in dataset.graphs()} - {dataset.default_graph.identifier}
    assert set(PARTS) <= names
    union = sum(len(dataset.graph(g)) for g in PARTS)
    assert len(set(dataset.quads((None, None, None, None)))) == union


def test_syntax_error_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n  ex:d .\n")
    with pytest.raises(DataError, match=r"bad\.ttl: line 4: Turtle syntax error"):
        parse_turtle(bad)


def test_missing_file(tmp_path: Path):
    with pytest.raises(DataError, match=r"nope\.ttl: no such file"):
        parse_turtle(tmp_path / "nope.ttl")


def test_not_utf8(tmp_path: Path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<http://example.org/a> <http://example.org/b> "caf\xe9" .\n'.encode("latin-1"))
    with pytest.raises(DataError, match=r"latin1\.ttl: not UTF-8"):
        parse_turtle(bad)


def test_rebase_moves_only_our_iris(tmp_path: Path):
    ttl = tmp_path / "x.ttl"
    ttl.write_text(
        "<https://w3id.org/cybercrime-kg/id/meeting/4> "
        "<http://www.w3.org/2000/01/rdf-schema#seeAlso> <http://example.org/x> .\n"
    )
    ds = load_dataset([Part(DATA_GRAPH, (ttl,))], base="http://localhost:8000/")
    graph = ds.graph(URIRef("http://localhost:8000/graph/data"))
    assert set(graph.subjects()) == {URIRef("http://localhost:8000/id/meeting/4")}
    assert set(graph.objects()) == {URIRef("http://example.org/x")}
    assert rebase(URIRef("http://example.org/x"), "http://localhost:8000/") == URIRef(
        "http://example.org/x"
    )
