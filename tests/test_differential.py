"""The fast engine against pySHACL, the reference (issue 21): the same results, as a set of
(focus, path, value, source shape, constraint component, severity), on every shape fixture and on
the project's data; and what the fast engine cannot check goes to pySHACL, never unchecked."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from cybercrime_kg.paths import Layout
from cybercrime_kg.validation import Violation, load_parts, validate_graphs, validate_loaded
from cybercrime_kg.validation.plan import plan
from helpers.shape_fixtures import INVALID, VALID, fixture_id, load_shapes, load_world, validate_all

Results = dict[str, list[Violation]]


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    return load_shapes(layout)


@pytest.fixture(scope="module")
def by_engine(layout: Layout, shapes: Graph) -> dict[str, Results]:
    """Every fixture's results from each engine, on the same batch."""
    world = load_world(layout)
    return {
        engine: validate_all(world, shapes, lambda d, s, e=engine: validate_graphs(d, s, engine=e))
        for engine in ("pyshacl", "fast")
    }


def keys(results: list[Violation]) -> set[tuple[str, ...]]:
    return {v.key() for v in results}


@pytest.mark.parametrize("path", VALID + INVALID, ids=fixture_id)
def test_fast_engine_reports_what_pyshacl_reports(by_engine: dict[str, Results], path: Path):
    fixture = fixture_id(path)
    reference, fast = keys(by_engine["pyshacl"][fixture]), keys(by_engine["fast"][fixture])
    assert fast == reference, (
        f"{fixture}: only pySHACL: {sorted(reference - fast)};"
        f" only the fast engine: {sorted(fast - reference)}"
    )


def test_no_result_is_left_without_a_fixture_by_either_engine(by_engine: dict[str, Results]):
    assert keys(by_engine["fast"][""]) == keys(by_engine["pyshacl"][""]) == set()


def test_on_the_project_data_both_engines_agree():
    reports = {e: validate_loaded(load_parts(None, e), e) for e in ("pyshacl", "fast")}
    assert reports["fast"].conforms == reports["pyshacl"].conforms
    assert keys(list(reports["fast"].violations)) == keys(list(reports["pyshacl"].violations))


def test_the_project_shapes_need_no_pyshacl(shapes: Graph):
    chosen = plan(shapes)
    assert chosen.pyshacl == []
    assert set(chosen.sparql) == set(shapes.subjects(SH.sparql, None))  # every SHACL-SPARQL shape
    assert len(chosen.core) > 60


# --- What the fast engine cannot check goes to pySHACL ----------------------------------------

EX = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DATA = (
    EX
    + """
ex:a a ex:Thing ; ex:size 3 ; ex:name "a" .
ex:b a ex:Thing ; ex:size 12 ; ex:name "b" .
"""
)
# a constraint component of its own (SHACL-SPARQL), a SPARQL constraint with a sub-select, and
# one that leaves $this out of its answer: none of them pyshacl-turbo or the batched queries run
SHAPES = {
    "custom component": EX
    + """
ex:MaxSize a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:maxSize ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "too big" ;
        sh:ask "ASK { $value <http://example.org/size> ?size . FILTER (?size <= $maxSize) }" ] .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; ex:maxSize 10 .
""",
    "sub-select": EX
    + """
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:message "too big" ;
        sh:select '''SELECT $this ?value WHERE {
            { SELECT $this ?value WHERE { $this <http://example.org/size> ?value } }
            FILTER (?value > 10) }''' ] .
""",
    "no $this in the answer": EX
    + """
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:message "too big" ;
        sh:select '''SELECT ?value WHERE {
            $this <http://example.org/size> ?value . FILTER (?value > 10) }''' ] .
""",
}


@pytest.mark.parametrize("case", SHAPES)
def test_a_shape_the_fast_engine_cannot_check_goes_to_pyshacl(case: str):
    data, shapes = Graph().parse(data=DATA), Graph().parse(data=SHAPES[case])
    fast = validate_graphs(data, shapes, engine="fast")
    reference = validate_graphs(data, shapes, engine="pyshacl")
    assert dict(fast.engines)["pyshacl"] == 1
    assert not fast.conforms
    assert keys(list(fast.violations)) == keys(list(reference.violations))
    assert {v.focus for v in fast.violations} == {"<http://example.org/b>"}


def test_only_the_shapes_it_cannot_check_go_to_pyshacl():
    shapes = Graph().parse(
        data=SHAPES["custom component"]
        + """
ex:NameShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:pattern "^a$" ] .
"""
    )
    chosen = plan(shapes)
    assert chosen.pyshacl == [URIRef("http://example.org/Shape")]
    assert chosen.core == [URIRef("http://example.org/NameShape")]
    fast = validate_graphs(Graph().parse(data=DATA), shapes, engine="fast")
    reference = validate_graphs(Graph().parse(data=DATA), shapes, engine="pyshacl")
    assert keys(list(fast.violations)) == keys(list(reference.violations))
    assert len(fast.violations) == 2


def test_rules_send_everything_to_pyshacl():
    shapes = Graph().parse(
        data=SHAPES["custom component"]
        + """
ex:Rules a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:seen ; sh:object true ] .
"""
    )
    assert plan(shapes).everything_to_pyshacl


def test_a_sparql_constraint_on_an_implicit_class_target_is_checked():
    shapes = Graph().parse(
        data=EX
        + """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Thing a sh:NodeShape, rdfs:Class ;
    sh:sparql [ sh:message "too big" ;
        sh:select '''SELECT $this ?value WHERE {
            $this <http://example.org/size> ?value . FILTER (?value > 10) }''' ] .
"""
    )
    fast = validate_graphs(Graph().parse(data=DATA), shapes, engine="fast")
    reference = validate_graphs(Graph().parse(data=DATA), shapes, engine="pyshacl")
    assert dict(fast.engines)["oxigraph"] == 1
    assert keys(list(fast.violations)) == keys(list(reference.violations))
    assert {v.focus for v in fast.violations} == {"<http://example.org/b>"}
