"""The SHACL shapes (issue 4): the project's data conforms, and each constraint catches its defect.

The fixtures (tests/fixtures/shapes/, described in helpers/shape_fixtures.py) are validated in one
batch with the engine the gate uses, and each fixture's share of the results must be exactly its
`# expect:` lines. tests/test_differential.py checks the same batch against pySHACL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from cybercrime_kg.namespaces import ID
from cybercrime_kg.paths import Layout
from cybercrime_kg.validation import Violation, one_line, validate_graphs, validate_parts
from helpers.assertions import assert_none
from helpers.shape_fixtures import (
    INVALID,
    VALID,
    expected,
    fixture_id,
    load_shapes,
    load_world,
    validate_all,
)


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    return load_shapes(layout)


@pytest.fixture(scope="module")
def world(layout: Layout) -> Graph:
    return load_world(layout)


@pytest.fixture(scope="module")
def fixture_results(world: Graph, shapes: Graph) -> dict[str, list[Violation]]:
    """Every fixture's results from the fast engine, validated in one batch."""
    return validate_all(world, shapes, lambda data, s: validate_graphs(data, s, engine="fast"))


def test_shapes_pass_meta_shacl(shapes: Graph):
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_project_data_conforms():
    report = validate_parts(engine="fast")
    assert report.conforms, report.summary(limit=50)


def test_world_conforms(world: Graph, shapes: Graph):
    report = validate_graphs(world, shapes, engine="fast")
    assert report.conforms, report.summary(limit=50)


def test_the_batch_has_no_results_on_shared_nodes(fixture_results: dict[str, list[Violation]]):
    assert_none([one_line(v) for v in fixture_results[""]], "results no fixture owns")


@pytest.mark.parametrize("path", VALID, ids=fixture_id)
def test_valid_fixture_conforms(fixture_results: dict[str, list[Violation]], path: Path):
    assert_none([one_line(v) for v in fixture_results[fixture_id(path)]], "results")


@pytest.mark.parametrize("path", INVALID, ids=fixture_id)
def test_invalid_fixture_gives_exactly_its_results(
    fixture_results: dict[str, list[Violation]], path: Path
):
    results = fixture_results[fixture_id(path)]
    got = {(v.focus, v.path, v.shape, v.component) for v in results}
    assert got == expected(path), "\n".join(one_line(v) for v in results)
    assert all(v.message for v in results)


def constraints(shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """(shape, constraint component) of every named shape: the unit a fixture must cover."""
    components = {
        SH["class"]: "Class", SH.minCount: "MinCount", SH.maxCount: "MaxCount",
        SH.datatype: "Datatype", SH.pattern: "Pattern", SH.minInclusive: "MinInclusive",
        SH.maxInclusive: "MaxInclusive", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
        SH.qualifiedMinCount: "QualifiedMinCount", SH.nodeKind: "NodeKind",
        SH.hasValue: "HasValue", SH["in"]: "In", SH["or"]: "Or", SH.closed: "Closed",
        SH.sparql: "SPARQL", SH.xone: "Xone",
    }  # fmt: skip
    found = set()
    for shape in shapes.subjects(RDF.type, None):
        if not isinstance(shape, URIRef):
            continue
        for parameter, name in components.items():
            if (shape, parameter, None) in shapes:
                found.add((shape, SH[f"{name}ConstraintComponent"]))
    return found


def test_every_constraint_has_a_negative_fixture(shapes: Graph):
    names = shapes.namespace_manager
    covered = {(shape, component) for path in INVALID for _, _, shape, component in expected(path)}
    offenders = sorted(
        f"{shape.n3(names)} {component.n3(names)}"
        for shape, component in constraints(shapes)
        if (shape.n3(names), component.n3(names)) not in covered
    )
    assert_none(offenders, "constraints without an invalid fixture")


def test_every_constraint_has_a_message(shapes: Graph):
    offenders = sorted(
        shape.n3(shapes.namespace_manager)
        for shape, component in constraints(shapes)
        if not any(
            m.language == "en"
            for m in [
                *shapes.objects(shape, SH.message),
                *shapes.objects(shapes.value(shape, SH.sparql), SH.message),
            ]
        )
    )
    assert_none(offenders, "shapes with a constraint but no sh:message@en")


def test_a_named_shape_for_every_class_with_instances(dataset: Dataset, shapes: Graph):
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {o for s, _, o, _ in dataset.quads((None, RDF.type, None, None)) if s.startswith(ID)}
    assert_none(sorted(str(c) for c in used - targeted), "classes with instances but no shape")
