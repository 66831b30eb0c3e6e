"""The oxigraph engine writes SELECT/ASK answers itself: the same answers as rendering `execute`.

`OxigraphEngine.write` lets Oxigraph serialise the solutions (cut on its TSV), which the endpoint
uses for every SPARQL results format; `execute` plus `results.render` stays the reference.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from cybercrime_kg.cli.query import read_named
from cybercrime_kg.dataset import load_dataset
from cybercrime_kg.errors import NotAcceptable
from cybercrime_kg.formats import GRAPH_FORMATS, RDFLIB_FORMAT, RESULT_FORMATS
from cybercrime_kg.namespaces import PREFIXES
from cybercrime_kg.sparql.analysis import analyse
from cybercrime_kg.sparql.engines.base import Answer, Job, rdflib_quietly
from cybercrime_kg.sparql.engines.oxigraph_engine import OxigraphEngine
from cybercrime_kg.sparql.pool import evaluate
from cybercrime_kg.sparql.results import render

BASE = "https://w3id.org/cybercrime-kg/"
ID = BASE + "id/"
QUERIES = Path(__file__).resolve().parent.parent / "queries"
PARAMS = {
    "list-labels": {"lang": "zh"},
    "list-stances-on-topic": {"topic": ID + "topic/budapest-convention"},
    "show-provenance": {"resource": ID + "meeting/4"},
    "show-statement-sources": {"resource": ID + "meeting/4"},
}
FORMATS = {f.name: f for f in RESULT_FORMATS}
WIRE = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


@pytest.fixture(scope="module")
def engine() -> OxigraphEngine:
    engine = OxigraphEngine.from_dataset(load_dataset())
    assert isinstance(engine, OxigraphEngine)
    return engine


def job(text: str, max_rows: int = 10**6) -> Job:
    return Job(text, BASE, max_rows=max_rows, columns=analyse(text, BASE).columns)


def named(name: str) -> str:
    return read_named(QUERIES / f"{name}.rq").bind(PARAMS.get(name, {}))


def solutions(body: bytes, fmt: str) -> Any:
    """The answer as comparable values: variables and rows of N-Triples terms, or a boolean."""
    if fmt == "csv":  # CSV drops term kinds, so compare its cells
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return rows
    if fmt == "tsv":
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    else:
        parsed = ox.parse_query_results(body, format=WIRE[fmt])
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = [v.value for v in parsed.variables]
    return variables, [
        tuple(None if (t := s[v]) is None else str(t) for v in variables) for s in parsed
    ]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_every_named_query_written_as_rendered(engine, name, fmt):
    query = job(named(name))
    written = engine.write(query, fmt)
    assert written is not None
    result = engine.execute(query)
    expected = render(result, FORMATS[fmt])
    assert (solutions(written.body, fmt), written.size, written.truncated) == (
        solutions(expected, fmt),
        len(result.rows),
        False,
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_rows_are_cut_at_the_cap_as_execute_cuts_them(engine, fmt):
    query = job(named("list-labels"), max_rows=7)
    written = engine.write(query, fmt)
    result = engine.execute(query)
    assert written is not None
    assert (solutions(written.body, fmt), written.size, written.truncated) == (
        solutions(render(result, FORMATS[fmt]), fmt),
        7,
        True,
    )


def test_a_cap_the_answer_reaches_exactly_is_not_a_cut(engine):
    text = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } } ORDER BY ?n"
    written = engine.write(job(text, max_rows=3), "tsv")
    assert written == Answer(b"?n\n1\n2\n3\n", False, 3)


def test_line_breaks_in_literals_do_not_count_as_rows(engine):
    text = 'SELECT ?s WHERE { VALUES ?s { "a\\nb" "c\\r\\nd" } } ORDER BY ?s'
    written = engine.write(job(text, max_rows=2), "csv")
    assert written is not None
    assert (written.size, written.truncated, solutions(written.body, "csv")) == (
        2,
        False,
        [["s"], ["a\nb"], ["c\r\nd"]],
    )


def test_white_space_at_a_literals_edges_survives_both_xml_writers(engine):
    """A passage that begins with a tab (a programme row whose date cell is empty) read back by
    a parser that trims text, as oxigraph's does: both writers escape the edges."""
    text = 'SELECT ?s WHERE { VALUES ?s { "\\tab\\tc"@zh " x " "\\n" } } ORDER BY ?s'
    query = job(text)
    written = engine.write(query, "xml")
    assert written is not None
    ours = render(engine.execute(query), FORMATS["xml"])
    assert solutions(written.body, "xml") == solutions(ours, "xml")
    assert set(solutions(ours, "xml")[1]) == {('"\\n"',), ('" x "',), ('"\\tab\\tc"@zh',)}
    assert b'<literal xml:lang="zh">&#9;ab\tc</literal>' in ours


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        ("json", b'{"head":{},"boolean":true}'),
        ("csv", b"true"),
        ("tsv", b"true"),
    ],
)
def test_ask_written_by_oxigraph(engine, fmt, body):
    written = engine.write(job("ASK { ?s ?p ?o }"), fmt)
    assert written == Answer(body, False, 1)


