"""Loading the three named graphs, and the clear errors for unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.dataset import Part, load_dataset, parse_turtle, project_parts, rebase
from cybercrime_kg.errors import DataError
from cybercrime_kg.namespaces import (
    DATA_GRAPH,
    DEFAULT_BASE,
    ONTOLOGY_GRAPH,
    PUBLIC_RECORD_GRAPH,
    SHAPES_GRAPH,
)
from cybercrime_kg.sparql.engines.oxigraph_engine import OxigraphEngine

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


def _quads(engine: OxigraphEngine) -> list[tuple[str, ...]]:
    """Every quad of an engine, blank nodes as one placeholder (their labels are the parser's)."""
    return sorted(
        tuple("_:" if isinstance(t, BNode) else t.n3() for t in q) for q in engine.quads()
    )


@pytest.mark.parametrize("base", [DEFAULT_BASE, "http://localhost:8000/"])
def test_oxigraph_parses_the_files_into_what_rdflib_loads(base: str):
    # The oxigraph engine parses the files itself; it must hold exactly what the rdflib path
    # holds, every named graph (the empty shapes graph of a layout without shapes too).
    parts = project_parts()
    direct = OxigraphEngine.open({**DEFAULTS, "BASE": base}, parts)
    through_rdflib = OxigraphEngine.from_dataset(load_dataset(parts, base=base))
    assert _quads(direct) == _quads(through_rdflib)
    assert (
        direct.graphs()
        == through_rdflib.graphs()
        == tuple(sorted(str(rebase(p.graph, base)) for p in parts))
    )
    assert len(_quads(direct)) > 7000
    # the default graph is the merge of the named graphs, stored once: a fact in two graphs
    # (the ontology's labels are in the data too) answers once, as with rdflib
    merged = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    default = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = [int(next(direct._store.query(q))["n"].value) for q in (merged, default)]
    triples = {quad[:3] for quad in load_dataset(parts, base=base).quads()}
    assert counts[0] == counts[1] == len(triples) < len(_quads(direct))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            b"@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n  ex:d .\n",
            r"bad\.ttl: line 4: Turtle syntax error: Parser error at line 4 column 8: "
            r"\. is not a valid RDF object$",
        ),
        (
            b'<http://example.org/a> <http://example.org/b> "caf\xe9" .\n',
            r"bad\.ttl: line 1: Turtle syntax error: Parser error at line 1 column \d+: "
            r"Invalid UTF-8",
        ),
    ],
    ids=["syntax", "not-utf8"],
)
def test_oxigraph_engine_names_the_file_it_cannot_read(tmp_path: Path, text: bytes, message: str):
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(text)
    with pytest.raises(DataError, match=message):
        OxigraphEngine.open(DEFAULTS, [Part(DATA_GRAPH, (bad,))])
    with pytest.raises(DataError, match=r"nope\.ttl: no such file$"):
        OxigraphEngine.open(DEFAULTS, [Part(DATA_GRAPH, (tmp_path / "nope.ttl",))])