def test_select_star_is_left_to_execute(engine):
    # Oxigraph orders SELECT * columns by name; the service orders them by appearance
    text = "SELECT * WHERE { ?x a ?b } LIMIT 1"
    assert analyse(text, BASE).columns == ("x", "b")
    assert engine.write(job(text), "json") is None
    answer = evaluate(engine, job(text), FORMATS["json"])
    assert solutions(answer.body, "json")[0] == ["x", "b"]


GRAPH_FORMATS_BY_NAME = {f.name: f for f in GRAPH_FORMATS}
GRAPH_QUERIES = {
    "describe": f"DESCRIBE <{ID}meeting/4>",
    "construct": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ?t ; rdfs:label ?l }"
    ),
}


def graph(body: bytes, fmt: str) -> Graph:
    """The triples of a body, whatever graph it puts them in."""
    with rdflib_quietly():
        dataset = Dataset()
        dataset.parse(data=body, format=RDFLIB_FORMAT[fmt])
        merged = Graph()
        for s, p, o, _ in dataset.quads():
            merged.add((s, p, o))
        return merged


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS_BY_NAME))
@pytest.mark.parametrize("query", sorted(GRAPH_QUERIES))
def test_graphs_written_as_rendered(engine, query, fmt):
    text = GRAPH_QUERIES[query]
    written = engine.write(job(text), fmt)
    result = engine.execute(job(text))
    assert written is not None and result.graph is not None
    expected = render(result, GRAPH_FORMATS_BY_NAME[fmt])
    assert (written.size, written.truncated) == (len(result.graph), False)
    assert isomorphic(graph(written.body, fmt), graph(expected, fmt))


def test_triples_are_cut_at_the_cap(engine):
    text = GRAPH_QUERIES["construct"]
    written = engine.write(job(text, max_rows=9), "ntriples")
    assert written is not None
    assert (written.size, written.truncated, len(graph(written.body, "ntriples"))) == (9, True, 9)
    whole = graph(engine.write(job(text), "ntriples").body, "ntriples")  # type: ignore[union-attr]
    assert set(graph(written.body, "ntriples")) <= set(whole)


def test_turtle_declares_the_prefixes_it_uses_only(engine):
    text = f"CONSTRUCT {{ <{ID}meeting/4> ?p ?o }} WHERE {{ <{ID}meeting/4> ?p ?o }}"
    written = engine.write(job(text), "turtle")
    assert written is not None
    declared = {
        line.split()[1] for line in written.body.decode().splitlines() if line.startswith("@prefix")
    }
    triples = engine.write(job(text), "ntriples")
    assert triples is not None
    used = {p + ":" for p, ns in PREFIXES.items() if str(ns) in triples.body.decode()}
    assert declared == used and {"meeting:", "ieg:", "rdfs:"} <= declared


def test_characters_xml_cannot_carry_are_refused_on_both_paths(engine):
    text = 'SELECT ?x WHERE { BIND ("bell \\u0007" AS ?x) }'
    message = "the answer holds U+0007, which XML cannot carry; ask for another format"
    with pytest.raises(NotAcceptable) as written:
        evaluate(engine, job(text), FORMATS["xml"])
    with pytest.raises(NotAcceptable) as rendered:
        render(engine.execute(job(text)), FORMATS["xml"])
    assert (written.value.message, rendered.value.message) == (message, message)
